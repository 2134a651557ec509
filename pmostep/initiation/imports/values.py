"""Turning answer cells into scale values: labels, numbers and N/A variants; unknown labels are reported.

A label is looked up after normalising case, quotes, dashes and spacing. Recognised, for a 1-5 scale:
the questionnaire's own labels (with or without a number: "4 - Managed", "4. Managed", "4 Managed"),
common agreement and frequency scales, whole numbers ("4", "4.0"), and the N/A variants (Don't know,
N/A, Not applicable, Qualtrics' -99 for seen but unanswered). Anything else, decimals ("3.7") and
platform codes (LimeSurvey's A1, A2 ... depend on how the form was built) included, is a problem to
report or a saved mapping to write, never a guess.
"""

from __future__ import annotations

import re
import unicodedata

from pmostep.core.questionnaire import Questionnaire

NA = "na"          # the mapped value of an explicit "don't know / not applicable"

NA_LABELS = {
    "n/a", "na", "n.a.", "not applicable", "don't know", "dont know", "do not know", "i don't know",
    "i dont know", "don't know / not applicable", "don't know/not applicable", "dk", "unknown",
    "not sure", "no opinion", "cannot say", "can't say", "-99", "-99.0",
}
AGREEMENT = ["strongly disagree", "disagree", "neither agree nor disagree", "agree", "strongly agree"]
AGREEMENT_ALIASES = {"neutral": 3, "neither agree or disagree": 3, "somewhat disagree": 2,
                     "somewhat agree": 4, "tend to disagree": 2, "tend to agree": 4}
FREQUENCY = ["never", "rarely", "sometimes", "often", "always"]
FREQUENCY_ALIASES = {"seldom": 2, "usually": 4, "most of the time": 4, "very often": 4}

# "4 - Managed", "4. Managed", "4) Managed", "4 Managed": a number, a separator, then a label.
_NUMBER_PREFIX = re.compile(r"^(?P<n>\d+)(?:\s*[-.:)]\s*|\s+)(?P<label>[^\d\s].*)$")


def normalise(text: str) -> str:
    """Case, quotes, dashes, spacing and accents folded, so small differences do not matter."""
    text = unicodedata.normalize("NFKC", str(text))
    text = (text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
            .replace("\u201d", '"').replace("\u2013", "-").replace("\u2014", "-"))
    return re.sub(r"\s+", " ", text).strip().casefold()


def rating_lookup(labels: list[str], aliases: dict[str, int] | None = None) -> dict[str, object]:
    """Every accepted spelling of a 1..N scale (plus N/A variants) mapped to its value."""
    lookup: dict[str, object] = {label: NA for label in NA_LABELS}
    top = len(labels)
    for value in range(1, top + 1):
        lookup[str(value)] = value
        lookup[f"{value}.0"] = value
    scales = [labels]
    if top == 5:
        scales += [AGREEMENT, FREQUENCY]
    for scale in scales:
        for value, label in enumerate(scale, start=1):
            lookup[normalise(label)] = value
    for alias, value in {**(aliases or {}), **(AGREEMENT_ALIASES if top == 5 else {}),
                         **(FREQUENCY_ALIASES if top == 5 else {})}.items():
        lookup.setdefault(normalise(alias), value)
    return lookup


def rating_scale(q: Questionnaire) -> dict[str, object]:
    lookup = rating_lookup([p.label for p in q.scale])
    lookup[normalise(q.not_applicable_label)] = NA
    return lookup


def importance_scale(q: Questionnaire) -> dict[str, object]:
    return rating_lookup([p.label for p in q.importance_scale])


def map_value(raw: object, lookup: dict[str, object], top: int) -> tuple[object, bool]:
    """(value, known): value is 1..top, NA or None (blank); known is False for an unknown label."""
    if raw is None:
        return None, True
    text = normalise(raw)
    if text == "":
        return None, True
    if text in lookup:
        return lookup[text], True
    match = _NUMBER_PREFIX.match(text)
    if match:
        n = int(match.group("n"))
        if 1 <= n <= top and lookup.get(match.group("label")) in (n, None):
            return n, True
    return None, False


def map_profile(raw: object, options: tuple[str, ...]) -> tuple[str | None, bool]:
    """(value, known): a profile answer matched to the question's option, else kept as given."""
    if raw is None or normalise(raw) == "":
        return None, True
    text = normalise(raw)
    for option in options:
        if normalise(option) == text:
            return option, True
    return str(raw).strip(), False
