"""The Overview page (views/overview.py): what it says about responses waiting to be published."""

import pandas as pd

from pmostep.core import questionnaire
from pmostep.foundation import assessments
from pmostep.store import db, responses
from tests.app.conftest import open_page
from tests.conftest import METH, batch_from_rows, rating_rows


def test_overview_says_how_many_responses_wait_to_be_published(app_db):
    """Six managers imported, then one survey response: it waits, and the page says so."""
    con = db.connect(app_db)
    q = questionnaire.load()
    a = assessments.create(con, "waiting", q, name="Waiting")
    keys = [f"pm{i}" for i in range(6)]
    answers = [row for k in keys for row in rating_rows(k, METH, [2, 2, 3, 3], [4, 4, 4, 4])]
    responses.add(con, a, q, batch_from_rows(dict.fromkeys(keys, True), answers,
                                                profile=[(k, "group", "Project manager") for k in keys]))
    responses.publish(con, a.id, [p.id for p in q.profile], a.min_group_size)    # as an import does
    late = batch_from_rows({"late": True}, rating_rows("late", METH, [5, 5, 5, 5], [5, 5, 5, 5]),
                           profile=[("late", "group", "Project manager")])
    late.respondents["source"] = "survey"
    late.respondents["completed_at"] = pd.Timestamp.now(tz="UTC").tz_localize(None) + pd.Timedelta("1h")
    responses.add(con, a, q, late)
    con.close()
    at = open_page("views/overview.py", assessment="waiting")
    assert not at.exception
    assert any(c.value.startswith("1 response waits for more from their stakeholder group: figures take "
                                  "in new responses only 5 or more at a time") for c in at.caption)
    assert any("7 completed responses" in c.value for c in at.caption)
    assert at.metric[0].value == "6"
