"""The Trend page (views/trend.py): the earlier survey compared, or how to get one."""

import pandas as pd

from pmostep.core import questionnaire
from pmostep.foundation import assessments
from pmostep.store import db, questionnaires, responses
from tests.app.conftest import open_page, plotly_figures, small_assessment, start
from tests.conftest import METH, ROOT, batch_from_rows, rating_rows


def test_trend_page_compares_with_the_earlier_survey(app_db):
    at = open_page("views/trend.py")
    assert not at.exception
    index, dimensions = plotly_figures(at)
    assert index["layout"]["title"]["text"] == "Maturity index over the assessments"
    assert index["data"][0]["x"] == ["Sep 2025", "Sep 2026"]
    assert dimensions["layout"]["title"]["text"].startswith("Current maturity: Sep 2026 and Sep 2025")
    table = next(d.value for d in at.dataframe if "Change" in d.value.columns).set_index("Dimension")
    assert table.loc["Performance monitoring and reporting", "Clear change"] == "yes"
    assert table.loc["Performance monitoring and reporting", "Change"] > 0.4
    assert table.loc["Portfolio selection and prioritisation", "Clear change"] == "no"


def test_trend_page_without_an_earlier_assessment_says_how_to_get_one(app_db):
    small_assessment(app_db, 6)
    at = open_page("views/trend.py", assessment="tiny")
    assert not at.exception
    assert any(i.value.startswith("There is no earlier assessment of Pilot Org") for i in at.info)


def test_trend_leaves_out_an_earlier_assessment_that_lacks_a_filter_option(app_db, tmp_path):
    """An earlier survey on another questionnaire version without the chosen option is named, not a crash."""
    con = db.connect(app_db)
    q1 = questionnaire.load()
    text = (ROOT / "surveys" / "pmo-discovery.yaml").read_text(encoding="utf-8")
    newer = tmp_path / "v2.yaml"
    units = "      - Engineering\n"
    newer.write_text(text.replace("version: 1", "version: 2", 1).replace(units, units + "      - Research\n"),
                     encoding="utf-8")
    q2 = questionnaire.load(newer)
    questionnaires.register(con, q2)
    for slug, q, start_date in (("then", q1, "2025-01-10"), ("now", q2, "2026-01-10")):
        a = assessments.create(con, slug, q, name=slug.title(), organisation="ACME",
                               start_date=pd.Timestamp(start_date).date())
        keys = [f"{slug}{i}" for i in range(6)]
        answers = [row for k in keys for row in rating_rows(k, METH, [2, 2, 3, 3], [4, 4, 4, 4])]
        responses.add(con, a, q, batch_from_rows(dict.fromkeys(keys, True), answers, profile=[
            (k, "business_unit", "Research" if q is q2 else "Engineering") for k in keys]))
    con.close()
    at = start(assessment="now")
    at.switch_page("views/trend.py").run()
    at.multiselect(key="filter_business_unit").set_value(["Research"]).run()
    assert not at.exception
    assert any(c.value == "Not comparable with these filters (their questionnaire has other profile "
                          "options): Then." for c in at.caption)
