"""The diagnosis (planning/diagnosis.py) on hand-worked facts: each rule kind firing, and not firing just on
the other side of its threshold; a group below the minimum size never read; the self-check's ranking."""

from dataclasses import replace
from datetime import datetime

import pandas as pd
import pytest

from pmostep.foundation.assessments import Assessment
from pmostep.planning import diagnosis, readiness
from pmostep.planning.diagnosis import Facts
from pmostep.planning.know_how import KnowHow
from pmostep.planning.practices import Practice
from pmostep.planning.problems import Problem, Rule, Symptom
from pmostep.planning.scoring import ALL, GroupScores, ScoreReport

NAN = float("nan")
BASE = {"n": 40, "n_na": 0, "current": 3.0, "current_sd": 0.8, "desired": 3.2, "alpha": 0.8, "n_alpha": 30}


def dimensions(q, **figures) -> pd.DataFrame:
    """Every dimension of the questionnaire with calm figures, changed where `figures` say (id -> dict)."""
    rows = [{"id": d.id, "name": d.name, **BASE, **figures.get(d.id, {})} for d in q.dimensions]
    frame = pd.DataFrame(rows)
    frame["gap"] = frame["desired"] - frame["current"]
    return frame


def statements(q, **counts) -> pd.DataFrame:
    """One row of counts per dimension (what the don't-know rule sums): id -> (n, n_held, n_na)."""
    return pd.DataFrame([{"dimension_id": d.id, **dict(zip(("n", "n_held", "n_na"),
                                                            counts.get(d.id, (160, 0, 0)), strict=True))}
                         for d in q.dimensions])


def overall(dims: pd.DataFrame) -> dict:
    current, desired = dims["current"].mean(), dims["desired"].mean()
    return {"current": current, "desired": desired, "gap": desired - current}


def whole(q, stmts: pd.DataFrame | None = None, **figures) -> ScoreReport:
    dims = dimensions(q, **figures)
    group = GroupScores(ALL, 40, overall(dims), dims, statements(q) if stmts is None else stmts)
    return ScoreReport("t", q.id, q.version, 5, 40, None, [group])


def group(q, name: str, respondents: int, **figures) -> GroupScores:
    dims = dimensions(q, **figures)
    return GroupScores(name, respondents, overall(dims), dims, pd.DataFrame())


def breakdown(shown: list[GroupScores], suppressed: tuple[str, ...] = ()) -> ScoreReport:
    return ScoreReport("t", "pmo_discovery", 1, 5, 40, "group", list(shown), list(suppressed))


ASSESSMENT = Assessment(1, "t", "Test", "Org", "enterprise", "A. Sponsor", "COO", "Board", "II", "Run well",
                        "open", "pmo_discovery", 1, 5, None, None, datetime(2026, 1, 5))
NO_COMMENTS = pd.DataFrame(columns=["question", "group", "text"])


def facts(q, report: ScoreReport | None = None, groups: ScoreReport | None = None, **changes) -> Facts:
    report = report or whole(q)
    base = Facts(report, groups or breakdown([]), NO_COMMENTS, ASSESSMENT, readiness.readiness(report))
    return replace(base, **changes)


def problem(*rules: Rule, keywords: tuple[str, ...] = (), pid: str = "p", name: str = "A problem",
            symptoms: tuple[Symptom, ...] = (), entries: tuple[str, ...] = ()) -> Problem:
    return Problem(pid, name, "summary", "why", "consequences", symptoms, entries, keywords, rules)


def evidence(kind: str, params: dict, f: Facts, keywords: tuple[str, ...] = ()) -> str | None:
    rule = Rule(kind, params)
    return diagnosis.evaluate(rule, f, problem(rule, keywords=keywords))


# --- dimension ---------------------------------------------------------------------------------------

