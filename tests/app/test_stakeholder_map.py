"""The Stakeholder map page (views/stakeholder_map.py): influence entered places the groups on the grid
(quadrants named, axes labelled), support read from the survey for shown groups only, the engagement and
communication actions per quadrant; a group too small to show is placed only from what the lead enters."""

import io

import pandas as pd

from pmostep import services
from pmostep.core import questionnaire
from pmostep.planning.stakeholder_map import ENGAGEMENT
from pmostep.store import db
from tests.app.conftest import downloaded, open_page, plan_db, plotly_figures
from tests.conftest import SMALL_GROUP, small_group_assessment


def enter(at, rows: dict[str, dict]):
    """Type into the editor's rows (group -> column -> value), then save."""
    editor = at.data_editor[0]
    index = {g: i for i, g in enumerate(editor.value["Group"])}
    at.session_state[editor.key] = {"edited_rows": {index[g]: cells for g, cells in rows.items()},
                                    "added_rows": [], "deleted_rows": []}
    next(b for b in at.button if b.label == "Save and place").click().run()
    return at


def boxes(at) -> dict[str, str]:
    """The text of each quadrant's box under Suggested engagement, by quadrant name."""
    texts = [m.value for m in at.markdown]
    out = {}
    for q in ENGAGEMENT.values():
        first = next(i for i, t in enumerate(texts) if t.startswith(f"**{q.name}**"))
        out[q.name] = "\n".join(texts[first:first + 3])
    return out


def placed(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "Quadrant" in d.value.columns and "Influence" in d.value)


def test_the_demo_places_every_group_with_the_leads_entries(app_db):
    plan_db(app_db)
    at = open_page("views/stakeholder_map.py")
    assert not at.exception
    table = placed(at).set_index("Group")
    assert len(table) == 6 and not any(i.value.startswith("Not on the map yet") for i in at.info)
    assert table.loc["Line or functional manager", "Quadrant"] == "Keep satisfied"
    assert table.loc["Line or functional manager", "Note"].startswith("They fear losing control")
    assert "Line or functional manager" in boxes(at)["Keep satisfied"]


def test_groups_are_placed_on_the_grid_with_the_engagement_of_their_quadrant(app_db, media):
    plan_db(app_db)
    con = db.connect(app_db)
    services.save_stakeholder_positions(con, "demo", [])        # from nothing entered
    con.close()
    at = open_page("views/stakeholder_map.py")
    assert not at.exception
    editor = at.data_editor[0].value.set_index("Group")
    # the levels the project managers want: governance 3.54, culture 3.57 (their gaps, 1.87 and 1.15, no
    # longer count); the executives, content with today's governance (gap 1.09), want 4.45 and 4.29
    assert editor.loc["Project manager", "Support from the survey"] == 3.6
    assert editor.loc["Executive or sponsor", "Support from the survey"] == 4.4
    assert any(i.value == "No group is placed yet: enter each group's influence above." for i in at.info)

    at = enter(at, {"Executive or sponsor": {"Influence": 5}, "Project manager": {"Influence": 4},
                    "Project team member": {"Influence": 2},
                    "Line or functional manager": {"Influence": 4, "Support": 2, "Note": "busy"},
                    "Portfolio or programme manager": {"Influence": 2, "Support": 2}})
    assert not at.exception and [s.value for s in at.success] == ["Saved: the map is placed again."]
    [grid] = plotly_figures(at)
    layout = grid["layout"]
    assert layout["title"]["text"] == "Stakeholder groups by influence over the PMO and support for it"
    assert layout["xaxis"]["title"]["text"] == "Support for the PMO (1 against, 5 strongly for)"
    assert layout["yaxis"]["title"]["text"] == "Influence over the PMO's success (1 little, 5 decisive)"
    assert {a["text"] for a in layout["annotations"]} == {f"<b>{q.name}</b>" for q in ENGAGEMENT.values()}
    read = next(t for t in grid["data"] if t["name"] == "Support read from the survey")
    assert sorted(read["text"]) == ["Executive or sponsor", "Project manager", "Project team member"]
    table = placed(at)
    assert dict(zip(table["Group"], table["Quadrant"], strict=True)) == {
        "Executive or sponsor": "Manage closely", "Project manager": "Manage closely",
        "Project team member": "Keep informed", "Line or functional manager": "Keep satisfied",
        "Portfolio or programme manager": "Monitor"}
    assert table.set_index("Group").loc["Line or functional manager", "Note"] == "busy"
    said = boxes(at)
    assert "Groups: Executive or sponsor, Project manager" in said["Manage closely"]
    assert ENGAGEMENT["keep_satisfied"].actions[0] in said["Keep satisfied"]
    assert any(i.value.startswith("Not on the map yet: Business customer or user (influence not entered)")
               for i in at.info)
    csv = pd.read_csv(io.BytesIO(downloaded(at, media, "Download the communication actions (CSV)")))
    assert list(csv.columns) == ["Quadrant", "Groups", "Communication action"]
    assert len(csv) == 4 * 3 and set(csv["Quadrant"]) == {q.name for q in ENGAGEMENT.values()}


def test_a_group_too_small_to_show_is_placed_only_from_the_leads_entries(app_db):
    small_group_assessment(app_db, questionnaire.load()).close()
    at = open_page("views/stakeholder_map.py", assessment="small")
    assert not at.exception
    editor = at.data_editor[0].value.set_index("Group")
    assert pd.isna(editor.loc[SMALL_GROUP, "Support from the survey"])       # never read from 2 people
    assert pd.notna(editor.loc["Project manager", "Support from the survey"])
    assert any(SMALL_GROUP in c.value and c.value.startswith("Not shown") for c in at.caption)
    at = enter(at, {g: {"Influence": 4} for g in ("Project manager", "Project team member", SMALL_GROUP)})
    assert any(i.value == f"Not on the map yet: {SMALL_GROUP} (too few responses to read support: enter it)."
               for i in at.info)
    assert SMALL_GROUP not in placed(at)["Group"].tolist()
    at = enter(at, {SMALL_GROUP: {"Support": 2}})
    row = placed(at).set_index("Group").loc[SMALL_GROUP]
    assert (row["Support"], row["Support from"], row["Quadrant"]) == (2.0, "Entered by the PMO lead",
                                                                       "Keep satisfied")


def test_an_entry_out_of_range_is_refused_with_its_group_and_field(app_db):
    plan_db(app_db)
    at = enter(open_page("views/stakeholder_map.py"), {"Project manager": {"Influence": 7},
                                                       "Project team member": {"Support": 0}})
    assert [e.value for e in at.error] == [
        "The stakeholder positions cannot be saved:\n\n"
        "- group 'Project manager', influence: must be a whole number from 1 to 5, or left blank, not 7\n"
        "- group 'Project team member', support: must be a whole number from 1 to 5, or left blank, not 0"]
    assert not at.success


def test_without_stakeholder_groups_the_page_points_to_the_foundation(app_db):
    con = db.connect(app_db)
    services.create_assessment(con, "bare", questionnaire.load(), name="Bare")
    con.close()
    at = open_page("views/stakeholder_map.py", assessment="bare")
    assert not at.exception
    assert at.info[0].value.startswith("No stakeholder groups are recorded yet")
