"""Best practices (planning/practices.py, data/practices.yaml): shipped content, validation, search and the
ranking that puts this assessment's relevant practices first."""

from collections import Counter

import pytest

from pmostep.core import questionnaire
from pmostep.planning import know_how, practices
from pmostep.planning.practices import STEPS, Practice
from pmostep.products import catalogue

PROBLEMS = {"no_sponsor", "resource_conflicts"}
ENTRIES = {"pmo_charter", "resource_register"}


def node(practice_id: str = "charter_first", **changes) -> dict:
    n = {"id": practice_id, "name": practice_id.replace("_", " ").capitalize(), "step": "foundation",
         "summary": "What to do.", "how": ["First",
                                           "Then"], "problems": ["no_sponsor"], "entries": ["pmo_charter"]}
    n.update(changes)
    return n


def problems_of(nodes: list) -> list[str]:
    found, found_problems = practices.parse({"practices": nodes}, "x.yaml", PROBLEMS, ENTRIES)
    assert found_problems, found
    return found_problems


def test_the_shipped_practices_cover_every_step():
    q = questionnaire.load()
    found = know_how.shipped(q, catalogue.shipped(tuple(d.id for d in q.dimensions))).practices
    assert len(found) >= 30
    steps = Counter(p.step for p in found)
    assert set(steps) == set(STEPS) and min(steps.values()) >= 4
    assert all(2 <= len(p.how) <= 5 and p.problems and p.entries for p in found)


def test_a_valid_practice_reads():
    (p,), found_problems = practices.parse({"practices": [node()]}, "x.yaml", PROBLEMS, ENTRIES)
    assert found_problems == []
    assert p == Practice("charter_first", "Charter first", "foundation", "What to do.", ("First", "Then"),
                         ("no_sponsor",), ("pmo_charter",))


WHERE = "x.yaml: practice 'charter_first'"
KINDS = [
    ("unknown step", lambda n: n.update(step="launch"),
     f"{WHERE}: step: 'launch' is not one of foundation, initiation, planning, deployment, products, "
     "running"),
    ("unknown problem", lambda n: n.update(problems=["no_spnsor"]),
     f"{WHERE}: problems: problem 'no_spnsor' is not in the problem library"),
    ("no problem", lambda n: n.update(problems=[]), f"{WHERE}: problems: 'problems' is missing"),
    ("unknown entry", lambda n: n.update(entries=["charter"]),
     f"{WHERE}: entries: entry 'charter' is not in the catalogue"),
    ("one step of how", lambda n: n.update(how=["Just do it"]),
     f"{WHERE}: how: 'how' must list 2 to 5 items, not 1"),
    ("six steps of how", lambda n: n.update(how=list("abcdef")),
     f"{WHERE}: how: 'how' must list 2 to 5 items, not 6"),
    ("empty summary", lambda n: n.update(summary=""), f"{WHERE}: summary: 'summary' is missing"),
    ("unknown field", lambda n: n.update(owner="PMO"),
     f"{WHERE}: owner: 'owner' is not a field of a practice (fields: {', '.join(practices.FIELDS)})"),
]


@pytest.mark.parametrize(("mutate", "expected"), [k[1:] for k in KINDS], ids=[k[0] for k in KINDS])
def test_each_problem_names_the_practice_and_the_field(mutate, expected):
    n = node()
    mutate(n)
    assert problems_of([n]) == [expected]


def test_every_problem_of_a_file_is_listed_at_once():
    assert problems_of([node(step="x", entries=["y"]), node(), node("b", name="Charter FIRST")]) == [
        f"{WHERE}: step: 'x' is not one of foundation, initiation, planning, deployment, products, running",
        f"{WHERE}: entries: entry 'y' is not in the catalogue",
        "x.yaml: practice 2: id: id 'charter_first' is already used by practice 1",
    ]
    assert problems_of([node(), node("b", name="Charter FIRST")]) == [
        "x.yaml: practice 'b': name: 'Charter FIRST' is already the name of practice 'charter_first'"]


