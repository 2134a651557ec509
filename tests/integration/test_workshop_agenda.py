"""The suggested agenda of the demo (pmostep/workshop/agenda.py, suggest_for): read from its scores, its
disagreement flags, its ranking and its Foundation facts."""

import json

from pmostep import cli, services
from pmostep.deployment import plan
from pmostep.foundation import assessments
from pmostep.planning import decisions, scoring
from pmostep.reports import tables
from pmostep.store import db
from pmostep.workshop import agenda


def test_the_demo_agenda_follows_its_scores_flags_and_ranking(con, q):
    a = services.load_demo(con, q)
    drafts = agenda.suggest_for(con, a, q, plan.ranking(con, a, q))
    kinds = [d.kind for d in drafts]
    assert kinds == ["recap", "rating", "rating", "rating", "rating", "dots", "matrix", "text"]
    recap = drafts[0]
    assert "Organisation: Harbourline Logistics" in recap.notes.splitlines()
    assert "Respondents: 150" in recap.notes.splitlines()
    assert recap.why.endswith("(150 respondents, maturity index 2.08).")
    # The three largest priorities of the Gaps page, in its order.
    whole = scoring.score(con, a, q).whole
    by_priority = whole.dimensions.sort_values("priority", ascending=False)["id"].tolist()
    assert [d.items[0] for d in drafts[1:4]] == by_priority[:3] == ["portfolio", "governance", "resources"]
    assert drafts[1].why == ("Priority 7.64 (gap 1.82 x importance 4.19), the largest of 12 dimensions "
                             "with a gap; the survey says 1.82 now, 3.64 desired (n 103).")
    # The Agreement page's one flagged statement.
    flagged = tables.disagreements(whole.statements, {d.id: d.name for d in q.dimensions})
    assert drafts[4].title == flagged["Statement"].iloc[0] and drafts[4].item_kind == "statement"
    # The best-ranked undecided entries; accepting the first takes it off the next agenda.
    dots = drafts[5]
    decided = decisions.choices(con, a.id)
    ranked = [r.item for r in plan.ranking(con, a, q) if r.score > 0 and r.item not in decided]
    assert len(dots.items) == 8 and list(dots.items) == ranked[:8]
    first = dots.items[0]
    services.decide(con, a.slug, {"accepted": [first]}, "agreed in the steering group")
    again = agenda.suggest_for(con, a, q, plan.ranking(con, a, q))[5]
    assert first not in again.items and len(again.items) == 8


def test_a_workshop_started_from_the_cli_has_the_suggested_agenda(tmp_path, capsys, q):
    path = str(tmp_path / "cli.duckdb")
    assert cli.main(["demo", "--db", path]) == 0
    assert cli.main(["workshop", "new", "--assessment", "demo", "--db", path]) == 0
    capsys.readouterr()
    assert cli.main(["workshop", "results", "--assessment", "demo", "--db", path]) == 0
    started = json.loads(capsys.readouterr().out)["activities"]
    con = db.connect(path)
    a = assessments.get(con, "demo")
    suggested = agenda.suggest_for(con, a, q, plan.ranking(con, a, q))
    con.close()
    assert [(x["kind"], x["title"], [i["id"] for i in x["items"]]) for x in started] == [
        (d.kind, d.title, list(d.items)) for d in suggested]
    assert [x["kind"] for x in started] == ["recap", "rating", "rating", "rating", "rating", "dots", "matrix",
                                            "text"]


def test_the_agenda_ranks_with_the_workshop_priority_as_the_plan_does(con, q):
    """An entry an earlier workshop voted up enters the next agenda's dots, in plan.build's order."""
    from pmostep.workshop import live
    from pmostep.workshop.activities import ActivityDraft
    a = services.load_demo(con, q)
    def undecided() -> list[str]:
        built = plan.build(con, a, q)
        return [r.item for r in built.recommendations if r.score > 0 and r.item not in built.choices]

    before = agenda.suggest_for(con, a, q, plan.ranking(con, a, q))[5].items
    assert list(before) == undecided()[:8]
    ninth, other = undecided()[8:10]
    w = services.new_workshop(con, a.slug, "Steering group",
                              agenda=[ActivityDraft("dots", "First?", (ninth, other), "entry")])
    (dots,) = live.activities(con, w.id)
    services.open_round(con, dots.id)
    for i in range(a.min_group_size):
        token = services.join(con, w.code)
        services.answer(con, w.code, token, dots.id, {"dots": {ninth: 2}}, f"d{i}")
    services.reveal(con, dots.id)
    after = agenda.suggest_for(con, a, q, plan.ranking(con, a, q))[5].items
    assert ninth in after and ninth not in before
    assert list(after) == undecided()[:8]
