"""The Agreement page (views/agreement.py): stakeholder groups compared."""

from tests.app.conftest import open_page, plotly_figures


def test_agreement_page_compares_stakeholder_groups(app_db):
    at = open_page("views/agreement.py")
    assert plotly_figures(at)[0]["layout"]["title"]["text"].startswith("Spread of the current-state ratings")
    topics = next(d.value for d in at.dataframe if "IQR" in d.value.columns)
    assert len(topics) >= 1
    at.segmented_control(key="agreement_view").set_value("Stakeholder groups").run()
    assert not at.exception
    figure = plotly_figures(at)[0]
    assert figure["layout"]["title"]["text"].startswith("Spread of the respondents' dimension scores")
    assert figure["data"][0]["x"][0].replace("<br>", " ") == "Executive or sponsor"
