"""The Foundation reading: how ready the organisation is for change, and what that means for the pace
of the PMO's roll-out. The rule is in docs/scoring.md ("Readiness for change")."""

from __future__ import annotations

from dataclasses import dataclass

from pmostep.planning.scoring import ScoreReport

READINESS_DIMENSION = "culture"
# (lower bound of the culture score, reading, pace, change budget per wave in change-load points)
BANDS = (
    (3.0, "high", "The organisation has absorbed change before: waves can carry several changes at "
                  "once.", 10),
    (2.0, "moderate", "Change is possible with care: a few related changes per wave, with time to "
                      "settle.", 7),
    (0.0, "low", "Change will meet resistance: one or two changes per wave, strong sponsorship, and "
                 "visible quick wins first.", 4),
)


@dataclass(frozen=True)
class Readiness:
    score: float | None          # the culture dimension's current score, None when not shown
    n: int
    reading: str                 # high, moderate, low, or unknown
    pace: str
    change_budget: int           # default change-load points per wave for the roadmap

    @property
    def known(self) -> bool:
        return self.score is not None


def readiness(report: ScoreReport) -> Readiness:
    """Read readiness for change from the culture dimension of the whole assessment."""
    whole = report.whole
    row = None
    if whole is not None:
        rows = whole.dimensions[whole.dimensions["id"] == READINESS_DIMENSION]
        row = rows.iloc[0] if len(rows) else None
    if row is None or row["current"] != row["current"]:
        return Readiness(None, 0 if row is None else int(row["n"]), "unknown",
                         "Not enough answers yet to read readiness for change; plan small waves until "
                         "there are.", BANDS[-1][3])
    score = float(row["current"])
    for bound, reading, pace, budget in BANDS:
        if score >= bound:
            return Readiness(score, int(row["n"]), reading, pace, budget)
    raise AssertionError("the bands cover every score")


def response_rates(groups: tuple, completed: dict[str, int]) -> list[dict]:
    """Per stakeholder group: invited, responded, and the response rate (None when nobody was invited).

    Respondents who named no group, or a group that is not listed, are counted on a line of their own.
    """
    rows = []
    for g in groups:
        responded = completed.get(g.name, 0)
        rows.append({"group": g.name, "invited": g.invited, "responded": responded,
                     "rate": responded / g.invited if g.invited else None})
    listed = {g.name for g in groups}
    other = sum(n for name, n in completed.items() if name not in listed)
    if other:
        rows.append({"group": "Other or not stated", "invited": None, "responded": other, "rate": None})
    return rows
