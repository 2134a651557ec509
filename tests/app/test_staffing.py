"""The Roles and staffing page (views/staffing.py): the staff entered marks the short waves on the chart,
in the warnings and in the tables and CSV; without choices or scores the page says what is missing."""

import io

import pandas as pd

from pmostep import services
from pmostep.reports.staffing_charts import SHORT_COLOUR
from pmostep.store import db
from tests.app.conftest import downloaded, open_page, plan_db, plotly_figures, small_assessment


def table(at, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def save_staff(at, role: str, fte: float):
    editor = at.data_editor[0]
    row = int(editor.value.index[editor.value["Role"] == role][0])
    at.session_state[editor.key] = {"edited_rows": {row: {"FTE now": fte}}, "added_rows": [],
                                    "deleted_rows": []}
    next(b for b in at.button if b.label == "Save the staff").click().run()
    return at


def test_the_demo_shows_its_short_waves_and_the_roles_without_staff(app_db):
    plan_db(app_db)
    at = open_page("views/staffing.py")
    assert not at.exception
    editor = at.data_editor[0].value.set_index("Role")["FTE now"]
    assert (editor["PMO lead"], editor["PMO analyst"], editor["Trainer"]) == (1.0, 0.5, 0.3)
    assert pd.isna(editor["Coach"])
    assert [w.value for w in at.warning if "needs" in w.value] == [
        "Wave 1 needs 0.54 FTE of PMO analyst; the PMO has 0.5 (0.04 short).",
        "Wave 4 needs 0.46 FTE of Trainer; the PMO has 0.3 (0.16 short)."]
    assert any(i.value.startswith("No staff entered for Coach (up to 0.15 FTE from wave 1), Change manager")
               for i in at.info)


def test_the_staff_entered_marks_the_waves_short_of_it(app_db, media):
    plan_db(app_db)
    con = db.connect(app_db)
    services.save_staff(con, "demo", {})            # from nothing entered
    con.close()
    at = open_page("views/staffing.py")
    assert not at.exception
    assert [s.value for s in at.subheader] == ["The PMO's staff today", "FTE per role and wave",
                                               "When each role is first needed"]
    assert any(i.value.startswith("No staff entered for Coach (up to 0.15 FTE from wave 1), PMO analyst")
               for i in at.info)
    assert not [w for w in at.warning if "needs" in w.value]
    [figure] = plotly_figures(at)
    title = "FTE the roadmap needs per wave by role, against the PMO's staff"
    assert figure["layout"]["title"]["text"] == title
    assert figure["layout"]["yaxis"]["title"]["text"] == "Full-time equivalents (FTE)"
    assert figure["layout"]["xaxis"]["title"]["text"] == "Wave"

    at = save_staff(at, "PMO lead", 0.2)
    assert not at.exception
    assert [s.value for s in at.success] == ["Staff saved for 1 role."]
    assert [w.value for w in at.warning if "needs" in w.value] == [
        "Wave 2 needs 0.35 FTE of PMO lead; the PMO has 0.2 (0.15 short).",
        "Wave 3 needs 0.38 FTE of PMO lead; the PMO has 0.2 (0.18 short).",
        "Wave 4 needs 0.23 FTE of PMO lead; the PMO has 0.2 (0.03 short)."]
    [figure] = plotly_figures(at)
    lead = next(t for t in figure["data"] if t.get("name") == "PMO lead")
    assert lead["marker"]["line"]["color"] == ["white", SHORT_COLOUR, SHORT_COLOUR, SHORT_COLOUR]
    assert lead["text"][1] == "PMO lead 0.35 (has 0.2)"
    assert figure["layout"]["annotations"][0]["text"] == "Staff entered for these roles: 0.2 FTE"
    fte = table(at, "Staff now (FTE)").set_index("Role")
    assert fte.loc["PMO lead", "Staff now (FTE)"] == 0.2 and pd.isna(fte.loc["Coach", "Staff now (FTE)"])
    assert fte.loc["PMO lead", "Wave 2"] == 0.35
    moments = table(at, "Assign or hire by").set_index("Role")
    assert moments.loc["PMO lead", "First needed"] == "Wave 1"
    assert str(moments.loc["PMO lead", "Assign or hire by"]) == "2026-09-28"
    csv = pd.read_csv(io.BytesIO(downloaded(at, media, "Download FTE per role and wave (CSV)")))
    assert list(csv.columns) == ["Role", "Staff now (FTE)", "Wave 1", "Wave 2", "Wave 3", "Wave 4"]
    assert csv.set_index("Role").loc["PMO lead", "Wave 3"] == 0.38
    assert any(e.label == "How the staffing plan is worked out" for e in at.expander)


def test_without_choices_or_scores_the_page_says_what_is_missing(app_db):
    small_assessment(app_db, 6)
    at = open_page("views/staffing.py", assessment="tiny")
    assert not at.exception
    assert at.data_editor and any(i.value.startswith("No products or services are accepted yet")
                                  for i in at.info)
    assert not plotly_figures(at)


def test_without_scores_the_staff_can_still_be_entered(app_db):
    small_assessment(app_db, 3)
    at = open_page("views/staffing.py", assessment="tiny")
    assert not at.exception and at.data_editor
    assert any(i.value.startswith("The staffing plan needs scores") for i in at.info)
    at = save_staff(at, "Trainer", 1.0)
    assert [s.value for s in at.success] == ["Staff saved for 1 role."]
    editor = at.data_editor[0].value.set_index("Role")
    assert editor.loc["Trainer", "FTE now"] == 1.0
