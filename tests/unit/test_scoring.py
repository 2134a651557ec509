"""Scoring's readings without a database (planning/scoring.py): the level a score reaches, what an alpha
says (the figures of the hand-worked fixture: tests/integration/test_scoring.py)."""

from pmostep.planning import scoring


def test_level_of_is_the_reached_level(q):
    assert scoring.level_of(2.999, q) == 2
    assert scoring.level_of(3.0, q) == 3
    assert scoring.level_of(5.0, q) == 5
    assert scoring.level_of(float("nan"), q) is None


def test_alpha_readings():
    assert scoring.alpha_reading(0.85).startswith("The statements hang together well")
    assert scoring.alpha_reading(0.5).startswith("The statements describe different things")
    assert scoring.alpha_reading(float("nan")).startswith("Not enough")


def test_clear_difference_is_beyond_1_96_standard_errors_and_false_when_unknown():
    import pandas as pd
    a = pd.DataFrame({"id": ["g", "m", "p"], "current": [3.0, 2.0, float("nan")],
                      "current_sd": [0.5, 1.0, float("nan")], "n": [20, 20, 0]})
    b = a.assign(current=[2.0, 1.8, 2.0], n=[25, 25, 25])
    # 1.0 > 1.96 * sqrt(.25/20 + .25/25) = 0.29; 0.2 < 1.96 * sqrt(1/20 + 1/25) = 0.59; p unknown
    assert scoring.clear_difference(a, b).to_dict() == {"g": True, "m": False, "p": False}
