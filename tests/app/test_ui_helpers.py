"""The ui/ helpers every page shares: the page start, messages after a rerun, charts and tables with
their CSV downloads, and the survey's widget keys."""

import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pmostep.core import questionnaire, safe_cells
from pmostep.foundation import assessments
from pmostep.initiation import survey
from pmostep.store import db
from tests.app.conftest import PAGES, downloaded, start
from tests.conftest import ROOT
from ui import survey_keys

TITLES = {"views/overview.py": "Overview", "views/import_responses.py": "Import survey responses",
          "views/foundation.py": "Foundation", "views/survey_links.py": "Survey links",
          "views/current_state.py": "Current state", "views/gaps.py": "Gaps and priorities",
          "views/agreement.py": "Agreement", "views/stakeholder_groups.py": "Stakeholder groups",
          "views/comments.py": "Comments", "views/trend.py": "Trend",
          "views/recommendations.py": "Recommendations", "views/roadmap.py": "Roadmap",
          "views/reports.py": "Reports",
          "views/workshop_agenda.py": "Workshop agenda", "views/workshop_console.py": "Workshop console",
          "views/workshop_projector.py": "Projector", "views/workshop_results.py": "Workshop results",
          "views/catalogue.py": "Products and services", "views/stakeholder_map.py": "Stakeholder map",
          "views/staffing.py": "Roles and staffing", "views/practices.py": "Best practices",
          "views/roles.py": "PMO roles", "views/problems.py": "Problems"}


def test_every_page_has_its_title():
    assert sorted(TITLES) == sorted(PAGES)


@pytest.fixture
def empty_db(tmp_path, monkeypatch):
    path = tmp_path / "empty.duckdb"
    monkeypatch.setenv(db.ENV_VAR, str(path))
    db.connect(path).close()            # an existing database without assessments: no demo is added
    return path


@pytest.mark.parametrize("page", PAGES)
def test_without_an_assessment_a_page_says_so_and_only_foundation_catalogue_know_how_go_on(empty_db, page):
    at = start()
    at.switch_page(page).run()
    assert not at.exception and not at.error
    assert [t.value for t in at.title] == [TITLES[page]]
    assert [i.value for i in at.info][:1] == [
        "No assessment is open. Create one, or load the demo with `python -m pmostep demo`."]
    headings = [h.value for h in at.subheader]
    if page == "views/foundation.py":
        assert any(b.label == "Create assessment" for b in at.button)
    elif page in ("views/practices.py", "views/roles.py"):      # the know-how needs no assessment
        assert at.expander               # the library, readable before any assessment exists
    elif page == "views/catalogue.py":
        assert "entries, the standard catalogue." in at.caption[0].value and len(at.dataframe) == 1
        assert not headings                           # no assessment's own catalogue to edit
    else:
        assert not at.dataframe and not at.get("plotly_chart") and not headings


def flash_script():
    import streamlit as st

    from ui import flash

    flash.show()
    if st.button("Act", key="act"):
        flash.add("Done.")
        flash.rerun("Two addresses were refused.", "warning")
    st.markdown("the page")


def test_a_message_set_before_a_rerun_shows_once_after_it_in_order():
    at = AppTest.from_function(flash_script).run()
    assert not at.success and not at.warning
    at.button(key="act").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Done."]
    assert [w.value for w in at.warning] == ["Two addresses were refused."]
    shown = [type(e).__name__ for e in at.main if type(e).__name__ in ("Success", "Warning")]
    assert shown == ["Success", "Warning"]
    at.run()                                                  # the next run: gone
    assert not at.success and not at.warning and at.markdown[0].value == "the page"


TABLE = pd.DataFrame({"Dimension": ["=1+1", "Methods"], "Gap": [1.5, 0.25]})


def figures_script():
    import pandas as pd
    import plotly.graph_objects as go

    from ui.figures import Csv, chart, table

    frame = pd.DataFrame({"Dimension": ["=1+1", "Methods"], "Gap": [1.5, 0.25]})
    chart(go.Figure(go.Bar(x=frame["Dimension"], y=frame["Gap"])), "gaps_chart", frame.set_index("Dimension"),
          Csv("Download the chart's figures (CSV)", "gaps.csv", "gaps_csv", index=True))
    chart(go.Figure(go.Bar(x=[1], y=[2])), "plain_chart")
    table(frame, "gaps_table", Csv("Download the table (CSV)", "table.csv", "table_csv"), height=120)


