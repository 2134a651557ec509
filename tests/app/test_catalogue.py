"""The Catalogue page (views/catalogue.py): filtered, an entry added to the assessment's copy, and a copy
refused while the assessment's own know-how names an entry it would drop."""

import yaml

from pmostep import services
from pmostep.core import questionnaire
from pmostep.foundation import assessments
from pmostep.products import catalogue
from pmostep.store import db
from tests.app.conftest import open_page, plan_db
from tests.integration.test_know_how import OWN_PLAN, VENDOR, without


def test_catalogue_page_filters_and_adds_an_entry_to_the_assessments_copy(app_db):
    plan_db(app_db)
    at = open_page("views/catalogue.py")
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Improves" in d.value.columns)
    total = len(table)
    at.segmented_control(key="catalogue_types").set_value(["product"]).run()
    products = next(d.value for d in at.dataframe if "Improves" in d.value.columns)
    assert 0 < len(products) < total and set(products["Type"]) == {"Product"}
    form = at.get("form")[-1] if at.get("form") else None
    assert form is not None
    inputs = {t.label: t for t in at.text_input}
    inputs["Short id"].set_value("vendor_reviews")
    inputs["Name"].set_value("Vendor reviews")
    next(t for t in at.text_area if t.label == "Description").set_value("Reviews of suppliers' projects.")
    next(t for t in at.text_area if t.label.startswith("Deliverables")).set_value("Review report")
    next(m for m in at.multiselect if m.label == "Improves strongly").set_value(["risk"])
    next(m for m in at.multiselect if m.label.startswith("PMO functions")).set_value(["learning"])
    next(b for b in at.button if b.label == "Add the entry").click().run()
    assert not at.exception
    assert any(s.value == "Added 'Vendor reviews' to this assessment's catalogue." for s in at.success)
    assert any("customised for this assessment" in c.value for c in at.caption)
    # A bad entry is refused with the field named, and nothing is lost.
    inputs = {t.label: t for t in at.text_input}
    inputs["Short id"].set_value("Bad Id")
    inputs["Name"].set_value("Bad")
    next(b for b in at.button if b.label == "Add the entry").click().run()
    assert any("'Bad Id'" in e.value for e in at.error)
    table = next(d.value for d in at.dataframe if "Improves" in d.value.columns)
    assert "Vendor reviews" in set(table["Entry"])


def test_a_catalogue_that_drops_an_entry_the_assessments_own_know_how_names_is_refused(app_db):
    plan_db(app_db)
    q = questionnaire.load()
    con = db.connect(app_db)
    services.save_know_how_extensions(con, assessments.get(con, "demo"), q, {
        "problems": yaml.safe_dump({"problems": [VENDOR]}),
        "practices": yaml.safe_dump({"practices": [OWN_PLAN]})})
    con.close()
    dims = [d.id for d in q.dimensions]
    smaller = without(catalogue.shipped(tuple(dims)), "project_governance_framework", dims)
    at = open_page("views/catalogue.py")
    at.file_uploader(key="catalogue_upload").upload("smaller.yaml", smaller.to_yaml().encode(),
                                                    "text/yaml").run()
    next(b for b in at.button if b.label == "Use this catalogue for this assessment").click().run()
    assert not at.exception
    error = at.error[0].value
    assert error.startswith("The catalogue was not saved, since this assessment's own problems or practices "
                            "name entries it lacks: change or remove those records first, on the Best "
                            "practices page. Nothing was changed.")
    assert ("- the assessment's practices (extension): practice 'own_the_plan': entries: entry "
            "'project_governance_framework' is not in the catalogue") in error
    assert any("the standard catalogue" in c.value for c in at.caption)
