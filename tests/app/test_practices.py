"""The Best practices page (views/practices.py): the practices for the demo's largest gaps first, search
and filters, every practice by name, and the assessment's own know-how uploaded with its problems listed."""

import yaml

from pmostep.core import questionnaire
from pmostep.deployment import plan
from pmostep.foundation import assessments
from pmostep.planning import know_how, practices
from pmostep.store import db
from tests.app.conftest import open_page, plan_db

OWN = {"problems": {"problems": [{
    "id": "vendor_lock_in", "name": "Locked in by a vendor", "summary": "One vendor runs the projects.",
    "why": "Outsourced long ago.", "consequences": "Nothing changes without the vendor.",
    "symptoms": [{"id": "vendor_decides", "text": "The vendor decides the plans"}],
    "entries": ["project_governance_framework"], "keywords": ["vendor"],
    "rules": [{"kind": "comments", "min_matches": 2}]}]},
       "practices": {"practices": [{
           "id": "own_the_plan", "name": "Own the plan", "step": "foundation", "summary": "Keep planning "
                                                                                          "in-house.",
           "how": ["Name an internal owner", "Review the vendor's plan"], "problems": ["vendor_lock_in"],
           "entries": ["project_governance_framework"]}]}}


def labels(at) -> list[str]:
    return [e.label for e in at.expander if " · " in e.label]


def gap_entry_names(app_db) -> list[str]:
    """The entries closing the demo's largest gaps, by name, worked out as the page should."""
    con = db.connect(app_db)
    a = assessments.get(con, "demo")
    p = plan.build(con, a, questionnaire.load())
    con.close()
    return [p.catalogue.entry(i).name for i in practices.largest_gap_entries(p.recommendations)]


def test_the_practices_for_the_largest_gaps_come_first_with_why(app_db):
    plan_db(app_db)
    at = open_page("views/practices.py")
    assert not at.exception and not at.error
    shown = labels(at)
    assert len(shown) >= 30 and all("_" not in label for label in shown)      # names, never ids
    largest = gap_entry_names(app_db)
    assert any(f"closing this assessment's largest gaps ({', '.join(largest[:3])} ...)" in c.value
               for c in at.caption)
    first = next(c.value for c in at.caption if c.value.startswith("Goes with recommended entries"))
    assert any(name in first for name in largest)
    last = [c.value for c in at.caption if c.value.endswith(" practice.")]
    assert last, "the practices unrelated to the gaps follow, by step"
    whys = [c.value for c in at.caption if c.value.startswith("Goes with") or c.value.endswith(" practice.")]
    assert whys.index(first) < whys.index(last[0])


def test_search_and_filters_narrow_the_list(app_db):
    plan_db(app_db)
    at = open_page("views/practices.py")
    at.text_input(key="practices_search").set_value("lessons start").run()
    assert labels(at) == ["**Read the lessons at project start** · Running the PMO"]
    at.text_input(key="practices_search").set_value("").run()
    at.selectbox(key="practices_step").set_value("deployment").run()
    assert len(labels(at)) == 6 and all(label.endswith("· Deployment") for label in labels(at))
    at.selectbox(key="practices_step").set_value(None).run()
    at.multiselect(key="practices_problems").set_value(["benefits_not_tracked"]).run()
    assert labels(at) == ["**Track benefits after the project closes** · Running the PMO"]
    body = " ".join(m.value for m in at.markdown)
    assert ("**Prevents:** Project benefits are not tracked; The PMO's value is not measured or not told"
            in body)
    assert "**Catalogue entries:** Benefits tracking" in body
    assert any(b.label == "Download these practices (CSV)" for b in at.get("download_button"))


def test_without_an_assessment_the_shipped_practices_are_listed_by_step(app_db):
    db.connect(app_db).close()
    at = open_page("views/practices.py")
    assert not at.exception
    assert labels(at)[0].endswith("· Foundation") and labels(at)[-1].endswith("· Running the PMO")


def test_the_assessments_own_know_how_is_checked_then_used(app_db):
    plan_db(app_db)
    at = open_page("views/practices.py")
    at.file_uploader(key="know_how_upload_problems").upload(
        "problems.yaml", yaml.safe_dump(OWN["problems"]).encode(), "text/yaml").run()
    next(b for b in at.button if b.label == "Check and use for this assessment").click().run()
    error = at.error[0].value
    assert error.startswith("problems.yaml: nothing was changed.")
    assert "problem 'vendor_lock_in': no practice names it in its problems" in error
    at.file_uploader(key="know_how_upload_practices").upload(
        "practices.yaml", yaml.safe_dump(OWN["practices"]).encode(), "text/yaml").run()
    next(b for b in at.button if b.label == "Check and use for this assessment").click().run()
    assert not at.exception and not at.error
    assert any(s.value.startswith("This assessment now has its own problems, practices") for s in at.success)
    at.multiselect(key="practices_problems").set_value(["vendor_lock_in"]).run()
    assert labels(at) == ["**Own the plan** · Foundation"]
    assert any(b.label == "This assessment's practices (YAML)" for b in at.get("download_button"))
    next(b for b in at.button if b.label == "Go back to the shipped problems").click().run()
    assert "The shipped problems cannot come back yet" in at.error[0].value
    next(b for b in at.button if b.label == "Go back to all the shipped know-how").click().run()
    assert any(s.value == "This assessment uses the shipped know-how again." for s in at.success)
    assert "vendor_lock_in" not in at.multiselect(key="practices_problems").options


def test_a_stored_extension_that_no_longer_fits_is_shown_with_a_way_back(app_db):
    plan_db(app_db)
    con = db.connect(app_db)
    with db.cursor(con) as cur:        # stored before the shipped data changed under it, say
        know_how.save_extension(cur, assessments.get(con, "demo").id, "practices",
                                "practices: [{id: x, name: X, step: launch}]\n")
    con.close()
    at = open_page("views/practices.py")
    assert not at.exception
    assert at.error[0].value.startswith("This assessment's know-how cannot be used:")
    assert "practice 'x': step: 'launch' is not one of" in at.error[0].value
    next(b for b in at.button if b.label == "Go back to the shipped know-how").click().run()
    assert any(s.value == "This assessment uses the shipped know-how again." for s in at.success)
    assert len([e for e in at.expander if " · " in e.label]) >= 30


def test_the_practices_that_prevent_the_strong_problems_come_first(app_db):
    plan_db(app_db)
    con = db.connect(app_db)
    found = plan.build(con, assessments.get(con, "demo"), questionnaire.load()).diagnosis
    con.close()
    strong = [f for f in found if f.confirmed]
    at = open_page("views/practices.py")
    assert not at.exception
    names = ", ".join(f.name for f in strong[:3])
    assert any(f"First those that prevent the problems strong on the Problems page ({names} ...)" in c.value
               for c in at.caption)
    whys = [c.value for c in at.caption if c.value.startswith(("Prevents a likely problem", "Goes with"))
            or c.value.endswith(" practice.")]
    first = [w.startswith("Prevents a likely problem of this assessment: ") for w in whys]
    assert first[0] and first == sorted(first, reverse=True)        # all of them before any other
    assert strong[0].name in whys[0]
