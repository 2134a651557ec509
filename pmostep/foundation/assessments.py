"""Assessments and their Foundation facts (scope, sponsor, customers, stakeholder groups)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb

from pmostep.core.errors import PMOStepError
from pmostep.core.pmo_types import PMO_TYPES
from pmostep.core.questionnaire import Questionnaire
from pmostep.store import questionnaires, responses
from pmostep.store.db import cursor

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
PMO_SCOPES = ("enterprise", "division", "department", "programme")
# The scopes as people read them: the Foundation page and the workbook show these, never the codes.
PMO_SCOPE_LABELS = {"enterprise": "Enterprise (the whole organisation)", "division": "Division",
                    "department": "Department", "programme": "Programme"}
STATUSES = ("draft", "open", "closed", "archived")
DEFAULT_MIN_GROUP_SIZE = 5
# Which status an assessment may move to, from each status.
TRANSITIONS = {"draft": {"open", "archived"}, "open": {"closed", "archived"},
               "closed": {"open", "archived"}, "archived": {"closed"}}
EDITABLE = ("name", "organisation", "pmo_scope", "sponsor_name", "sponsor_role", "customers", "pmo_type",
            "mission", "min_group_size", "start_date", "end_date")


class AssessmentError(PMOStepError):
    """An assessment that cannot be created or found, with a message for the user."""


@dataclass(frozen=True)
class StakeholderGroup:
    name: str
    invited: int = 0


@dataclass(frozen=True)
class Assessment:
    id: int
    slug: str
    name: str
    organisation: str
    pmo_scope: str
    sponsor_name: str
    sponsor_role: str
    customers: str
    pmo_type: str | None
    mission: str
    status: str
    questionnaire_id: str
    questionnaire_version: int
    min_group_size: int
    start_date: date | None
    end_date: date | None
    created_at: datetime
    previous_assessment_id: int | None = None
    stakeholder_groups: tuple[StakeholderGroup, ...] = field(default=())

    def to_dict(self) -> dict:
        return {
            "slug": self.slug,
            "name": self.name,
            "organisation": self.organisation,
            "pmo_scope": self.pmo_scope,
            "sponsor": {"name": self.sponsor_name, "role": self.sponsor_role},
            "customers": self.customers,
            "pmo_type": self.pmo_type,
            "mission": self.mission,
            "status": self.status,
            "questionnaire": {"id": self.questionnaire_id, "version": self.questionnaire_version},
            "min_group_size": self.min_group_size,
            "start_date": self.start_date.isoformat() if self.start_date else None,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "stakeholder_groups": [{"name": g.name, "invited": g.invited} for g in self.stakeholder_groups],
        }


_COLUMNS = (
    "id, slug, name, organisation, pmo_scope, sponsor_name, sponsor_role, customers, pmo_type, "
    "mission, status, questionnaire_id, questionnaire_version, min_group_size, start_date, end_date, "
    "created_at, previous_assessment_id"
)


def validate_slug(slug: str) -> str:
    if not SLUG_PATTERN.match(slug or ""):
        raise AssessmentError(
            f"slug {slug!r} must be 1-63 lower-case letters, digits and hyphens, starting with a letter "
            "or digit (for example 'acme-2026')"
        )
    return slug


def create(
    cur: duckdb.DuckDBPyConnection,
    slug: str,
    questionnaire: Questionnaire,
    *,
    name: str | None = None,
    organisation: str = "",
    pmo_scope: str = "enterprise",
    sponsor_name: str = "",
    sponsor_role: str = "",
    customers: str = "",
    pmo_type: str | None = None,
    mission: str = "",
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    start_date: date | None = None,
    end_date: date | None = None,
    stakeholder_groups: list[StakeholderGroup] | None = None,
    status: str = "open",
    previous_assessment_id: int | None = None,
) -> Assessment:
    """Create an assessment with its Foundation facts on the caller's cursor; the slug must be new.

    The questionnaire is registered on the same cursor, so an import that creates its assessment and
    then fails leaves neither behind.
    """
    validate_slug(slug)
    _check_facts({"pmo_scope": pmo_scope, "pmo_type": pmo_type, "min_group_size": min_group_size,
                  "start_date": start_date, "end_date": end_date,
                  **({"name": name} if name is not None else {})})
    _check_groups(stakeholder_groups)
    if status not in STATUSES:
        raise AssessmentError(f"status {status!r} must be one of: {', '.join(STATUSES)}")
    questionnaires.register(cur, questionnaire)
    if cur.execute("SELECT 1 FROM assessments WHERE slug = ?", [slug]).fetchone():
        raise AssessmentError(f"an assessment with slug '{slug}' already exists")
    new_id = cur.execute(
        """INSERT INTO assessments (slug, name, organisation, pmo_scope, sponsor_name, sponsor_role,
               customers, pmo_type, mission, questionnaire_id, questionnaire_version, min_group_size,
               start_date, end_date, status, previous_assessment_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
        [slug, name or slug, organisation, pmo_scope, sponsor_name, sponsor_role, customers, pmo_type,
         mission, questionnaire.id, questionnaire.version, min_group_size, start_date, end_date, status,
         previous_assessment_id],
    ).fetchone()[0]
    for position, group in enumerate(stakeholder_groups or []):
        cur.execute(
            "INSERT INTO stakeholder_groups (assessment_id, name, invited, position) VALUES (?, ?, ?, ?)",
            [new_id, group.name, group.invited, position],
        )
    return fetch(cur, slug)


