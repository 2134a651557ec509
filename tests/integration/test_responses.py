"""Respondents and their answers (store/responses.py): bad answers are named and store nothing, a write
that fails midway rolls back."""

import pandas as pd
import pytest

from pmostep import services
from pmostep.core import questionnaire
from pmostep.foundation import assessments
from pmostep.store import db, responses
from tests.conftest import METH, batch_from_rows, rating_rows


def test_bad_answers_name_respondent_and_field_and_store_nothing(con, q):
    a = assessments.create(con, "bad", q)
    answers = rating_rows("good", METH, [1, 2, 3, 4], [5, 5, 5, 5]) + [
        ("bad", "meth_1", 9, False, 3, False),
        ("bad", "no_such", 2, False, 3, False),
    ]
    batch = batch_from_rows({"good": True, "bad": True}, answers,
                            importance=[("bad", "methodology", 0)],
                            profile=[("bad", "shoe_size", "44")])
    with pytest.raises(responses.ResponseError) as err:
        responses.add(con, a, q, batch)
    problems = err.value.problems
    assert "respondent bad: current rating 9 is not a whole number from 1 to 5" in problems
    assert "respondent bad: unknown statement 'no_such'" in problems
    assert "respondent bad: importance 0 is not a whole number from 1 to 5" in problems
    assert "respondent bad: unknown profile field 'shoe_size'" in problems
    assert con.execute("SELECT count(*) FROM respondents").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM answers").fetchone()[0] == 0


def test_a_write_that_fails_midway_rolls_back(con, q, monkeypatch):
    a = assessments.create(con, "midway", q)
    batch = batch_from_rows({"x": True}, rating_rows("x", METH, [1, 2, 3, 4], [4, 4, 4, 4]),
                            comments=[("x", "pain_point", "text")])
    original = batch.comments
    batch.comments = original.assign(question_id=pd.Series([None], dtype=object))   # NOT NULL violation
    monkeypatch.setattr(responses, "validate", lambda b, q: [])                      # reach the database
    with pytest.raises(db.ERRORS), services.UnitOfWork(con) as uow:
        responses.add(uow.cur, a, q, batch)
        uow.commit()
    assert con.execute("SELECT count(*) FROM respondents").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM answers").fetchone()[0] == 0


def test_profile_answers_must_be_options_and_questions_unique(con, q):
    a = assessments.create(con, "opts", q)
    batch = batch_from_rows({"x": True}, rating_rows("x", METH, [1, 2, 3, 4], [4, 4, 4, 4]),
                            profile=[("x", "group", "Jane Doe, CFO")],
                            importance=[("x", "methodology", 3), ("x", "methodology", 4)])
    with pytest.raises(responses.ResponseError) as err:
        responses.add(con, a, q, batch)
    assert "respondent x: 'Jane Doe, CFO' is not an option of profile question 'group'" in err.value.problems
    assert "respondent x: importance has the same question twice" in err.value.problems


def test_answers_for_another_questionnaire_version_are_refused(con, q):
    a = assessments.create(con, "v1", q)
    raw = dict(q.source)
    raw["version"] = q.version + 1
    other = questionnaire.parse(raw)
    batch = batch_from_rows({"x": True}, rating_rows("x", METH, [1, 2, 3, 4], [4, 4, 4, 4]))
    with pytest.raises(responses.ResponseError, match="uses questionnaire"):
        responses.add(con, a, other, batch)
