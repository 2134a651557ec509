"""The Reports page (views/reports.py) with AppTest on the demo: choose a deliverable, build it, see its
outline (sheets, slides, headings) and the HTML report in the page, download the file; a rerun keeps what
was built, the filters of the page reach the deliverable, a withheld view says why. (The PDF needs
Chromium, which AppTest does not run: tests/e2e/test_reports.py downloads it from a real page.)"""

import io
import shutil
import zipfile
from datetime import date

import docx
import openpyxl
import pptx
import pytest

from pmostep import services
from pmostep.core import questionnaire
from pmostep.foundation import assessments
from pmostep.planning import decisions
from pmostep.reports import deliverables
from pmostep.store import db, responses
from tests.app.conftest import downloaded, open_page, vote
from tests.conftest import METH, batch_from_rows, rating_rows

PAGE = "views/reports.py"
OPENS = {"xlsx": openpyxl.load_workbook, "pptx": pptx.Presentation, "docx-charter": docx.Document,
         "docx-plan": docx.Document}


def build(at, key: str):
    at.segmented_control(key="reports_choice").set_value(key).run()
    at.button(key="reports_build").click().run()
    return at


def outline(at) -> list[str]:
    (table,) = at.dataframe                   # the outline is the page's one table
    return list(table.value.iloc[:, 0])


def test_the_page_offers_every_deliverable_by_its_name(app_db):
    at = open_page(PAGE)
    assert not at.exception and not at.error
    assert [t.value for t in at.title] == ["Reports"]
    choice = at.segmented_control(key="reports_choice")
    assert choice.options == [d.label for d in deliverables.FORMATS]       # names, never the keys
    assert choice.value == "html"
    assert at.button(key="reports_build").label == "Build"
    assert not at.get("download_button")               # nothing is built until asked


@pytest.mark.parametrize("key", [k for k in deliverables.KEYS if k != "pdf"])
def test_building_a_deliverable_shows_its_outline_and_downloads_it(app_db, media, key):
    at = build(open_page(PAGE), key)
    assert not at.exception and not at.error
    name = deliverables.file_name(key, "demo", date.today())
    data = downloaded(at, media, f"Download {name}")
    shown = outline(at)
    assert shown == deliverables.outline(key, data) and len(shown) >= 3
    if key in OPENS:
        assert zipfile.is_zipfile(io.BytesIO(data))
        OPENS[key](io.BytesIO(data))
    else:
        (frame,) = at.get("iframe")
        assert frame.proto.srcdoc == data.decode("utf-8") and "Harbourline Logistics" in frame.proto.srcdoc
    assert at.button(key="reports_build").label == "Build again"
    at.run()                                             # a rerun shows what was built, without building
    assert outline(at) == shown and not at.get("status")


def test_a_workbook_with_one_row_per_respondent_has_one_sheet_more(app_db, media):
    at = build(open_page(PAGE), "xlsx")
    plain = outline(at)
    at.toggle(key="reports_raw").set_value(True).run()
    assert not at.get("download_button")               # another choice: built again on demand
    at.button(key="reports_build").click().run()
    assert len(outline(at)) == len(plain) + 1 and set(plain) < set(outline(at))


def test_the_pages_filters_reach_the_deliverable(app_db, media):
    at = open_page(PAGE)
    at.multiselect(key="filter_group").set_value(["Project manager"]).run()
    assert "Showing the 41 respondents who match the filters" in " ".join(c.value for c in at.caption)
    build(at, "html")
    (frame,) = at.get("iframe")
    assert "Project manager" in frame.proto.srcdoc


def test_a_withheld_view_says_why_and_builds_nothing(app_db):
    at = open_page(PAGE)
    at.multiselect(key="filter_group").set_value(["Executive or sponsor"]).run()
    at.multiselect(key="filter_business_unit").set_value(["Operations"]).run()
    assert "fewer than the 5 needed" in at.warning[0].value
    assert not [b for b in at.button if b.key == "reports_build"] and not at.get("segmented_control")


def test_with_nothing_accepted_the_page_says_the_roadmap_is_empty_and_still_builds(app_db, demo_file, media):
    shutil.copy(demo_file, app_db)
    con = db.connect(app_db)
    accepted = [i for i, c in decisions.choices(con, assessments.get(con, "demo").id).items()
                if c.decision == "accepted"]
    services.decide(con, "demo", {None: accepted})
    con.close()
    at = open_page(PAGE)
    assert "No products or services are accepted yet, so the roadmap is empty" in at.info[0].value
    assert [link.label for link in at.get("page_link")] == ["Go to Recommendations"]
    build(at, "docx-plan")
    assert not at.exception and not at.error and outline(at)


def test_a_comment_with_a_control_character_downloads_in_the_workbook(app_db, media):
    """A vertical tab pasted into a comment made openpyxl refuse the cell: the page showed a traceback."""
    con = db.connect(app_db)
    q = questionnaire.load()
    a = assessments.create(con, "pilot", q, name="Pilot")
    keys = {f"p{i}": True for i in range(6)}
    answers = [row for k in keys for row in rating_rows(k, METH, [2, 2, 3, 3], [4, 4, 4, 4])]
    responses.add(con, a, q, batch_from_rows(keys, answers, comments=[("p0", q.comments[0].id, "a\x0bb")]))
    con.close()
    at = build(open_page(PAGE, assessment="pilot"), "xlsx")
    assert not at.exception and not at.error
    data = downloaded(at, media, f"Download {deliverables.file_name('xlsx', 'pilot', date.today())}")
    comments = openpyxl.load_workbook(io.BytesIO(data))["Comments"]
    assert "ab" in [c.value for row in comments.iter_rows() for c in row]


def test_a_workshop_round_revealed_after_a_build_is_not_served_from_the_old_file(workshop_db, media):
    """A rating of a dimension changes no plan, only the documents' workshop rounds: the workshop's own
    state must reach the key the page keeps a built file under."""
    at = build(open_page(PAGE), "html")
    (frame,) = at.get("iframe")
    assert "Where is governance today?" not in frame.proto.srcdoc
    services.open_round(workshop_db["con"], workshop_db["rating"])
    vote(workshop_db, "rating", [{"current": 3, "desired": 4}] * 6)
    services.reveal(workshop_db["con"], workshop_db["rating"])
    at.run()
    assert not at.exception and not at.get("download_button") and not at.get("iframe")
    assert at.button(key="reports_build").label == "Build"
    at.button(key="reports_build").click().run()
    (frame,) = at.get("iframe")
    assert "Where is governance today?" in frame.proto.srcdoc
