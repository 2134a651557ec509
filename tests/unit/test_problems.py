"""The library of common PMO problems (planning/problems.py, data/problems.yaml): shipped content, the rule
schema, and validation naming problem and field, every problem at once."""

import copy
import dataclasses

import pytest

from pmostep.core import questionnaire
from pmostep.planning import know_how, problems
from pmostep.planning.problems import RULE_KINDS, Problem, Rule, RuleKind, Symptom
from pmostep.products import catalogue

GROUPS = ["Executive or sponsor", "Project manager", "Project team member"]
ENTRIES = {"pmo_charter", "sponsor_training"}


@pytest.fixture(scope="module")
def q():
    return questionnaire.load()


@pytest.fixture(scope="module")
def dims(q) -> list[str]:
    return [d.id for d in q.dimensions]


@pytest.fixture(scope="module")
def shipped(q, dims) -> tuple[Problem, ...]:
    found, found_problems = problems.loads(problems.DEFAULT_PROBLEMS.read_text(encoding="utf-8"),
                                           problems.SOURCE,
                                           dims, know_how.group_options(q),
                                           catalogue.shipped(tuple(dims)).by_id)
    assert found_problems == []
    return found


def problem(problem_id: str = "no_sponsor", **changes) -> dict:
    node = {"id": problem_id, "name": problem_id.replace("_", " ").capitalize(), "summary": "What it is.",
            "why": "Why it happens.", "consequences": "What follows.",
            "symptoms": [{"id": "no_charter", "text": "No charter"}, {"id": "absent",
                                                                      "text": "Sponsor absent"}],
            "entries": ["pmo_charter"], "keywords": ["sponsor", "no decision"],
            "rules": [{"kind": "dimension", "dimension": "governance", "current_below": 2.0,
                       "gap_above": 1.5}]}
    node.update(changes)
    return node


def problems_of(nodes: list, dims) -> list[str]:
    found, found_problems = problems.parse({"problems": nodes}, "p.yaml", dims, GROUPS, ENTRIES)
    assert found_problems, found
    return found_problems


def rule_problems(rule: dict, dims) -> list[str]:
    return problems_of([problem(rules=[rule])], dims)


# --- The shipped library ------------------------------------------------------------------------------

ISSUE_PROBLEMS = {"no_sponsor", "methodology_police", "methodology_unused", "value_not_shown",
                  "too_much_change",
                  "quick_wins_unrealistic", "wrong_pmo_type", "staff_without_standing", "resource_conflicts",
                  "no_portfolio_selection", "unread_reporting", "wrong_reasons", "misread_stakeholders",
                  "no_lessons_learned", "tools_before_process", "benefits_not_tracked"}


def test_the_shipped_library_has_the_common_problems_in_full(shipped):
    assert len(shipped) >= 15 and {p.id for p in shipped} >= ISSUE_PROBLEMS
    for p in shipped:
        assert p.name and p.summary and p.why and p.consequences, p.id
        assert 3 <= len(p.symptoms) <= 5 and len(p.entries) >= 3 and p.keywords and p.rules, p.id
        assert all(k == k.lower() for k in p.keywords)


def test_most_problems_can_be_seen_in_the_survey(shipped):
    survey = [p.id for p in shipped if any(RULE_KINDS[r.kind].survey for r in p.rules)]
    assert len(survey) >= 12
    used = {r.kind for p in shipped for r in p.rules}
    assert used == set(RULE_KINDS), "every kind of rule is used by some problem"


def fact(rule: Rule) -> tuple:
    """What a rule reads, whatever its thresholds: a dimension's scores, two groups' difference on it, its
    "don't know" share or alpha, the maturity index, the wave loads, the staffing, a Foundation fact."""
    if rule.kind in ("dimension", "group_difference", "dont_know", "alpha"):
        return rule.kind, rule.params["dimension"]
    if rule.kind == "foundation":
        return rule.kind, *sorted(rule.params["missing"])
    return (rule.kind, *rule.params.get("types", ()))


def test_no_fact_and_no_keyword_is_counted_by_two_problems(shipped):
    # One low score, one group difference or one comment is one sign: it strengthens one problem, not
    # several at once (each problem reads its own facts, and its own words in the comments).
    readers: dict[tuple, set[str]] = {}
    words: dict[str, set[str]] = {}
    for p in shipped:
        for r in p.rules:
            if r.kind != "comments":
                readers.setdefault(fact(r), set()).add(p.id)
        for k in p.keywords:
            words.setdefault(k, set()).add(p.id)
    assert {f: ps for f, ps in readers.items() if len(ps) > 1} == {}
    assert {k: ps for k, ps in words.items() if len(ps) > 1} == {}