def test_dimension_fires_below_and_above_its_thresholds_and_says_the_figures(q):
    rule = {"dimension": "governance", "current_below": 2.0, "gap_above": 1.5}
    f = facts(q, whole(q, governance={"current": 1.8, "desired": 3.9}))
    assert evidence("dimension", rule, f) == (
        "Governance and sponsorship: current 1.80, desired 3.90, gap 2.10")
    # two decimals, as the pages write scores: the three figures add up (one decimal said 1.9, 3.9, 2.0)
    f = facts(q, whole(q, governance={"current": 1.94, "desired": 3.86}))
    assert evidence("dimension", rule, f) == (
        "Governance and sponsorship: current 1.94, desired 3.86, gap 1.92")
    # a mean of exactly 2.125 summed in parallel may arrive a bit either side: it reads 2.12 either way
    for jitter in (-1e-12, 1e-12):
        f = facts(q, whole(q, governance={"current": 2.125 + jitter, "desired": 3.9}))
        assert evidence("dimension", {"dimension": "governance", "current_below": 2.5}, f) == (
            "Governance and sponsorship: current 2.12, desired 3.90, gap 1.77")
    # 1.996 would read "2.00" against "below 2.0": it gets a third decimal
    f = facts(q, whole(q, governance={"current": 1.996, "desired": 3.9}))
    assert evidence("dimension", rule, f) == (
        "Governance and sponsorship: current 1.996, desired 3.90, gap 1.90")


def test_dimension_does_not_fire_at_or_beyond_a_threshold_or_without_figures(q):
    rule = {"dimension": "governance", "current_below": 2.0, "gap_above": 1.5}

    def governance(current: float, desired: float) -> str | None:
        return evidence("dimension", rule, facts(q, whole(q, governance={"current": current,
                                                                          "desired": desired})))
    assert governance(2.0, 4.0) is None
    assert governance(1.9, 3.4) is None       # current below, but the gap exactly 1.5: every one must hold
    assert governance(NAN, 4.0) is None
    above = {"dimension": "tools", "current_above": 3.5, "desired_above": 4.0}
    assert evidence("dimension", above, facts(q, whole(q, tools={"current": 3.6, "desired": 4.1}))) == (
        "Tools and information systems: current 3.60, desired 4.10, gap 0.50")
    assert evidence("dimension", above, facts(q, whole(q, tools={"current": 3.6, "desired": 4.0}))) is None


# --- overall -----------------------------------------------------------------------------------------

def test_overall_reads_the_maturity_index(q):
    report = whole(q)
    report.groups[0].overall.update(current=2.45, desired=3.9, gap=1.45)
    f = facts(q, report)
    assert evidence("overall", {"current_below": 2.5}, f) == (
        "Maturity index: current 2.45, desired 3.90, gap 1.45")
    assert evidence("overall", {"current_below": 2.45}, f) is None
    assert evidence("overall", {"current_below": 2.5, "gap_above": 1.45}, f) is None
    assert evidence("overall", {"gap_above": 1.449}, f) == (
        "Maturity index: current 2.45, desired 3.90, gap 1.450")             # 1.45 would equal 1.449's 1.45


# --- group_difference --------------------------------------------------------------------------------

def test_group_difference_fires_on_a_clear_difference_and_names_the_largest_pair(q):
    groups = breakdown([
        group(q, "Executive or sponsor", 10, governance={"current": 3.1, "current_sd": 0.5, "n": 10}),
        group(q, "Project manager", 20, governance={"current": 1.6, "current_sd": 0.6, "n": 20}),
        group(q, "Project team member", 12, governance={"current": 2.0, "current_sd": 0.9, "n": 12}),
    ])
    f = facts(q, groups=groups)
    assert evidence("group_difference", {"dimension": "governance"}, f) == (
        "Governance and sponsorship: Executive or sponsor 3.10 vs Project manager 1.60 (a clear difference)")
    named = {"dimension": "governance", "groups": ["Project team member", "Executive or sponsor"]}
    assert evidence("group_difference", named, f) == (
        "Governance and sponsorship: Executive or sponsor 3.10 vs Project team member 2.00 "
        "(a clear difference)")
    assert evidence("group_difference", {"dimension": "methodology"}, f) is None     # all rate it 3.0
    # a clear difference must also be larger than difference_above: 1.5 apart is not more than 1.5
    assert evidence("group_difference", {"dimension": "governance", "difference_above": 1.0}, f) == (
        "Governance and sponsorship: Executive or sponsor 3.10 vs Project manager 1.60 (a clear difference)")
    assert evidence("group_difference", {"dimension": "governance", "difference_above": 1.5}, f) is None
    assert evidence("group_difference", {**named, "difference_above": 1.0}, f) == (
        "Governance and sponsorship: Executive or sponsor 3.10 vs Project team member 2.00 "
        "(a clear difference)")
    assert evidence("group_difference", {**named, "difference_above": 1.1}, f) is None


