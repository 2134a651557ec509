"""The limits on password guesses, with a clock the test moves."""

import pytest

from pmostep.core.throttle import Limits, Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


KEYS = ["session:a", "address:10.0.0.1"]


def test_each_failure_doubles_the_wait_up_to_the_maximum(clock):
    guard = Throttle(Limits(first_delay=1, max_delay=8, lockout_after=100), clock)
    waits = []
    for _ in range(6):
        verdict = guard.failed(KEYS)
        waits.append(verdict.wait)
        assert not guard.check(KEYS).allowed               # too soon: refused without a check
        clock.now += verdict.wait
        assert guard.check(KEYS).allowed
    assert waits == [1, 2, 4, 8, 8, 8]


def test_forty_wrong_guesses_lock_the_address_out_and_the_right_one_waits(clock):
    guard = Throttle(Limits(first_delay=1, max_delay=30, lockout_after=10, lockout=900), clock)
    tried = 0
    for _ in range(40):
        verdict = guard.check(KEYS)
        if not verdict.allowed:
            clock.now += verdict.wait if not verdict.locked else 1    # an impatient guesser
            continue
        tried += 1
        guard.failed(KEYS)
    assert tried == 10                                     # the 10th wrong guess locked it
    verdict = guard.check(KEYS)
    assert verdict.locked and verdict.wait > 800
    assert guard.check(["session:new-tab", "address:10.0.0.1"]).locked      # a new tab does not help
    assert guard.check(["session:b", "address:10.0.0.2"]).allowed           # another address may try
    clock.now += 900
    assert guard.check(KEYS).allowed                       # the lock-out ends


def test_the_right_password_clears_the_record(clock):
    guard = Throttle(Limits(first_delay=5), clock)
    guard.failed(KEYS)
    clock.now += 5
    guard.succeeded(KEYS)
    assert guard.failed(KEYS).wait == 5                    # the next failure starts again at the first wait


def test_old_failures_are_forgotten(clock):
    guard = Throttle(Limits(first_delay=1, lockout_after=3, lockout=60), clock)
    guard.failed(KEYS)
    clock.now += 2
    guard.failed(KEYS)
    clock.now += 61                                        # more than the lock-out window later
    verdict = guard.failed(KEYS)
    assert not verdict.locked and verdict.wait == 1
