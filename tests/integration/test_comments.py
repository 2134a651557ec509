"""Open answers: anonymity of groups, topic and text filters, word and topic counts."""

import pandas as pd

from pmostep.foundation import assessments
from pmostep.planning import comments, scoring
from pmostep.store import responses
from tests.conftest import METH, batch_from_rows, rating_rows


def test_topics_name_only_questionnaire_dimensions(q):
    assert set(comments.topics()) == {d.id for d in q.dimensions}
    assert all(comments.topics().values())


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
    responses.add(con, a.id, q, batch)
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


def test_topic_and_search_filters():
    table = pd.DataFrame({"text": ["Templates are everywhere.", "Nonstop meetings.",
                                   "We never stop projects.", "Status reports in ten formats."]})
    assert comments.about(table, "methodology")["text"].tolist() == ["Templates are everywhere."]
    # 'stop' matches at the start of a word only.
    assert comments.about(table, "governance")["text"].tolist() == ["We never stop projects."]
    assert comments.about(table, None, "FORMATS")["text"].tolist() == ["Status reports in ten formats."]
    assert comments.about(table, "reporting", "meetings").empty


def test_term_counts_count_each_comment_once_and_skip_stop_words():
    terms = comments.term_counts(["Status status STATUS reports.", "The status of the projects.",
                                  "Reports, reports."], top=2)
    assert terms.to_dict(orient="records") == [{"Word": "reports", "Comments": 2},
                                                {"Word": "status", "Comments": 2}]


def test_topic_counts_per_dimension(q):
    table = pd.DataFrame({"text": ["Status reports and templates.", "A status dashboard.", "Hello."]})
    counts = comments.topic_counts(table, q).set_index("Dimension")["Comments"]
    assert counts["Performance monitoring and reporting"] == 2
    assert counts["Methodology and standards"] == 1
    assert counts.index[0] == "Performance monitoring and reporting"     # most first
