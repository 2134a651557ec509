"""Stored questionnaires (store/questionnaires.py): a version, once stored, never changes in place."""

import pytest

from pmostep.core import questionnaire
from pmostep.store import questionnaires


def test_questionnaire_version_changed_in_place_is_refused(con, q):
    raw = dict(q.source)
    raw["title"] = "Edited without a new version"
    changed = questionnaire.parse(raw)
    with pytest.raises(questionnaires.QuestionnaireVersionConflict, match="new version"):
        questionnaires.register(con, changed)
    raw["version"] = q.version + 1
    questionnaires.register(con, questionnaire.parse(raw))
    assert questionnaires.get(con, q.id, q.version + 1).title == "Edited without a new version"
    assert questionnaires.get(con, q.id, q.version).title == q.title