def test_group_difference_is_the_1_96_standard_error_test_either_side(q):
    # se = sqrt(0.25/10 + 0.25/10) = 0.2236, so the bar is 1.96 x 0.2236 = 0.438
    def pair(pm: float) -> Facts:
        return facts(q, groups=breakdown([
            group(q, "Executive or sponsor", 10, governance={"current": 2.0, "current_sd": 0.5, "n": 10}),
            group(q, "Project manager", 10, governance={"current": pm, "current_sd": 0.5, "n": 10})]))
    assert evidence("group_difference", {"dimension": "governance"}, pair(1.55)) == (
        "Governance and sponsorship: Executive or sponsor 2.00 vs Project manager 1.55 (a clear difference)")
    assert evidence("group_difference", {"dimension": "governance"}, pair(1.57)) is None


def test_a_group_below_the_minimum_size_is_never_read(q):
    # The executives are too few to be shown: the breakdown names them as suppressed, and a rule that
    # names them never fires, however far apart the others are; a pair is found among the shown only.
    groups = breakdown([group(q, "Project manager", 20, governance={"current": 1.6, "current_sd": 0.6,
                                                                     "n": 20}),
                        group(q, "Project team member", 12, governance={"current": 1.7, "current_sd": 0.6,
                                                                         "n": 12})],
                       suppressed=("Executive or sponsor",))
    f = facts(q, groups=groups)
    named = {"dimension": "governance", "groups": ["Executive or sponsor", "Project manager"]}
    assert evidence("group_difference", named, f) is None
    assert evidence("group_difference", {"dimension": "governance"}, f) is None
    found = diagnosis.diagnose(KnowHow((problem(Rule("group_difference", named)),), (), ()), f)
    assert "Executive" not in " ".join(found[0].evidence) and found[0].strength == "not seen"


def test_respondents_who_named_no_group_are_no_group_to_compare(q):
    groups = breakdown([
        group(q, "Project manager", 20, governance={"current": 1.6, "current_sd": 0.6, "n": 20}),
        group(q, "Not stated", 20, governance={"current": 3.6, "current_sd": 0.6, "n": 20})])
    assert evidence("group_difference", {"dimension": "governance"}, facts(q, groups=groups)) is None


# --- dont_know ---------------------------------------------------------------------------------------

def test_dont_know_share_of_the_dimensions_ratings(q):
    # 42 "don't know" of 90 counted + 3 held back + 42 = 135 ratings: 31.1 %
    report = whole(q, statements(q, portfolio=(90, 3, 42), resources=(100, 0, 35)))
    f = facts(q, report)
    assert evidence("dont_know", {"dimension": "portfolio", "share_above": 0.31}, f) == (
        "Portfolio selection and prioritisation: 31 % of ratings were \"don't know\" (42 of 135)")
    assert evidence("dont_know", {"dimension": "portfolio", "share_above": 0.312}, f) is None
    # any: all ratings together, 42 + 35 of 10 x 160 + 135 + 135 = 77 of 1,870 (4.1 %)
    assert evidence("dont_know", {"dimension": "any", "share_above": 0.04}, f) == (
        "All dimensions: 4 % of ratings were \"don't know\" (77 of 1,870)")
    assert evidence("dont_know", {"dimension": "any", "share_above": 0.042}, f) is None


# --- alpha -------------------------------------------------------------------------------------------

def test_alpha_below_the_threshold(q):
    f = facts(q, whole(q, methodology={"alpha": 0.42, "n_alpha": 31}, tools={"alpha": NAN}))
    assert evidence("alpha", {"dimension": "methodology", "below": 0.6}, f) == (
        "Methodology and standards: Cronbach's alpha 0.42 from 31 respondents who rated every statement "
        "(below 0.6: its statements do not hang together)")
    assert evidence("alpha", {"dimension": "methodology", "below": 0.42}, f) is None
    assert evidence("alpha", {"dimension": "tools", "below": 0.99}, f) is None          # not known: no sign
    # any: the lowest of the dimensions whose alpha is known
    assert evidence("alpha", {"dimension": "any", "below": 0.5}, f) == (
        "Methodology and standards: Cronbach's alpha 0.42 (the lowest of the dimensions) from 31 respondents "
        "who rated every statement (below 0.5: its statements do not hang together)")
    assert evidence("alpha", {"dimension": "any", "below": 0.42}, f) is None


# --- readiness_load ----------------------------------------------------------------------------------

