"""The Stakeholder groups page (views/stakeholder_groups.py): the heatmap, groups side by side, and the
groups too small to show."""

from pmostep.core import questionnaire
from pmostep.foundation import assessments
from pmostep.store import db, responses
from tests.app.conftest import open_page, plotly_figures
from tests.conftest import METH, batch_from_rows, rating_rows


def test_stakeholder_groups_page_heatmap_and_side_by_side(app_db):
    at = open_page("views/stakeholder_groups.py")
    assert not at.exception
    heat = plotly_figures(at)[0]
    assert heat["layout"]["title"]["text"] == "Current maturity per dimension and stakeholder group"
    assert heat["data"][0]["x"][0].replace("<br>", " ") == "Executive or sponsor (n=8)"
    at.segmented_control(key="groups_measure").set_value("gap").run()
    at.selectbox(key="groups_second").set_value("Project manager").run()
    figures = plotly_figures(at)
    assert figures[0]["layout"]["title"]["text"] == "Gap per dimension and stakeholder group"
    assert figures[1]["layout"]["title"]["text"].startswith("Gap: Executive or sponsor and Project manager")
    table = next(d.value for d in at.dataframe if "Difference" in d.value.columns)
    governance = table.set_index("Dimension").loc["Governance and sponsorship"]
    assert governance["Difference"] < 0          # executives want less change in governance than PMs
    at.selectbox(key="groups_field").set_value("business_unit").run()
    # In the demo most business units have fewer than 5 people in a stakeholder group: showing them
    # beside the stakeholder groups would let the two be subtracted (docs/scoring.md).
    assert not plotly_figures(at)
    assert any(i.value.startswith("No business unit can be shown on its own") for i in at.info)
    assert any(c.value.startswith("Not shown (fewer than 5 respondents, or needed to protect them): ")
               and "Engineering" in c.value for c in at.caption)


def test_stakeholder_groups_page_names_the_suppressed_groups(app_db):
    con = db.connect(app_db)
    q = questionnaire.load()
    a = assessments.create(con, "mixed", q, name="Mixed groups")
    sizes = {"Project manager": 6, "Project team member": 6, "Executive or sponsor": 2,
             "Line or functional manager": 3}
    members = [(f"{j}-{i}", g) for j, (g, n) in enumerate(sizes.items()) for i in range(n)]
    answers = [row for k, _ in members for row in rating_rows(k, METH, [2, 2, 3, 3], [4, 4, 4, 4])]
    responses.add(con, a, q, batch_from_rows(dict.fromkeys([k for k, _ in members], True), answers,
                                                profile=[(k, "group", g) for k, g in members]))
    con.close()
    at = open_page("views/stakeholder_groups.py", assessment="mixed")
    assert not at.exception
    assert any(c.value == "Not shown (fewer than 5 respondents, or needed to protect them): "
               "Executive or sponsor, Line or functional manager." for c in at.caption)
    columns = [c.replace("<br>", " ") for c in plotly_figures(at)[0]["data"][0]["x"]]
    assert columns == ["Project manager (n=6)", "Project team member (n=6)"]
