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