def test_readiness_load_needs_low_readiness_and_a_wave_at_the_budget(q):
    low = whole(q, culture={"current": 2.2})
    rule = {"readiness_below": 2.5, "load_share_at_least": 1.0}
    f = facts(q, low, wave_loads=((1, 4.0, 4.0), (2, 3.0, 4.0)))
    assert evidence("readiness_load", rule, f) == (
        "Readiness for change 2.20 (moderate), and wave 1 carries 4 of 4 change-load points")
    assert evidence("readiness_load", rule, replace(f, wave_loads=((1, 3.9, 4.0),))) is None
    assert evidence("readiness_load", {**rule, "load_share_at_least": 0.9},
                    replace(f, wave_loads=((1, 3.6, 4.0),))) == (
        "Readiness for change 2.20 (moderate), and wave 1 carries 3.6 of 4 change-load points")
    assert evidence("readiness_load", rule, replace(f, wave_loads=())) is None        # nothing planned
    ready = whole(q, culture={"current": 2.5})
    assert evidence("readiness_load", rule, facts(q, ready, wave_loads=((1, 4.0, 4.0),))) is None


# --- comments ----------------------------------------------------------------------------------------

def test_comments_count_whole_words_of_the_keywords_and_never_quote(q):
    texts = ["Too much OVERHEAD for small projects.", "Bureaucracy everywhere, and overhead too.",
             "So much red tape.", "The overheads are fine.", "Nothing to add."]
    f = facts(q, comments=pd.DataFrame({"question": "Pain", "group": "Project manager", "text": texts}))
    words = ("overhead", "bureaucracy", "red tape")
    assert evidence("comments", {"min_matches": 3}, f, words) == (
        "3 comments mention overhead, bureaucracy, red tape")     # "overheads" is another word
    assert evidence("comments", {"min_matches": 4}, f, words) is None
    assert evidence("comments", {"min_matches": 1}, f, ("nothing",)) == "1 comment mentions nothing"


# --- foundation and pmo_type -------------------------------------------------------------------------

def test_foundation_facts_left_empty(q):
    rule = {"missing": ["sponsor_name", "mission"]}
    assert evidence("foundation", rule, facts(q)) is None
    f = facts(q, assessment=replace(ASSESSMENT, sponsor_name="  "))
    assert evidence("foundation", rule, f) == "No sponsor is recorded in the Foundation"
    f = facts(q, assessment=replace(ASSESSMENT, sponsor_name="", mission=""))
    assert evidence("foundation", rule, f) == ("No sponsor is recorded in the Foundation; "
                                               "No mission is recorded in the Foundation")


def test_pmo_type_with_low_readiness(q):
    rule = {"types": ["III", "IV"], "readiness_below": 2.5}
    low = whole(q, culture={"current": 2.2})
    f = facts(q, low, assessment=replace(ASSESSMENT, pmo_type="IV"))
    assert evidence("pmo_type", rule, f) == ("PMO type IV (Resource Center / Center of Excellence) chosen "
                                             "while readiness for change is 2.20 (moderate)")
    assert evidence("pmo_type", rule, replace(f, assessment=ASSESSMENT)) is None        # type II
    assert evidence("pmo_type", rule, facts(q, whole(q, culture={"current": 2.5}),
                                            assessment=replace(ASSESSMENT, pmo_type="IV"))) is None
    assert evidence("pmo_type", {"types": ["II"]}, facts(q)) == (
        "PMO type II (Project Management Infrastructure) chosen")


# --- staffing ----------------------------------------------------------------------------------------

def test_staffing_shortfalls(q):
    f = facts(q, shortfalls=((2, "Trainer", 1.5, 0.5), (3, "PMO analyst", 1.0, 1.0)))
    assert evidence("staffing", {}, f) == "Wave 2 needs 1.5 FTE of Trainer; the PMO has 0.5"
    f = facts(q, shortfalls=((1, "PMO lead", 0.38, 0.35), (3, "Coach", 0.15, 0.0)))
    assert evidence("staffing", {}, f) == ("Wave 1 needs 0.38 FTE of PMO lead; the PMO has 0.35; "
                                           "Wave 3 needs 0.15 FTE of Coach; the PMO has 0")
    assert evidence("staffing", {}, facts(q)) is None


# --- the ranking -------------------------------------------------------------------------------------

GOVERNANCE_LOW = Rule("dimension", {"dimension": "governance", "current_below": 2.0})
NO_SPONSOR = Rule("foundation", {"missing": ["sponsor_name"]})
PORTFOLIO_LOW = Rule("dimension", {"dimension": "portfolio", "current_below": 2.0})
READ = Symptom("unread", "Status reports are not read")