def test_the_rule_kinds_are_the_agreed_schema():
    keys = {kind: set(spec.keys) for kind, spec in RULE_KINDS.items()}
    assert keys == {
        "dimension": {"dimension", "current_below", "current_above", "desired_above", "gap_above"},
        "overall": {"current_below", "gap_above"},
        "group_difference": {"dimension", "groups", "difference_above"},
        "dont_know": {"dimension", "share_above"},
        "alpha": {"dimension", "below"},
        "readiness_load": {"readiness_below", "load_share_at_least"},
        "comments": {"min_matches"},
        "foundation": {"missing"},
        "pmo_type": {"types", "readiness_below", "current_below"},
        "staffing": set(),
    }
    assert {k for k, spec in RULE_KINDS.items() if spec.survey} == {
        "dimension", "overall", "group_difference", "dont_know", "alpha", "comments"}
    assert [f.name for f in dataclasses.fields(RuleKind)] == ["keys", "one_of", "survey"]  # the docs say more


def test_a_valid_problem_reads_with_its_rules(dims):
    rules = [{"kind": "dimension", "dimension": "governance", "current_below": 2, "gap_above": 1.5},
             {"kind": "group_difference", "dimension": "governance", "groups": GROUPS[:2]},
             {"kind": "dont_know", "dimension": "any", "share_above": 0.25},
             {"kind": "foundation", "missing": ["sponsor_name"]},
             {"kind": "staffing"}]
    (found,), found_problems = problems.parse({"version": 1, "problems": [problem(rules=rules)]},
                                              "p.yaml", dims,
                                              GROUPS, ENTRIES)
    assert found_problems == []
    assert found.symptoms == (Symptom("no_charter", "No charter"), Symptom("absent", "Sponsor absent"))
    assert found.keywords == ("sponsor", "no decision") and found.entries == ("pmo_charter",)
    assert found.rules == (
        Rule("dimension", {"dimension": "governance", "current_below": 2, "gap_above": 1.5}),
        Rule("group_difference", {"dimension": "governance", "groups": ("Executive or sponsor",
                                                                        "Project manager")}),
        Rule("dont_know", {"dimension": "any", "share_above": 0.25}),
        Rule("foundation", {"missing": ("sponsor_name",)}),
        Rule("staffing", {}))


# --- Validation: each kind of problem, naming problem and field ---------------------------------------

WHERE = "p.yaml: problem 'no_sponsor'"
KINDS = [
    ("empty text", lambda n: n.update(why=" "), f"{WHERE}: why: 'why' is missing"),
    ("missing text", lambda n: n.pop("consequences"), f"{WHERE}: consequences: 'consequences' is missing"),
    ("unknown entry", lambda n: n.update(entries=["pmo_chartre"]),
     f"{WHERE}: entries: entry 'pmo_chartre' is not in the catalogue"),
    ("no entries", lambda n: n.update(entries=[]), f"{WHERE}: entries: 'entries' is missing"),
    ("no symptoms", lambda n: n.update(symptoms=[]), f"{WHERE}: symptoms: 'symptoms' is missing"),
    ("symptom listed twice", lambda n: n["symptoms"].append({"id": "absent", "text": "Again"}),
     f"{WHERE}: symptoms: symptom 'absent' is listed twice"),
    ("symptom without text", lambda n: n["symptoms"].append({"id": "late", "text": ""}),
     f"{WHERE}: symptoms: symptom 'late': 'text' is missing"),
    ("symptom with a bad id", lambda n: n["symptoms"].append({"id": "Late!", "text": "Late"}),
     f"{WHERE}: symptoms: symptom 3: id 'Late!' must be lower-case letters, digits and _, "
     "starting with a letter"),
    ("symptom not a mapping", lambda n: n["symptoms"].append("late"),
     f"{WHERE}: symptoms: symptom 3 must be a mapping with id and text only, not 'late'"),
    ("keyword in capitals", lambda n: n.update(keywords=["Sponsor"]),
     f"{WHERE}: keywords: keyword 'Sponsor' must be lower case"),
    ("no rules", lambda n: n.update(rules=[]), f"{WHERE}: rules: 'rules' is missing"),
    ("unknown field", lambda n: n.update(symptom=[]),
     f"{WHERE}: symptom: 'symptom' is not a field of a problem (fields: {', '.join(problems.FIELDS)})"),
    ("bad id", lambda n: n.update(id="No sponsor"),
     "p.yaml: problem 1: id: id 'No sponsor' must be lower-case letters, digits and _, "
     "starting with a letter "
     "(at most 40)"),
]


@pytest.mark.parametrize(("mutate", "expected"), [k[1:] for k in KINDS], ids=[k[0] for k in KINDS])
def test_each_problem_names_the_problem_and_the_field(mutate, expected, dims):
    node = problem()
    mutate(node)
    assert problems_of([node], dims) == [expected]


