"""Score tables as people read them: named columns, rounded figures, no internal ids."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pmostep.planning import scoring

DIMENSION_SUMMARY = {
    "name": "Dimension",
    "n": "Respondents (n)",
    "n_na": "Only N/A",
    "current": "Current",
    "desired": "Desired",
    "gap": "Gap",
    "gap_ci_low": "Gap 95% CI low",
    "gap_ci_high": "Gap 95% CI high",
    "importance": "Importance (1-5)",
    "priority": "Priority",
    "level_name": "Current level",
    "desired_level_name": "Desired level",
    "alpha": "Cronbach's alpha",
    "disagreement": "People disagree",
}


def _named(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The chosen columns under their people's names, figures rounded, flags as yes/no."""
    table = frame[list(columns)].rename(columns=columns)
    numeric = table.select_dtypes("number").columns
    table[numeric] = table[numeric].round(2)
    table["People disagree"] = table["People disagree"].map({True: "yes", False: "no"})
    return table


def dimension_summary(dims: pd.DataFrame) -> pd.DataFrame:
    """The per-dimension figures behind the overview chart, ready to show or download."""
    return _named(dims, DIMENSION_SUMMARY)


STATEMENT_SUMMARY = {
    "text": "Statement",
    "n": "Rated (n)",
    "n_na": "Don't know",
    "n_held": "Current ratings held back",
    "current": "Current",
    "current_median": "Median",
    "current_iqr": "IQR",
    "desired": "Desired",
    "gap": "Gap",
    "level_name": "Current level",
    "disagreement": "People disagree",
}


def statement_summary(statements: pd.DataFrame) -> pd.DataFrame:
    """Per-statement figures, named for people."""
    return _named(statements, STATEMENT_SUMMARY)


def priority_ranking(frame: pd.DataFrame, label_column: str, label: str) -> pd.DataFrame:
    """Rows ranked by priority, with the gap's interval and whether the gap is real (above zero)."""
    ranked = frame[frame["gap"].notna()].sort_values("priority", ascending=False)
    table = pd.DataFrame({
        "Rank": range(1, len(ranked) + 1),
        label: ranked[label_column].to_numpy(),
        "Gap": ranked["gap"].round(2).to_numpy(),
        "95% CI low": ranked["gap_ci_low"].round(2).to_numpy(),
        "95% CI high": ranked["gap_ci_high"].round(2).to_numpy(),
        "Importance (1-5)": ranked["importance"].round(2).to_numpy() if "importance" in ranked else None,
        "Priority": ranked["priority"].round(2).to_numpy(),
        "Real gap": ["yes" if low > 0 else "not sure" for low in ranked["gap_ci_low"]],
    })
    if "dimension" in ranked:
        table.insert(2, "Dimension", ranked["dimension"].to_numpy())
    return table


