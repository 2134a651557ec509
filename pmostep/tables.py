"""Score tables as people read them: named columns, rounded figures, no internal ids."""

from __future__ import annotations

import pandas as pd

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


def dimension_summary(dims: pd.DataFrame) -> pd.DataFrame:
    """The per-dimension figures behind the overview chart, ready to show or download."""
    table = dims[list(DIMENSION_SUMMARY)].rename(columns=DIMENSION_SUMMARY)
    numeric = table.select_dtypes("number").columns
    table[numeric] = table[numeric].round(2)
    table["People disagree"] = table["People disagree"].map({True: "yes", False: "no"})
    return table


STATEMENT_SUMMARY = {
    "text": "Statement",
    "n": "Rated (n)",
    "n_na": "Don't know",
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
    table = statements[list(STATEMENT_SUMMARY)].rename(columns=STATEMENT_SUMMARY)
    numeric = table.select_dtypes("number").columns
    table[numeric] = table[numeric].round(2)
    table["People disagree"] = table["People disagree"].map({True: "yes", False: "no"})
    return table


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