def library() -> KnowHow:
    problems = (
        problem(GOVERNANCE_LOW, NO_SPONSOR, pid="sponsor", name="No real sponsor", entries=("pmo_charter",)),
        problem(PORTFOLIO_LOW, pid="portfolio", name="No portfolio selection", symptoms=(READ,)),
        problem(Rule("staffing", {}), pid="reporting", name="Reporting nobody reads",
                symptoms=(READ, Symptom("late", "Reports come late"))),
        problem(Rule("alpha", {"dimension": "any", "below": 0.3}), pid="aaa", name="A methodology unused"),
    )
    practices = (Practice("charter_first", "Charter first", "foundation", "s", ("a", "b"), ("sponsor",),
                          ("pmo_charter",)),)
    return KnowHow(problems, practices, ())


def test_points_rank_the_problems_strong_possible_not_seen_and_say_why(q):
    report = whole(q, governance={"current": 1.8, "desired": 3.9}, portfolio={"current": 1.9})
    f = facts(q, report, assessment=replace(ASSESSMENT, sponsor_name=""))
    found = diagnosis.diagnose(library(), f)
    assert [(x.id, x.strength, x.points) for x in found] == [
        ("sponsor", "strong", 2), ("portfolio", "possible", 1), ("aaa", "not seen", 0),
        ("reporting", "not seen", 0)]                       # not seen: by name
    sponsor = found[0]
    assert sponsor.confirmed and sponsor.evidence == (
        "Governance and sponsorship: current 1.80, desired 3.90, gap 2.10",
        "No sponsor is recorded in the Foundation")
    assert sponsor.why == ("2 signs: Governance and sponsorship: current 1.80, desired 3.90, gap 2.10; "
                           "No sponsor is recorded in the Foundation.")
    assert [p.id for p in sponsor.practices] == ["charter_first"] and sponsor.entries == ("pmo_charter",)
    assert found[2].why == ("No sign: the figures show none of what it looks for, and no symptom is ticked. "
                            "Looked for: the lowest of the dimensions: Cronbach's alpha below 0.3.")
    assert diagnosis.counts(found) == {"strong": 1, "possible": 1, "not seen": 2}


def test_ticked_symptoms_count_as_points(q):
    report = whole(q, portfolio={"current": 1.9})
    found = {x.id: x for x in diagnosis.diagnose(library(), facts(q, report),
                                                 {"portfolio": {"unread"}, "reporting": {"unread", "late"}})}
    assert (found["portfolio"].strength, found["portfolio"].points) == ("strong", 2)
    assert found["portfolio"].why == ("2 signs: Portfolio selection and prioritisation: current 1.90, "
                                      "desired 3.20, gap 1.30; you ticked 'Status reports are not read'.")
    # two ticks and no sign in the figures: possible; the figures must show a strong problem
    assert (found["reporting"].strength, found["reporting"].points) == ("possible", 2)
    assert found["reporting"].why == (
        "2 signs, none in the figures (strong needs one: comments and ticked symptoms back a sign in the "
        "figures, they do not replace it): you ticked 'Status reports are not read', 'Reports come late'.")
    assert [s.ticked for s in found["reporting"].symptoms] == [True, True]
    assert found["reporting"].to_dict() == {
        "problem": "reporting", "name": "Reporting nobody reads", "strength": "possible", "points": 2,
        "evidence": [], "symptoms": [{"id": "unread", "text": "Status reports are not read", "ticked": True},
                                     {"id": "late", "text": "Reports come late", "ticked": True}],
        "practices": [], "entries": [], "why": found["reporting"].why}
    # ranked: strong first, then more points, then name
    ranked = diagnosis.diagnose(library(), facts(q, report), {"reporting": {"unread"}})
    assert [(x.id, x.strength) for x in ranked][:2] == [("portfolio", "possible"), ("reporting", "possible")]


