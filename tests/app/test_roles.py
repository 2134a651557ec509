"""The PMO roles page (views/roles.py): every role by name with the catalogue entries that need it, a
titled chart of those counts with its CSV, and the assessment's own roles."""

import yaml

from pmostep import services
from pmostep.core import questionnaire
from pmostep.foundation import assessments
from pmostep.store import db
from tests.app.conftest import open_page, plan_db, plotly_figures, values


def test_every_role_shows_its_entries_and_pmo_types_by_name(app_db):
    plan_db(app_db)
    at = open_page("views/roles.py")
    assert not at.exception and not at.error
    shown = [e.label for e in at.expander if " · " in e.label]
    assert len(shown) >= 12 and shown[0] == "**PMO director** · Senior manager or director"
    body = " ".join(m.value for m in at.markdown)
    assert "**Catalogue entries that need it:** Advice to executives; Strategic planning support" in body
    assert "**PMO types that need it:** III Coaching and Training Center; IV Resource Center / Center of " \
           "Excellence" in body
    (figure,) = plotly_figures(at)
    assert figure["layout"]["title"]["text"] == "Catalogue entries that need each PMO role"
    assert figure["layout"]["xaxis"]["title"]["text"] == "Catalogue entries that name the role"
    bars = dict(zip(figure["data"][0]["y"], values(figure["data"][0]["x"]), strict=True))
    assert bars["PMO director"] == 2 and bars["PMO lead"] == max(bars.values())
    table = next(d.value for d in at.dataframe if "Typical grade" in d.value.columns)
    assert list(table.columns[:7]) == ["Role", "Typical grade", "Entries that need it", "PMO type I",
                                       "PMO type II", "PMO type III", "PMO type IV"]
    row = table.set_index("Role").loc["Resource manager"]
    assert row["PMO type IV"] == "yes" and row["PMO type I"] == ""
    assert "pmo_" not in table.to_string()                                  # names, never ids
    labels = {b.label for b in at.get("download_button")}
    assert {"Download these counts (CSV)", "Download the roles (CSV)"} <= labels


def test_the_assessments_own_roles_are_listed(app_db):
    plan_db(app_db)
    con = db.connect(app_db)
    q = questionnaire.load()
    role = {"id": "vendor_manager", "name": "Vendor manager", "purpose": "Manages the vendors.",
            "responsibilities": ["Contracts"], "skills": ["Negotiation"], "grade": "Manager",
            "pmo_types": ["IV"]}
    services.save_know_how_extensions(con, assessments.get(con, "demo"), q,
                                      {"roles": yaml.safe_dump({"roles": [role]})})
    con.close()
    at = open_page("views/roles.py")
    assert not at.exception
    assert [e.label for e in at.expander if " · " in e.label][-1] == "**Vendor manager** · Manager"
    assert any("(this assessment's own included)" in c.value for c in at.caption)
    assert "No catalogue entry names this role." in [m.value for m in at.markdown]
