"""The PMO know-how as one validated whole: the problems, the practices and the roles, shipped in `data/`
and extended per assessment (docs/know-how.md).

An assessment's extension is one YAML text per kind (`know_how_extensions`, whose SQL lives here only):
records with a new id are added to the shipped ones, records with a shipped id replace it for that
assessment. The shipped files are checked against the shipped catalogue; entries an assessment's
customised catalogue lacks are left out of its know-how, and its extension is checked against its own
catalogue. Every problem of every file is reported at once (`KnowHowError`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache

import duckdb

from pmostep.core import records
from pmostep.core.questionnaire import Questionnaire
from pmostep.core.records import KnowHowError
from pmostep.foundation.assessments import Assessment
from pmostep.planning import practices as practices_module
from pmostep.planning import problems as problems_module
from pmostep.planning.practices import Practice
from pmostep.planning.problems import Problem
from pmostep.products import catalogue as catalogue_module
from pmostep.products import roles as roles_module
from pmostep.products.catalogue import Catalogue
from pmostep.products.roles import Role
from pmostep.store.db import cursor

KINDS = ("problems", "practices", "roles")
SHIPPED = {"problems": problems_module.DEFAULT_PROBLEMS, "practices": practices_module.DEFAULT_PRACTICES,
           "roles": roles_module.DEFAULT_ROLES}      # the shipped file of each kind, a start for an extension
GROUP_QUESTION = "group"         # the questionnaire's profile question whose options a group rule names

__all__ = ["KINDS", "KnowHow", "KnowHowError", "for_assessment", "shipped"]


@dataclass(frozen=True)
class KnowHow:
    """The problems, practices and roles that apply to one assessment (or the shipped ones)."""

    problems: tuple[Problem, ...]
    practices: tuple[Practice, ...]
    roles: tuple[Role, ...]

    def practices_for(self, problem_id: str) -> list[Practice]:
        """The practices that prevent a problem, in library order."""
        return [p for p in self.practices if problem_id in p.problems]


def source(kind: str) -> str:
    """How messages name an assessment's extension of one kind."""
    return f"the assessment's {kind} (extension)"


def group_options(q: Questionnaire) -> tuple[str, ...]:
    """The stakeholder groups a group_difference rule may name: the options of the group question."""
    return next((p.options for p in q.profile if p.id == GROUP_QUESTION), ())


def shipped(q: Questionnaire, catalogue: Catalogue) -> KnowHow:
    """The shipped know-how, its ids checked against the questionnaire and the shipped catalogue, and its
    entries cut to those of `catalogue`."""
    return build(q, catalogue, {})


def for_assessment(con: duckdb.DuckDBPyConnection, a: Assessment, q: Questionnaire,
                   catalogue: Catalogue) -> KnowHow:
    """The shipped know-how with the assessment's extensions laid over it (`catalogue` is its own)."""
    return build(q, catalogue, extensions(con, a.id))


def build(q: Questionnaire, catalogue: Catalogue, texts: Mapping[str, str]) -> KnowHow:
    """Shipped know-how plus extension texts (kind -> YAML), checked together; every problem at once."""
    dimension_ids = [d.id for d in q.dimensions]
    base_roles, base_problems, base_practices = _shipped(tuple(dimension_ids), group_options(q))
    entry_ids = set(catalogue.by_id)
    problems: list[str] = []
    extra_roles: tuple[Role, ...] = ()
    extra_problems: tuple[Problem, ...] = ()
    extra_practices: tuple[Practice, ...] = ()
    if "roles" in texts:
        extra_roles, found = roles_module.loads(texts["roles"], source("roles"), required=False)
        problems += found
    listed: dict[str, int] = {}         # the extension's problem ids, those with faults included
    if "problems" in texts:
        extra_problems, found = problems_module.loads(texts["problems"], source("problems"), dimension_ids,
                                                      group_options(q), entry_ids, False, listed)
        problems += found
    if "practices" in texts:
        problem_ids = {*(p.id for p in base_problems), *listed}
        extra_practices, found = practices_module.loads(texts["practices"], source("practices"), problem_ids,
                                                        entry_ids, required=False)
        problems += found
    all_roles = records.merged(base_roles, extra_roles)
    all_problems = records.merged(base_problems, extra_problems)
    all_practices = records.merged(base_practices, extra_practices)
    problems += records.name_problems(all_roles, "role", "the roles with the assessment's extension")
    problems += _unaddressed(all_problems, all_practices)
    problems += _roles_in_use(catalogue, all_roles)
    if problems:
        raise KnowHowError(problems)
    return KnowHow(tuple(_cut(p, entry_ids) for p in all_problems),
                   tuple(_cut(p, entry_ids) for p in all_practices), all_roles)