def test_charts_have_no_plotly_logo_and_download_the_figures_they_draw(media):
    at = AppTest.from_function(figures_script).run()
    assert not at.exception
    charts = at.get("plotly_chart")
    assert len(charts) == 2 and all(json.loads(c.proto.config)["displaylogo"] is False for c in charts)
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download the chart's figures (CSV)", "Download the table (CSV)"]
    assert downloaded(at, media, labels[0]) == safe_cells.csv_bytes(TABLE.set_index("Dimension"), index=True)
    assert downloaded(at, media, labels[1]) == safe_cells.csv_bytes(TABLE)
    assert downloaded(at, media, labels[1]).decode("utf-8").splitlines()[1].startswith("'=1+1")
    assert at.dataframe[0].value.equals(TABLE)


def test_the_pages_draw_charts_messages_and_titles_only_through_the_helpers():
    """A page that calls Streamlit for these directly would draw them unlike the others (a chart with
    the Plotly logo, a message lost in the rerun)."""
    for page in sorted((ROOT / "views").glob("*.py")):
        source = page.read_text(encoding="utf-8")
        assert "st.plotly_chart(" not in source and "displaylogo" not in source, page.name
        assert not re.search(r"session_state(\.pop\(|\[)\"\w*(message|problem)", source), page.name
        if page.name != "survey.py":                    # the respondent's page has its own frame
            assert "st.title(" not in source and "open_assessment(" not in source, page.name


def test_the_survey_widget_keys_are_spelled_as_the_browser_and_benchmarks_find_them():
    assert [survey_keys.current("meth_1"), survey_keys.desired("meth_1"),
            survey_keys.importance("methodology"), survey_keys.profile("group"),
            survey_keys.comment("improve")] == [
        "cur_meth_1", "des_meth_1", "imp_methodology", "prof_group", "com_improve"]
    assert survey_keys.is_answer("prof_group") and not survey_keys.is_answer("survey_page")
    spelled = re.compile(r"""(["'.]|st-key-)(cur|des|imp|prof|com)_(\{|\w)|\("cur", "des"\)""")
    for path in [ROOT / "views" / "survey.py", ROOT / "ui" / "data.py", *(ROOT / "benchmarks").glob("*.py")]:
        assert not spelled.search(path.read_text(encoding="utf-8")), f"{path.name}: use ui/survey_keys.py"


def test_a_page_of_answers_goes_to_its_widgets_and_back_unchanged():
    parts = {"ratings": ["meth_1", "meth_2"], "importance": ["meth"]}
    answers = {"ratings": {"meth_1": (2, 4), "meth_2": ("na", None)}, "importance": {"meth": 5}}
    values = survey_keys.values(answers)
    assert list(values) == survey_keys.keys(parts) == ["cur_meth_1", "des_meth_1", "cur_meth_2",
                                                        "des_meth_2", "imp_meth"]
    assert survey_keys.answers(parts, values) == answers
    assert survey_keys.answers({"comments": ["improve"]}, {}) == {"comments": {"improve": None}}
    assert survey_keys.values({"profile": {"group": "Sponsor"}, "comments": {"improve": "More"}}) == {
        "prof_group": "Sponsor", "com_improve": "More"}


def test_starting_a_new_response_on_a_shared_device_clears_every_answer_widget(tmp_path, monkeypatch):
    path = tmp_path / "survey.duckdb"
    con = db.connect(path)
    assessments.create(con, "pulse", questionnaire.load(), name="Pulse check", min_group_size=1)
    token = survey.create_link(con, "pulse").token
    monkeypatch.setenv(db.ENV_VAR, str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["t"] = token
    at.run()
    at.button(key="survey_next").click().run()                    # Start
    at.pills(key=survey_keys.current("meth_1")).set_value(2)
    at.pills(key=survey_keys.importance("methodology")).set_value(4)
    at.button(key="survey_next").click().run()                    # saved: the first respondent
    at.button(key="survey_back").click().run()
    at.button(key="survey_back").click().run()                    # back on the first page
    at.button(key="survey_restart").click().run()
    assert not at.exception and at.button(key="survey_next").label == "Start"
    at.button(key="survey_next").click().run()
    assert at.subheader[0].value == "Methodology and standards"
    assert at.pills(key=survey_keys.current("meth_1")).value is None
    assert at.pills(key=survey_keys.importance("methodology")).value is None
    at.pills(key=survey_keys.current("meth_1")).set_value(5)
    at.button(key="survey_next").click().run()
    assert con.execute("SELECT count(*) FROM respondents").fetchone()[0] == 2
    con.close()
