"""The Comments page (views/comments.py): filtered by topic, words counted."""

from tests.app.conftest import open_page, plotly_figures


def test_comments_page_filters_by_topic_and_counts_words(app_db):
    at = open_page("views/comments.py")
    assert not at.exception
    total = int(at.metric[0].value)
    titles = [f["layout"]["title"]["text"] for f in plotly_figures(at)]
    assert titles == ["Words used most in these comments", "Comments per dimension topic"]
    table = next(d.value for d in at.dataframe if "Comment" in d.value.columns)
    assert len(table) == total > 20
    at.selectbox(key="comments_topic").set_value("resources").run()
    narrowed = next(d.value for d in at.dataframe if "Comment" in d.value.columns)
    assert 0 < len(narrowed) < total
    assert all(any(k in t.lower() for k in ("capacity", "booked", "people we have", "overbook"))
               for t in narrowed["Comment"])
    at.text_input(key="comments_search").set_value("zebra").run()
    assert any(i.value == "No comment matches these choices." for i in at.info)
