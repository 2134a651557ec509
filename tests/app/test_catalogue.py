"""The Catalogue page (views/catalogue.py): filtered, and an entry added to the assessment's copy."""

from tests.app.conftest import open_page, plan_db


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
