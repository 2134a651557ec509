"""Open answers of stored respondents (planning/comments.py): small groups pooled, blanks left out,
filters followed."""

from pmostep.foundation import assessments
from pmostep.planning import comments, scoring
from pmostep.store import responses
from tests.conftest import METH, batch_from_rows, rating_rows


def _answers(con, q, min_group_size=3):
    """Four project managers, two executives (too few), one without a group; each wrote a comment."""
    a = assessments.create(con, "talk", q, name="Talk", min_group_size=min_group_size)
    members = {"pm1": "Project manager", "pm2": "Project manager", "pm3": "Project manager",
               "pm4": "Project manager", "ex1": "Executive or sponsor", "ex2": "Executive or sponsor",
               "nn1": None}
    texts = {"pm1": "Templates are everywhere and nowhere.", "pm2": "Status reports in ten formats.",
             "pm3": "The steering committee never decides.", "pm4": "Too many projects, no priorities.",
             "ex1": "Status reports do not show risks.", "ex2": "We need a portfolio view.",
             "nn1": "   "}
    answers = [row for k in members for row in rating_rows(k, METH, [2, 2, 2, 2], [4, 4, 4, 4])]
    batch = batch_from_rows(dict.fromkeys(members, True), answers,
                            profile=[(k, "group", g) for k, g in members.items() if g],
                            comments=[(k, "pain_point", t) for k, t in texts.items()])
    responses.add(con, a, q, batch)
    return a


def test_small_groups_are_pooled_and_blank_answers_left_out(con, q):
    a = _answers(con, q)
    report = scoring.score(con, a, q, by="group")
    shown = [g.group for g in report.groups]
    assert shown == ["Project manager"]         # executives (2) and not stated (1) pooled: 3 people
    table = comments.visible(scoring.open_answers(con, a, q), shown, q)
    assert len(table) == 6                      # the whitespace-only answer is not a comment
    assert list(table.columns) == ["question", "group", "text"]
    assert set(table["question"]) == {"What is the biggest pain point in how projects are run today?"}
    by_text = dict(zip(table["text"], table["group"], strict=True))
    assert by_text["Status reports do not show risks."] == comments.POOLED_GROUP
    assert by_text["Status reports in ten formats."] == "Project manager"
    assert table["text"].tolist() == sorted(table["text"], key=str.lower)   # no submission order


def test_open_answers_follow_the_filters(con, q):
    a = _answers(con, q)
    assert scoring.open_answers(con, a, q, {"group": ["Executive or sponsor"]}).empty    # 2 of a block of 3
    pooled = {"group": ["Executive or sponsor", "Not stated"]}
    assert sorted(scoring.open_answers(con, a, q, pooled)["text"]) == [
        "Status reports do not show risks.", "We need a portfolio view."]