def statement_spread(statements: pd.DataFrame,
                     dimension_names: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """IQR of the current ratings, dimensions by statement number, with the statement texts for hover."""
    frame = statements.assign(number=statements.groupby("dimension_id").cumcount() + 1)
    frame = frame.assign(dimension=frame["dimension_id"].map(dimension_names))
    order = list(dict.fromkeys(frame["dimension"]))
    values = frame.pivot(index="dimension", columns="number", values="current_iqr").reindex(order)
    texts = frame.pivot(index="dimension", columns="number", values="text").reindex(order).fillna("")
    values.columns = [f"Statement {c}" for c in values.columns]
    texts.columns = values.columns
    values.index.name, values.columns.name = "Dimension", "Statement of the dimension"
    return values, texts


def group_spread(groups: list, column: str = "current_iqr", field_label: str = "Stakeholder group",
                 with_n: bool = False) -> pd.DataFrame:
    """A figure of every dimension (rows) for every shown group (columns), optionally 'Group (n=12)'."""
    if not groups:
        return pd.DataFrame()
    values = pd.DataFrame({(f"{g.group} (n={g.respondents})" if with_n else g.group):
                           g.dimensions.set_index("name")[column] for g in groups})
    values.index.name, values.columns.name = "Dimension", field_label
    return values


def group_comparison(a, b, measure: str) -> pd.DataFrame:
    """Two groups' figures side by side per dimension, the difference, and whether it is beyond noise.

    A difference is called clear by scoring.clear_difference (beyond 1.96 standard errors of a
    difference of two independent means, docs/scoring.md); for the gap, whose spread per person is not
    kept, no call is made.
    """
    da, db = a.dimensions.set_index("id"), b.dimensions.set_index("id")
    out = pd.DataFrame({"Dimension": da["name"], a.group: da[measure].round(2),
                        b.group: db[measure].round(2)})
    out["Difference"] = (da[measure] - db[measure]).round(2)
    if measure in ("current", "desired"):
        clear = scoring.clear_difference(a.dimensions, b.dimensions, measure).reindex(out.index)
        out["Clear difference"] = np.where(out["Difference"].isna(), "", np.where(clear, "yes", "no"))
    return out.reset_index(drop=True)


def disagreements(statements: pd.DataFrame, dimension_names: dict[str, str]) -> pd.DataFrame:
    """The statements people disagree on: the topics to discuss in a workshop, widest spread first."""
    flagged = statements[statements["disagreement"].astype(bool)].sort_values("current_iqr", ascending=False)
    return pd.DataFrame({
        "Statement": flagged["text"].to_numpy(),
        "Dimension": flagged["dimension_id"].map(dimension_names).to_numpy(),
        "IQR": flagged["current_iqr"].round(2).to_numpy(),
        "Standard deviation": flagged["current_sd"].round(2).to_numpy(),
        "Current": flagged["current"].round(2).to_numpy(),
        "Rated (n)": flagged["n"].to_numpy(),
    })


def practices_table(ranked, step_names: dict[str, str], problem_names: dict[str, str],
                    entry_names: dict[str, str]) -> pd.DataFrame:
    """Best practices (with why each stands where it does) as people read them: names, not ids."""
    return pd.DataFrame({
        "Practice": [p.name for p, _ in ranked],
        "Step": [step_names[p.step] for p, _ in ranked],
        "Summary": [p.summary for p, _ in ranked],
        "How": [" / ".join(p.how) for p, _ in ranked],
        "Prevents": ["; ".join(problem_names.get(i, i) for i in p.problems) for p, _ in ranked],
        "Catalogue entries": ["; ".join(entry_names.get(i, i) for i in p.entries) for p, _ in ranked],
        "Why here": [why for _, why in ranked],
    })


def roles_table(roles, needed: dict[str, list[str]], pmo_types: list[str]) -> pd.DataFrame:
    """PMO roles as people read them: one row each, with the entries that need it by name and a column
    per PMO type saying whether that type needs it."""
    return pd.DataFrame({
        "Role": [r.name for r in roles],
        "Typical grade": [r.grade for r in roles],
        "Entries that need it": [len(needed[r.id]) for r in roles],
        **{f"PMO type {t}": ["yes" if t in r.pmo_types else "" for r in roles] for t in pmo_types},
        "Purpose": [r.purpose for r in roles],
        "Responsibilities": ["; ".join(r.responsibilities) for r in roles],
        "Skills": ["; ".join(r.skills) for r in roles],
        "Catalogue entries": ["; ".join(needed[r.id]) for r in roles],
    })


def catalogue_table(entries, dimension_names: dict[str, str], names: dict[str, str],
                    role_names: dict[str, str]) -> pd.DataFrame:
    """Catalogue entries as people read them: names, not ids; strengths as words and numbers."""
    strength = {1: "some", 2: "clear", 3: "strong"}
    return pd.DataFrame({
        "Entry": [e.name for e in entries],
        "Type": [e.type.capitalize() for e in entries],
        "Improves": ["; ".join(f"{dimension_names.get(d, d)} ({strength.get(s, s)})"
                               for d, s in sorted(e.dimensions.items(), key=lambda kv: -kv[1]))
                     for e in entries],
        "Fits levels": [f"{e.maturity_min}-{e.maturity_max}" for e in entries],
        "Effort (pw)": [e.effort for e in entries],
        "Cost": [e.cost_band for e in entries],
        "Change load": [e.change_load for e in entries],
        "Value": [f"{e.horizon} term" for e in entries],
        "Needs first": ["; ".join(names.get(p, p) for p in e.prerequisites) for e in entries],
        "PMO type": [e.pmo_type for e in entries],
        "Roles": ["; ".join(role_names.get(r, r) for r in e.roles) for e in entries],
        "Description": [e.description for e in entries],
    })