RULE = f"{WHERE}: rules 1"
RULES = [
    ("unknown kind", {"kind": "gut_feeling"},
     f"{RULE}: kind 'gut_feeling' is not one of {', '.join(RULE_KINDS)}"),
    ("no kind", {"dimension": "governance"}, f"{RULE}: kind None is not one of {', '.join(RULE_KINDS)}"),
    ("unknown key", {"kind": "overall", "gap_above": 1, "level": 2},
     f"{RULE}: 'level' is not a key of rule kind overall (keys: current_below, gap_above)"),
    ("key of a kind with none", {"kind": "staffing", "role": "coach"},
     f"{RULE}: 'role' is not a key of rule kind staffing (keys: none)"),
    ("unknown dimension", {"kind": "dimension", "dimension": "govrnance", "current_below": 2},
     f"{RULE}: dimension: 'govrnance' is not one of the questionnaire's methodology, governance, portfolio, "
     "resources, reporting, people, tools, risk, benefits, learning, stakeholders, culture"),
    ("'any' where a dimension is needed", {"kind": "group_difference", "dimension": "any"},
     f"{RULE}: dimension: 'any' is not one of the questionnaire's methodology, governance, portfolio, "
     "resources, reporting, people, tools, risk, benefits, learning, stakeholders, culture"),
    ("missing dimension", {"kind": "dimension", "current_below": 2}, f"{RULE}: 'dimension' is missing"),
    ("no threshold", {"kind": "dimension", "dimension": "governance"},
     f"{RULE}: rule kind dimension needs at least one of current_below, current_above, desired_above, "
     "gap_above"),
    ("score above the scale", {"kind": "dimension", "dimension": "governance", "current_below": 6},
     f"{RULE}: current_below: must be a number from 1 to 5, not 6"),
    ("score as text", {"kind": "overall", "current_below": "low"},
     f"{RULE}: current_below: must be a number from 1 to 5, not 'low'"),
    ("gap beyond the scale", {"kind": "overall", "gap_above": 4.5},
     f"{RULE}: gap_above: must be a number from 0 to 4, not 4.5"),
    ("thresholds that never hold", {"kind": "dimension", "dimension": "governance", "current_above": 3,
                                    "current_below": 2},
     f"{RULE}: current_above 3 must be below current_below 2, or the rule never fires"),
    ("share above 1", {"kind": "dont_know", "dimension": "any", "share_above": 1.5},
     f"{RULE}: share_above: must be a number from 0 to 1, not 1.5"),
    ("alpha below 0", {"kind": "alpha", "dimension": "tools", "below": -0.1},
     f"{RULE}: below: must be a number from 0 to 1, not -0.1"),
    ("missing share", {"kind": "readiness_load", "readiness_below": 2.5},
     f"{RULE}: 'load_share_at_least' is missing"),
    ("matches not whole", {"kind": "comments", "min_matches": 1.5},
     f"{RULE}: min_matches: must be a whole number from 1 up, not 1.5"),
    ("no matches", {"kind": "comments", "min_matches": 0},
     f"{RULE}: min_matches: must be a whole number from 1 up, not 0"),
    ("unknown group", {"kind": "group_difference", "dimension": "governance", "groups": ["Executive",
                                                                                         "Project manager"]},
     f"{RULE}: groups: 'Executive' not one of {', '.join(GROUPS)}"),
    ("one group", {"kind": "group_difference", "dimension": "governance", "groups": ["Project manager"]},
     f"{RULE}: groups: must list exactly 2 values, not 1"),
    ("the same group twice", {"kind": "group_difference", "dimension": "governance",
                              "groups": ["Project manager", "Project manager"]},
     f"{RULE}: groups: must be a list of different values, not ['Project manager', 'Project manager']"),
    ("unknown fact", {"kind": "foundation", "missing": ["budget"]},
     f"{RULE}: missing: 'budget' not one of sponsor_name, sponsor_role, mission, customers, pmo_type"),
    ("unknown PMO type", {"kind": "pmo_type", "types": ["V"]},
     f"{RULE}: types: 'V' not one of I, II, III, IV"),
    ("rule not a mapping", "dimension", f"{RULE}: must be a mapping with a kind, not 'dimension'"),
]


@pytest.mark.parametrize(("rule", "expected"), [k[1:] for k in RULES], ids=[k[0] for k in RULES])
def test_each_bad_rule_names_the_rule_and_its_key(rule, expected, dims):
    assert rule_problems(rule, dims) == [expected]


def test_a_comments_rule_needs_keywords(dims):
    assert problems_of([problem(keywords=[], rules=[{"kind": "comments", "min_matches": 2}])], dims) == [
        f"{RULE}: a comments rule needs the problem's keywords"]


def test_every_problem_of_a_file_is_listed_at_once(dims):
    first = problem(entries=["nowhere"], rules=[{"kind": "overall", "current_below": 9}])
    second = problem("no_sponsor", name="Other")
    third = problem("value_untold", name=first["name"].upper())
    assert problems_of([first, second, third], dims) == [
        f"{WHERE}: entries: entry 'nowhere' is not in the catalogue",
        f"{RULE}: current_below: must be a number from 1 to 5, not 9",
        "p.yaml: problem 2: id: id 'no_sponsor' is already used by problem 1",
    ]
    fine = copy.deepcopy(first)
    fine.update(entries=["pmo_charter"], rules=problem()["rules"])
    assert problems_of([fine, third], dims) == [
        "p.yaml: problem 'value_untold': name: 'NO SPONSOR' is already the name of problem 'no_sponsor'"]