def get(con: duckdb.DuckDBPyConnection, slug: str) -> Assessment:
    with cursor(con) as cur:
        return fetch(cur, slug)


def fetch(cur: duckdb.DuckDBPyConnection, slug: str) -> Assessment:
    """The assessment as seen by a cursor (inside a transaction the caller holds)."""
    a = _fetch(cur, "slug", slug)
    if a is None:
        raise AssessmentError(f"no assessment with slug '{slug}'")
    return a


def fetch_id(cur: duckdb.DuckDBPyConnection, assessment_id: int) -> Assessment | None:
    """The assessment with this id as seen by a cursor, or None (a survey link knows only the id)."""
    return _fetch(cur, "id", assessment_id)


def _fetch(cur: duckdb.DuckDBPyConnection, column: str, value: object) -> Assessment | None:
    row = cur.execute(f"SELECT {_COLUMNS} FROM assessments WHERE {column} = ?", [value]).fetchone()
    if row is None:
        return None
    groups = cur.execute(
        "SELECT name, invited FROM stakeholder_groups WHERE assessment_id = ? ORDER BY position, name",
        [row[0]],
    ).fetchall()
    return Assessment(*row, stakeholder_groups=tuple(StakeholderGroup(*g) for g in groups))


def exists(con: duckdb.DuckDBPyConnection, slug: str) -> bool:
    with cursor(con) as cur:
        return cur.execute("SELECT 1 FROM assessments WHERE slug = ?", [slug]).fetchone() is not None


def list_all(con: duckdb.DuckDBPyConnection, include_archived: bool = True) -> list[dict]:
    """Every assessment with its respondent count, newest first."""
    with cursor(con) as cur:
        rows = cur.execute(
            """SELECT a.id, a.slug, a.name, a.organisation, a.status, a.questionnaire_id,
                      a.questionnaire_version, a.created_at
               FROM assessments a
               WHERE ? OR a.status <> 'archived'
               ORDER BY a.created_at DESC, a.slug""",
            [include_archived],
        ).fetchall()
        completed = responses.completed_per_assessment(cur)
    rows = [(*r[1:], completed.get(r[0], 0)) for r in rows]
    keys = ("slug", "name", "organisation", "status", "questionnaire_id", "questionnaire_version",
            "created_at", "respondents")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def earlier(con: duckdb.DuckDBPyConnection, a: Assessment) -> list[Assessment]:
    """The earlier assessments of the same organisation, oldest first: its chain of follow-ups, and
    others of the same organisation and questionnaire that started before it."""
    with cursor(con) as cur:
        rows = cur.execute(
            f"""WITH RECURSIVE chain(id) AS (
                    SELECT previous_assessment_id FROM assessments WHERE id = $id
                    UNION
                    SELECT a.previous_assessment_id FROM assessments a JOIN chain ON a.id = chain.id
                    WHERE a.previous_assessment_id IS NOT NULL
                )
                SELECT {_COLUMNS} FROM assessments
                WHERE id <> $id AND (
                    id IN (SELECT id FROM chain)
                    OR ($organisation <> '' AND lower(trim(organisation)) = lower(trim($organisation))
                        AND questionnaire_id = $qid
                        AND coalesce(start_date, CAST(created_at AS DATE)) < $when))
                ORDER BY coalesce(start_date, CAST(created_at AS DATE)), created_at""",
            {"id": a.id, "organisation": a.organisation, "qid": a.questionnaire_id,
             "when": a.start_date or a.created_at.date()}).fetchall()
        return [fetch(cur, row[1]) for row in rows]


