"""Which round of a workshop stands for it when years are compared (pmostep/workshop/followup.py)."""

from pmostep.workshop.followup import latest_ratings


def rating_round(number: int, n: int, current: float | None, revealed: bool = True) -> dict:
    shown = current is not None
    results = ({"current": {"mean": current}, "desired": {"mean": 4.0}, "gap": 4.0 - current,
                "survey": {"current": 2.1}} if shown else None)
    return {"number": number, "n": n, "shown": shown, "revealed": revealed, "results": results}


def activity(kind: str, rounds: list[dict], item: str = "governance") -> dict:
    return {"kind": kind, "items": [{"id": item, "label": "Governance and sponsorship"}], "rounds": rounds}


def test_the_latest_revealed_shown_round_stands_for_the_workshop():
    acts = [activity("rating", [rating_round(1, 6, 2.0), rating_round(2, 7, 2.5),
                                rating_round(3, 3, None), rating_round(4, 8, 3.5, revealed=False)])]
    (row,) = latest_ratings(acts, "2026", "Spring")
    assert (row["round"], row["n"], row["current"], row["survey_current"]) == (2, 7, 2.5, 2.1)


def test_rounds_never_shown_or_other_kinds_give_no_row():
    acts = [activity("rating", [rating_round(1, 3, None)]), activity("dots", [rating_round(1, 9, 2.0)]),
            activity("rating", [rating_round(1, 9, 2.0, revealed=False)], item="methodology")]
    assert latest_ratings(acts, "2026", "Spring") == []