# --- Search and ranking -------------------------------------------------------------------------------

def practice(pid: str, step: str, problems=(), entries=(), name: str | None = None, how=("a",
                                                                                         "b")) -> Practice:
    return Practice(pid, name or pid.capitalize(), step, f"Summary of {pid}.", how, tuple(problems),
                    tuple(entries))


HAND = [
    practice("zeta", "foundation", ["no_sponsor"], ["pmo_charter"], how=("Ask the sponsor", "Sign it")),
    practice("alpha", "running", ["resource_conflicts"], ["resource_register"]),
    practice("beta", "foundation", ["resource_conflicts"], ["pmo_charter", "resource_register"]),
    practice("gamma", "planning", ["value_untold"], ["benefits_tracking"]),
    practice("delta", "products", ["value_untold"], ["status_report_template"]),
]


def ids(found) -> list[str]:
    return [p.id if isinstance(p, Practice) else p[0].id for p in found]


def test_search_filters_by_every_filter_given():
    assert ids(practices.search(HAND)) == ["zeta", "alpha", "beta", "gamma", "delta"]
    assert ids(practices.search(HAND, step="foundation")) == ["zeta", "beta"]
    assert ids(practices.search(HAND, problems=["resource_conflicts"])) == ["alpha", "beta"]
    assert ids(practices.search(HAND, entries=["pmo_charter"], step="foundation")) == ["zeta", "beta"]
    assert ids(practices.search(HAND,
                                text="SPONSOR sign")) == ["zeta"]        # every word, any case, in the steps
    assert ids(practices.search(HAND, text="sponsor budget")) == []
    names = {"value_untold": "Value not told", "status_report_template": "Status report template"}
    assert ids(practices.search(HAND, text="status", names=names)) == ["delta"]   # by the names of its links
    assert ids(practices.search(HAND, text="value told", names=names)) == ["gamma", "delta"]


def test_ranked_puts_the_likely_problems_first_then_the_largest_gaps_then_the_steps():
    ranked = practices.ranked(HAND, ["value_untold", "no_sponsor"], ["resource_register", "pmo_charter"],
                              problem_names={"value_untold": "Value not told", "no_sponsor": "No sponsor"},
                              entry_names={"resource_register": "Resource register",
                                           "pmo_charter": "PMO charter"})
    assert ids(ranked) == ["gamma", "delta", "zeta", "beta", "alpha"]
    why = dict((p.id, w) for p, w in ranked)
    assert why["gamma"] == "Prevents a likely problem of this assessment: Value not told."
    assert why["zeta"] == "Prevents a likely problem of this assessment: No sponsor."
    assert why["beta"] == ("Goes with recommended entries that close the largest gaps: Resource register, "
                           "PMO charter.")
    assert why["alpha"] == "Goes with recommended entries that close the largest gaps: Resource register."


def test_without_a_diagnosis_or_gaps_practices_follow_the_steps_then_their_names():
    ranked = practices.ranked(HAND, [], [])
    assert ids(ranked) == ["beta", "zeta", "gamma", "delta", "alpha"]
    assert ranked[0][1] == "Foundation practice." and ranked[-1][1] == "Running the PMO practice."


def test_the_largest_gap_entries_are_those_closing_most_of_the_weighted_gap():
    from pmostep.planning.recommend import Recommendation

    def rec(item: str, rank: int, benefit: float) -> Recommendation:
        return Recommendation(item, item, "product", rank, 50.0, benefit, 1.0, 1.0, 1.0, 2)

    recs = [rec("cheap_small", 1, 0.2), rec("big_lever", 2, 0.9), rec("tie_late", 4, 0.5),
            rec("tie_early", 3, 0.5), rec("closes_nothing", 5, 0.0)]
    assert practices.largest_gap_entries(recs) == ["big_lever", "tie_early", "tie_late", "cheap_small"]
    assert practices.largest_gap_entries(recs, top=2) == ["big_lever", "tie_early"]