def _check_facts(facts: dict) -> None:
    unknown = set(facts) - set(EDITABLE)
    if unknown:
        raise AssessmentError(f"cannot change {', '.join(sorted(unknown))}")
    if "pmo_scope" in facts and facts["pmo_scope"] not in PMO_SCOPES:
        raise AssessmentError(f"PMO scope {facts['pmo_scope']!r} must be one of: {', '.join(PMO_SCOPES)}")
    if facts.get("pmo_type") not in (None, *PMO_TYPES):
        raise AssessmentError(f"PMO type {facts['pmo_type']!r} must be one of: {', '.join(PMO_TYPES)}")
    size = facts.get("min_group_size", 1)
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise AssessmentError(f"minimum group size {size!r} must be a whole number from 1 up")
    if "name" in facts and not str(facts["name"]).strip():
        raise AssessmentError("the name cannot be empty")
    start, end = facts.get("start_date"), facts.get("end_date")
    if start and end and end < start:
        raise AssessmentError("the end date is before the start date")


def _check_groups(groups: list[StakeholderGroup] | None) -> None:
    names = [g.name.strip() if isinstance(g.name, str) else "" for g in groups or []]
    if len(set(names)) != len(names) or any(not n for n in names):
        raise AssessmentError("stakeholder groups need names, each used once")
    for g in groups or []:
        if isinstance(g.invited, bool) or not isinstance(g.invited, int) or g.invited < 0:
            raise AssessmentError(f"the number invited in '{g.name}' must be a whole number, 0 or more")


def update(cur: duckdb.DuckDBPyConnection, slug: str, *,
           stakeholder_groups: list[StakeholderGroup] | None = None, **facts) -> Assessment:
    """Change Foundation facts (and, when given, the stakeholder groups with their invited counts)."""
    _check_facts(facts)
    _check_groups(stakeholder_groups)
    a = fetch(cur, slug)
    start = facts.get("start_date", a.start_date)
    end = facts.get("end_date", a.end_date)
    if start and end and end < start:
        raise AssessmentError("the end date is before the start date")
    size = facts.get("min_group_size", a.min_group_size)
    if size != a.min_group_size and responses.blocks_formed(cur, a.id):
        raise AssessmentError(
            f"the minimum group size stays {a.min_group_size} once responses are published: answers "
            "are shown in groups formed with it, and forming them anew would let two views be "
            "compared (docs/scoring.md). Start a follow-up assessment to use another size")
    if facts:
        assignments = ", ".join(f"{k} = ?" for k in facts)
        cur.execute(f"UPDATE assessments SET {assignments}, updated_at = current_timestamp WHERE id = ?",
                    [*facts.values(), a.id])
    if stakeholder_groups is not None:
        cur.execute("DELETE FROM stakeholder_groups WHERE assessment_id = ?", [a.id])
        for position, g in enumerate(stakeholder_groups):
            cur.execute("INSERT INTO stakeholder_groups (assessment_id, name, invited, position) "
                        "VALUES (?, ?, ?, ?)", [a.id, g.name.strip(), g.invited, position])
    return fetch(cur, slug)


def set_status(cur: duckdb.DuckDBPyConnection, slug: str, status: str) -> Assessment:
    """Open, close, reopen or archive: only the moves in TRANSITIONS are allowed."""
    a = fetch(cur, slug)
    if status not in TRANSITIONS.get(a.status, set()):
        raise AssessmentError(f"an assessment that is {a.status} cannot become {status}")
    cur.execute("UPDATE assessments SET status = ?, updated_at = current_timestamp WHERE id = ?",
                [status, a.id])
    return fetch(cur, slug)


def follow_up(cur: duckdb.DuckDBPyConnection, slug: str, new_slug: str,
              name: str | None = None) -> Assessment:
    """A new assessment of the same organisation and questionnaire, pointing to the one it follows."""
    earlier = fetch(cur, slug)
    q = questionnaires.fetch(cur, earlier.questionnaire_id, earlier.questionnaire_version)
    return create(cur, new_slug, q, name=name or f"{earlier.name} (follow-up)",
                  organisation=earlier.organisation, pmo_scope=earlier.pmo_scope,
                  sponsor_name=earlier.sponsor_name, sponsor_role=earlier.sponsor_role,
                  customers=earlier.customers, pmo_type=earlier.pmo_type, mission=earlier.mission,
                  min_group_size=earlier.min_group_size, stakeholder_groups=list(earlier.stakeholder_groups),
                  previous_assessment_id=earlier.id)


def delete_rows(cur: duckdb.DuckDBPyConnection, assessment_id: int) -> None:
    """Remove the assessment's own rows; services.delete_assessment removes what builds on it first."""
    cur.execute("DELETE FROM stakeholder_groups WHERE assessment_id = ?", [assessment_id])
    cur.execute("DELETE FROM assessments WHERE id = ?", [assessment_id])
