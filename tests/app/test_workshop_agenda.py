"""The Agenda page (views/workshop_agenda.py): a workshop started from the suggested agenda with its
reasons, then items reordered, edited, dropped and added, and the workshop ended."""

from pmostep.foundation import assessments
from pmostep.store import db
from pmostep.workshop import store
from tests.app.conftest import open_page, plan_db


def stored(path) -> tuple[list[tuple[str, str]], str]:
    """The newest workshop of the demo: its items (kind, title) in order, and its status."""
    con = db.connect(path)
    with db.cursor(con) as cur:
        w = store.list_for(cur, assessments.get(con, "demo").id)[0]
        items = [(a.draft.kind, a.draft.title) for a in store.activities(cur, w.id)]
    con.close()
    return items, w.status


def test_a_workshop_starts_from_the_suggested_agenda_each_item_saying_why(app_db):
    plan_db(app_db)
    at = open_page("views/workshop_agenda.py")
    assert not at.exception
    assert at.subheader[0].value == "Start a workshop"
    suggested = [m.value for m in at.markdown if m.value.startswith("**1. ")]
    assert suggested == ["**1. Foundation recap: Where we start: the Foundation**"]
    reasons = [c.value for c in at.caption]
    assert "The Foundation facts, so that the room starts from the same picture (150 respondents, maturity " \
           "index 2.08)." in reasons
    assert any(r.startswith("Priority 7.64 (gap 1.82 x importance 4.19), the largest of 12 dimensions")
               for r in reasons)
    at.text_input(key="agenda_new_title").input("Harbourline PMO workshop")
    at.button(key="FormSubmitter:agenda_new-Start the workshop").click().run()
    assert not at.exception
    items, status = stored(app_db)
    assert status == "live" and items[0] == ("recap", "Where we start: the Foundation")
    assert items[-1] == ("text", "What would most help or hinder the PMO?")
    assert any(s.value.startswith("Workshop started: join code ") for s in at.success)
    assert at.selectbox(key="workshop").value is not None
    assert any(c.value.startswith("Why: ") for c in at.caption)


def test_items_are_reordered_edited_dropped_added_and_the_workshop_ended(app_db):
    plan_db(app_db)
    at = open_page("views/workshop_agenda.py")
    at.checkbox(key="agenda_new_empty").check()
    at.button(key="FormSubmitter:agenda_new-Start the workshop").click().run()
    assert stored(app_db)[0] == []

    at.selectbox(key="agenda_add_kind").set_value("dots").run()
    assert at.selectbox(key="agenda_add_about_dots").value == "entry"
    at.text_input(key="agenda_add_title").input("Which comes first?")
    at.multiselect(key="agenda_add_items").set_value(["pmo_charter", "project_inventory"])
    at.number_input(key="agenda_add_dots").set_value(4)
    at.button(key="FormSubmitter:agenda_add-Add to the agenda").click().run()
    assert not at.exception and not at.error
    at.selectbox(key="agenda_add_kind").set_value("text").run()
    at.text_input(key="agenda_add_title").input("What worries you?")
    at.button(key="FormSubmitter:agenda_add-Add to the agenda").click().run()
    assert stored(app_db)[0] == [("dots", "Which comes first?"), ("text", "What worries you?")]
    assert "PMO charter and mandate, Project inventory" in [c.value for c in at.caption]

    ups = [b for b in at.button if b.key and b.key.startswith("agenda_up_")]
    ups[1].click().run()
    assert stored(app_db)[0] == [("text", "What worries you?"), ("dots", "Which comes first?")]

    edit = next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:agenda_edit_")
                and "Save" in b.key)
    form = edit.key.split(":")[1].rsplit("-", 1)[0]
    at.text_input(key=f"{form}_title").input("What worries you most?")
    edit.click().run()
    assert stored(app_db)[0][0] == ("text", "What worries you most?")

    bad = next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:agenda_edit_")
               and b.key.split(":")[1].rsplit("-", 1)[0] != form)
    bad_form = bad.key.split(":")[1].rsplit("-", 1)[0]
    at.multiselect(key=f"{bad_form}_items").set_value(["pmo_charter"])
    bad.click().run()
    assert any("items: a dots activity takes 2-15 items, not 1" in e.value for e in at.error)

    next(b for b in at.button if b.key and b.key.startswith("agenda_drop_")).click().run()
    assert stored(app_db)[0] == [("dots", "Which comes first?")]

    assert at.button(key="agenda_end").disabled
    at.checkbox(key="agenda_end_sure").check().run()
    at.button(key="agenda_end").click().run()
    assert stored(app_db)[1] == "ended"
    assert any(i.value.startswith("This workshop has ended") for i in at.info)
    assert not [b for b in at.button if b.key and b.key.startswith("agenda_drop_")]


def test_the_forms_take_the_domains_limits(app_db):
    """A title of up to 200 characters and settings in the domain's ranges (activities.SETTINGS): the
    page's inputs never accept what services would refuse, nor refuse what they take."""
    from pmostep.workshop import activities
    plan_db(app_db)
    at = open_page("views/workshop_agenda.py")
    assert at.text_input(key="agenda_new_title").max_chars == activities.MAX_TITLE == 200
    at.checkbox(key="agenda_new_empty").check()
    at.button(key="FormSubmitter:agenda_new-Start the workshop").click().run()
    assert at.text_input(key="agenda_add_title").max_chars == 200
    for kind, names in (("dots", ("dots", "cap")), ("points", ("total",))):
        at.selectbox(key="agenda_add_kind").set_value(kind).run()
        for name in names:
            box = at.number_input(key=f"agenda_add_{name}")
            default, least, most = activities.SETTINGS[kind][name]
            assert (box.value, box.min, box.max) == (default, least, most)
