"""The Foundation page (views/foundation.py): the assessment's facts, readiness and stakeholder groups,
shown and edited."""

import pytest

from pmostep import demo
from pmostep.foundation import assessments
from pmostep.store import db
from tests.app.conftest import open_page, start


def test_foundation_page_shows_facts_readiness_and_edits(app_db):
    at = open_page("views/foundation.py")
    assert not at.exception
    facts = at.dataframe[0].value.set_index("Fact")["Value"]
    assert facts["Organisation"] == "Harbourline Logistics" and facts["PMO type"].startswith("II: Project")
    assert facts["PMO scope"] == "Enterprise (the whole organisation)"        # as the workbook says, no code
    scope = next(s for s in at.selectbox if s.label == "PMO scope")
    assert scope.options == ["Enterprise (the whole organisation)", "Division", "Department", "Programme"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Reading"] == "Moderate" and metrics["Change budget per wave"] == "7"
    at.button(key="status_closed").click().run()
    assert any("now closed" in s.value for s in at.success)
    assert "status: closed" in at.caption[0].value


def test_foundation_form_saves_facts_and_groups(app_db):
    at = open_page("views/foundation.py")
    organisation = next(t for t in at.text_input if t.label == "Organisation" and t.value)
    organisation.input("Harbourline Group")
    save = next(b for b in at.button if b.label == "Save")
    save.click().run()
    assert not at.exception
    assert any(s.value == "Saved." for s in at.success)
    facts = at.dataframe[0].value.set_index("Fact")["Value"]
    assert facts["Organisation"] == "Harbourline Group"
    con = db.connect(app_db)
    assert len(assessments.get(con, demo.DEMO_SLUG).stakeholder_groups) == 6   # the six groups were kept
    con.close()


def test_the_minimum_group_size_is_fixed_once_responses_are_published(app_db):
    """Forming the blocks anew with another size would let views before and after be compared."""
    at = start()
    at.switch_page("views/foundation.py").run()
    size = at.number_input(key="min_group_size")
    assert size.value == 5 and size.disabled and "Fixed once responses are published" in size.help
    con = db.connect(app_db)
    with pytest.raises(assessments.AssessmentError, match="minimum group size stays 5"):
        assessments.update(con, demo.DEMO_SLUG, min_group_size=10)
    con.close()
