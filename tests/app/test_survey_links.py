"""The Survey links page (views/survey_links.py): links, QR codes, response rates and the open link's
unfinished responses; no links for a closed assessment."""

from pmostep import services
from pmostep.foundation import assessments
from pmostep.initiation import survey
from pmostep.store import db
from tests.app.conftest import open_page, start


def test_survey_links_page_shows_link_qr_and_response_rates(app_db):
    at = open_page("views/survey_links.py")
    assert not at.exception
    assert "/?t=" in at.code[0].value and len(at.image) == 1
    at.text_area(key="invitees").input("ana@example.org, ben@example.org\nnot-an-address")
    at.button[0].click().run()
    assert any("2 personal links ready" in s.value for s in at.success)
    assert "'not-an-address' is not an e-mail address" in at.warning[0].value
    links = next(d.value for d in at.dataframe if "Invitee" in d.value.columns)
    assert list(links["Invitee"]) == ["ana@example.org", "ben@example.org"]
    rates = next(d.value for d in at.dataframe if "Response rate" in d.value.columns)
    assert rates.iloc[0]["Stakeholder group"] == "Executive or sponsor" and rates.iloc[0]["Invited"] == 24


def test_survey_links_page_offers_no_links_for_a_closed_assessment(app_db):
    at = start()
    con = db.connect(app_db)
    assessments.set_status(con, "demo", "closed")
    con.close()
    at.switch_page("views/survey_links.py").run()
    assert not at.exception
    assert at.warning[0].value == ("Assessment 'demo' is closed, so it takes no new survey links: reopen it "
                                   "on the Foundation page (Status: Reopen).")
    assert not at.code and not at.image and not at.text_area          # no link, no QR code, no form
    assert any(d.value.columns[0] == "Stakeholder group" for d in at.dataframe)   # response rates stay


def test_the_survey_links_page_shows_the_open_links_unfinished_responses(links, monkeypatch):
    monkeypatch.setenv(survey.MAX_UNFINISHED_ENV, "300")
    s = survey.start(links["con"], links["open"].token)
    services.save_survey_page(links["con"], s, 1, ratings={"meth_1": (3, 3)})
    at = open_page("views/survey_links.py")
    assert not at.exception
    shown = " ".join(c.value for c in at.caption)
    assert "Unfinished responses (started, not submitted): 1 of at most 300" in shown
