"""Open answers without a database (planning/comments.py): topics from the questionnaire, topic and text
filters, word and topic counts (the stored answers' anonymity: tests/integration/test_comments.py)."""

import pandas as pd

from pmostep.planning import comments


def test_topics_name_only_questionnaire_dimensions(q):
    assert set(comments.topics()) == {d.id for d in q.dimensions}
    assert all(comments.topics().values())


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