@cache
def _shipped(dimension_ids: tuple[str, ...], groups: tuple[str, ...]
             ) -> tuple[tuple[Role, ...], tuple[Problem, ...], tuple[Practice, ...]]:
    """The shipped files, read and checked once per process against the shipped catalogue."""
    entry_ids = set(catalogue_module.shipped(dimension_ids).by_id)
    found_problems, problems = problems_module.loads(
        problems_module.DEFAULT_PROBLEMS.read_text(encoding="utf-8"), problems_module.SOURCE, dimension_ids,
        groups, entry_ids)
    found_practices, more = practices_module.loads(
        practices_module.DEFAULT_PRACTICES.read_text(encoding="utf-8"), practices_module.SOURCE,
        [p.id for p in found_problems], entry_ids)
    problems += more + _unaddressed(found_problems, found_practices)
    if problems:
        raise KnowHowError(problems)
    return roles_module.shipped(), found_problems, found_practices


def _unaddressed(problems: Sequence[Problem], practices: Sequence[Practice]) -> list[str]:
    """Every problem needs a practice that prevents it: practices name their problems."""
    linked = {i for p in practices for i in p.problems}
    return [f"problem '{p.id}': no practice names it in its problems; add it to a practice's problems"
            for p in problems if p.id not in linked]


def _roles_in_use(catalogue: Catalogue, roles: Sequence[Role]) -> list[str]:
    """A role the catalogue's entries name cannot go: an extension may replace roles, never drop one."""
    known = {r.id for r in roles}
    return [f"catalogue entry '{e.id}': roles: role '{r}' is not in the roles" for e in catalogue.entries
            for r in e.roles if r not in known]


def _cut(item, entry_ids: set[str]):
    """A problem or practice with only the entries the assessment's catalogue has."""
    return replace(item, entries=tuple(e for e in item.entries if e in entry_ids))


# --- The assessment's extensions (the SQL of know_how_extensions) -------------------------------------

def extensions(con: duckdb.DuckDBPyConnection, assessment_id: int) -> dict[str, str]:
    """The assessment's extension texts by kind (kinds without one are absent)."""
    with cursor(con) as cur:
        return fetch_extensions(cur, assessment_id)


def fetch_extensions(cur: duckdb.DuckDBPyConnection, assessment_id: int) -> dict[str, str]:
    """The extension texts as a cursor sees them (inside a transaction the caller holds)."""
    return dict(cur.execute("SELECT kind, text FROM know_how_extensions WHERE assessment_id = ?",
                            [assessment_id]).fetchall())


def roles_for(con: duckdb.DuckDBPyConnection, assessment_id: int) -> tuple[Role, ...]:
    """The shipped roles with the assessment's roles extension: what its catalogue copy may name."""
    with cursor(con) as cur:
        return fetch_roles(cur, assessment_id)


def fetch_roles(cur: duckdb.DuckDBPyConnection, assessment_id: int) -> tuple[Role, ...]:
    """`roles_for` as a cursor sees it (inside a transaction the caller holds)."""
    text = fetch_extensions(cur, assessment_id).get("roles")
    if text is None:
        return roles_module.shipped()
    extra, problems = roles_module.loads(text, source("roles"), False)
    if problems:
        raise KnowHowError(problems)
    return records.merged(roles_module.shipped(), extra)


def save_extension(cur: duckdb.DuckDBPyConnection, assessment_id: int, kind: str, text: str) -> None:
    """Store (or replace) the extension of one kind; the caller has checked it with `build`."""
    cur.execute("DELETE FROM know_how_extensions WHERE assessment_id = ? AND kind = ?", [assessment_id, kind])
    cur.execute("INSERT INTO know_how_extensions (assessment_id, kind, text) VALUES (?, ?, ?)",
                [assessment_id, kind, text])


def clear_extension(cur: duckdb.DuckDBPyConnection, assessment_id: int, kind: str) -> None:
    """Go back to the shipped records of one kind."""
    cur.execute("DELETE FROM know_how_extensions WHERE assessment_id = ? AND kind = ?", [assessment_id, kind])


def delete_for_assessment(cur: duckdb.DuckDBPyConnection, assessment_id: int) -> None:
    cur.execute("DELETE FROM know_how_extensions WHERE assessment_id = ?", [assessment_id])
