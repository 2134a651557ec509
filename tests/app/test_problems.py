"""The Problems page (views/problems.py): the likely problems ranked with their evidence, the self-check's
ticks stored and counted, and the bonus they give shown on the Recommendations page."""

from pmostep import services
from pmostep.deployment import plan
from pmostep.planning import know_how, self_check
from pmostep.store import db
from tests.app.conftest import open_page, plan_db, plotly_figures, small_assessment

SPONSOR = "No real sponsor or charter"
CHANGE = "The PMO run as a project, not as a culture change"
AWARENESS = "PMO awareness sessions"


def demo_diagnosis(app_db):
    con = db.connect(app_db)
    try:
        return plan.build(con, *services.assessment_with_questionnaire(con, "demo")).diagnosis
    finally:
        con.close()


def headings(at) -> list[str]:
    """The problems' first lines, in the page's order: "**Name** · strength (n signs)"."""
    return [m.value for m in at.markdown if m.value.startswith("**") and " · " in m.value]


def test_problems_page_ranks_the_problems_with_their_evidence(app_db):
    plan_db(app_db)
    found = demo_diagnosis(app_db)
    at = open_page("views/problems.py")
    assert not at.exception and not at.error
    figure = plotly_figures(at)[0]
    assert figure["layout"]["title"]["text"] == "Likely problems: the points of each problem"
    assert figure["layout"]["xaxis"]["title"]["text"] == (
        "Points (signs in the figures + in the comments + symptoms ticked)")
    assert [t["name"] for t in figure["data"]] == ["Signs in the figures", "Signs in the comments",
                                                   "Symptoms ticked"]
    assert {m.label: m.value for m in at.metric}["Strong"] == str(sum(f.strength == "strong" for f in found))
    shown = [f for f in found if f.strength != "not seen"] + [f for f in found if f.strength == "not seen"]
    assert headings(at) == [f"**{f.name}** · {f.strength} ({f.points} sign{'' if f.points == 1 else 's'})"
                            for f in shown]
    strong = next(f for f in found if f.strength == "strong")
    listed = "*Evidence in the figures and comments:*\n" + "\n".join(f"- {line}" for line in strong.evidence)
    assert any(m.value == listed for m in at.markdown)
    assert any(m.value == f"*Why it ranks here:* {strong.why}" for m in at.markdown)
    assert any(p.name in m.value for p in strong.practices for m in at.markdown)
    text = " ".join(m.value for m in at.markdown)
    assert "pmo_charter" not in text and "PMO charter and mandate" in text          # names, not ids
    assert any(e.label == "How problems are detected" for e in at.expander)
    assert any("2 or more is strong" in c.value for c in at.caption)
    assert at.get("download_button")[0].proto.label == "Download the problems and their points (CSV)"


def test_ticking_a_symptom_stores_it_and_the_ranking_and_recommendations_follow(app_db):
    a = plan_db(app_db)
    change = next(f for f in demo_diagnosis(app_db) if f.id == "change_not_led")
    assert change.strength == "possible"                # the demo's culture ratings differ by group
    symptom = change.symptoms[0]
    at = open_page("views/problems.py")
    before = headings(at)
    was, now = f"**{CHANGE}** · possible (1 sign)", f"**{CHANGE}** · strong (2 signs)"
    assert was in before
    at.checkbox(key=f"symptom_change_not_led_{symptom.id}").check().run()
    assert not at.exception
    assert at.success[0].value == f"Ticked '{symptom.text}' ({CHANGE}): the ranking below counts it."
    after = headings(at)
    assert now in after and after.index(now) < before.index(was)            # up among the strong ones
    assert at.checkbox(key=f"symptom_change_not_led_{symptom.id}").value is True
    con = db.connect(app_db)
    assert self_check.ticked(con, a.id) == {"change_not_led": frozenset({symptom.id})}
    con.close()

    rec = open_page("views/recommendations.py")
    assert not rec.exception
    table = next(d.value for d in rec.dataframe if "Why" in d.value.columns).set_index("Entry")
    assert f"{CHANGE} (strong: 2 signs)" in table.loc[AWARENESS, "Why"]
    assert CHANGE in table.loc[AWARENESS, "Likely problem"]
    assert table.loc[AWARENESS, "Likely problem"].endswith(", +25 %")
    assert any(CHANGE in c.value and "gain 25 %" in c.value for c in rec.caption)
    axis = plotly_figures(rec)[0]["layout"]["xaxis"]["title"]["text"]
    assert axis.endswith("x fit x ease x horizon x problem bonus)")
    assert any(e.label == "How the problem bonus works" for e in rec.expander)

    at = open_page("views/problems.py")
    at.checkbox(key=f"symptom_change_not_led_{symptom.id}").uncheck().run()
    assert at.success[0].value.startswith("Unticked")
    assert was in headings(at)


def test_a_tick_beside_comments_alone_leaves_a_problem_possible(app_db):
    plan_db(app_db)
    sponsor = next(f for f in demo_diagnosis(app_db) if f.id == "no_sponsor")
    assert sponsor.evidence == ("3 comments mention sponsor",)          # in the comments, not the figures
    at = open_page("views/problems.py")
    at.checkbox(key=f"symptom_no_sponsor_{sponsor.symptoms[0].id}").check().run()
    assert not at.exception
    assert f"**{SPONSOR}** · possible (2 signs)" in headings(at)
    assert any(m.value.startswith("*Why it ranks here:* 2 signs, none in the figures (strong needs one")
               for m in at.markdown)


def test_before_scores_the_foundation_rules_and_ticks_count_and_the_survey_rules_wait(app_db):
    small_assessment(app_db, 3)                          # 3 responses, no sponsor recorded
    at = open_page("views/problems.py", assessment="tiny")
    assert not at.exception and not at.error
    assert any(i.value.startswith("'tiny' has 3 completed responses; scores need at least 5. Until then "
                                  "only the rules that read the Foundation") for i in at.info)
    assert plotly_figures(at)
    assert f"**{SPONSOR}** · possible (1 sign)" in headings(at)
    assert any(m.value.startswith("*Why it ranks here:* 1 sign: No sponsor is recorded in the Foundation")
               and "Waiting for scores: Governance and sponsorship: current below 2" in m.value
               for m in at.markdown)
    at.checkbox(key="symptom_no_sponsor_no_charter").check().run()
    assert not at.exception
    assert f"**{SPONSOR}** · strong (2 signs)" in headings(at)


def test_a_problem_not_seen_is_folded_away_and_says_what_its_rules_look_for(app_db):
    plan_db(app_db)
    quiet = next(f for f in demo_diagnosis(app_db) if f.strength == "not seen")
    at = open_page("views/problems.py")
    assert any(e.label == f"{quiet.name} · not seen (0 signs)" for e in at.expander)
    assert "Looked for:" in quiet.why
    assert any(m.value == f"*Why it ranks here:* {quiet.why}" for m in at.markdown)


def test_know_how_that_cannot_be_used_is_named_and_the_recommendations_go_on(app_db):
    a = plan_db(app_db)
    con = db.connect(app_db)
    with db.transaction(con) as cur:
        know_how.save_extension(cur, a.id, "problems", "problems: [{id: broken}]")
    con.close()
    at = open_page("views/problems.py")
    assert not at.exception
    said = at.error[0].value
    assert said.startswith("This assessment's know-how cannot be used, so the problems cannot be diagnosed:")
    assert "broken" in said
    assert not plotly_figures(at)
    rec = open_page("views/recommendations.py")
    assert not rec.exception and plotly_figures(rec)
    assert any(c.value.startswith("The likely problems cannot be diagnosed") for c in rec.caption)