def test_each_rule_says_what_it_looks_for(q):
    names = {d.id: d.name for d in q.dimensions}
    p = problem(keywords=("overhead", "red tape"))
    said = {kind: diagnosis.looks_for(Rule(kind, params), p, names) for kind, params in {
        "dimension": {"dimension": "governance", "current_below": 2.0, "gap_above": 1.5},
        "overall": {"current_below": 2.5},
        "group_difference": {"dimension": "culture", "difference_above": 1.0},
        "dont_know": {"dimension": "any", "share_above": 0.25},
        "readiness_load": {"readiness_below": 2.5, "load_share_at_least": 1.0},
        "comments": {"min_matches": 3},
        "foundation": {"missing": ["sponsor_name", "pmo_type"]},
        "pmo_type": {"types": ["III", "IV"], "readiness_below": 2.5},
        "staffing": {},
    }.items()}
    assert said == {
        "dimension": "Governance and sponsorship: current below 2 and gap above 1.5",
        "overall": "maturity index: current below 2.5",
        "group_difference": "Culture and readiness for change: two stakeholder groups differ clearly by more "
                            "than 1",
        "dont_know": "all dimensions together: more than 25 % of ratings \"don't know\"",
        "readiness_load": "readiness for change below 2.5 with a wave at 100 % or more of the change budget",
        "comments": "at least 3 comments mentioning overhead, red tape",
        "foundation": "Foundation facts left empty: sponsor, PMO type",
        "pmo_type": "PMO type III or IV chosen with readiness for change below 2.5",
        "staffing": "a wave needing more FTE of a role than the PMO's staff",
    }


@pytest.mark.parametrize("points, figures, strength", [
    (0, 0, "not seen"), (1, 1, "possible"), (1, 0, "possible"), (2, 1, "strong"), (5, 2, "strong"),
    (2, 0, "possible"), (4, 0, "possible")])
def test_strength_needs_two_points_one_of_them_in_the_figures(points, figures, strength):
    assert diagnosis.strength(points, figures) == strength


def test_comments_alone_or_with_ticks_do_not_make_a_problem_strong(q):
    # The comments rule fires (3 comments), a tick adds a point: 2 points and possible; a sign in the
    # figures with the same comments is strong.
    texts = ["No sponsor at all.", "Our sponsor never comes.", "Who is the sponsor?"]
    said = pd.DataFrame({"question": "Pain", "group": "Project manager", "text": texts})
    sponsor = problem(Rule("comments", {"min_matches": 3}), GOVERNANCE_LOW, keywords=("sponsor",),
                      pid="sponsor", symptoms=(READ,))
    know = KnowHow((sponsor,), (), ())
    (talk,) = diagnosis.diagnose(know, facts(q, comments=said), {"sponsor": {"unread"}})
    assert (talk.strength, talk.points, talk.figures) == ("possible", 2, 0)
    assert talk.why.startswith("2 signs, none in the figures (strong needs one")
    low = whole(q, governance={"current": 1.8})
    (seen,) = diagnosis.diagnose(know, facts(q, low, comments=said))
    assert (seen.strength, seen.points, seen.figures) == ("strong", 2, 1)
    assert seen.why.startswith("2 signs: 3 comments mention sponsor; Governance and sponsorship: "
                               "current 1.80")


def test_before_scores_the_foundation_rules_and_the_ticks_count_and_the_others_wait(q):
    names = {d.id: d.name for d in q.dimensions}
    f = facts(q, assessment=replace(ASSESSMENT, sponsor_name=""))
    found = {x.id: x for x in diagnosis.diagnose(library(), f, {"portfolio": {"unread"}}, names=names,
                                                 scored=False)}
    sponsor = found["sponsor"]                       # its governance rule waits, however low governance is
    assert (sponsor.strength, sponsor.points, sponsor.evidence) == (
        "possible", 1, ("No sponsor is recorded in the Foundation",))
    assert [c.looks_for for c in sponsor.waiting] == ["Governance and sponsorship: current below 2"]
    assert sponsor.why == ("1 sign: No sponsor is recorded in the Foundation. Waiting for scores: Governance "
                           "and sponsorship: current below 2.")
    assert (found["portfolio"].strength, found["portfolio"].points) == ("possible", 1)     # the tick
    assert found["reporting"].why == ("No sign: the figures show none of what it looks for, and no symptom "
                                      "is ticked. Waiting for scores: a wave needing more FTE of a role "
                                      "than the PMO's staff.")


@pytest.mark.parametrize("kind, params, waits", [
    ("dimension", {"dimension": "governance", "current_below": 2.0}, True),
    ("comments", {"min_matches": 2}, True),
    ("readiness_load", {"readiness_below": 2.5, "load_share_at_least": 1.0}, True),
    ("staffing", {}, True),
    ("foundation", {"missing": ["mission"]}, False),
    ("pmo_type", {"types": ["IV"]}, False),
    ("pmo_type", {"types": ["IV"], "readiness_below": 2.5}, True),
])
def test_which_rules_need_scores(kind, params, waits):
    assert diagnosis.needs_scores(Rule(kind, params)) is waits
