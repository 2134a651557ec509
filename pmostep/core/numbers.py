"""Numbers as the product reads and writes them: a figure for a sentence, a maturity that may be missing."""

from __future__ import annotations

import math
from typing import Any


def figure(x: float) -> str:
    """A figure for a sentence: 12, 2.5, 0.75 (never 12.0)."""
    return f"{round(float(x), 2):.2f}".rstrip("0").rstrip(".")


def known(x: Any) -> float | None:
    """A maturity as a float, or None when missing (None, NaN, pandas NA)."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def rounded(x: float, digits: int) -> float:
    """`round`, first rid of float summation noise: the same ratings summed in another order (a file and
    its PostgreSQL copy, say) differ in the 16th digit, which must not flip 2.21875 between 2.2187 and
    2.2188."""
    return round(round(float(x), 9), digits)
