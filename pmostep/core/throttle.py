"""Limits on password guesses (a growing wait after each failure, then a lock-out) and on how often
something may happen per key (Rate).

Kept apart from Streamlit so the rules can be checked with a fake clock. One Throttle is shared by
every session of a process; each attempt is counted against several keys at once (the session and
the client address), and the strictest key decides.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """How hard guessing is. The defaults allow about 10 guesses per 15 minutes and address."""

    first_delay: float = 1.0        # seconds to wait after the first failure; doubles with each one
    max_delay: float = 30.0         # the wait never grows beyond this
    lockout_after: int = 10         # failures in a row that lock the key...
    lockout: float = 15 * 60.0      # ...for this many seconds; failures older than this are forgotten


@dataclass(frozen=True)
class Verdict:
    """Whether an attempt may be checked now, and if not, for how long and why not."""

    wait: float = 0.0
    locked: bool = False

    @property
    def allowed(self) -> bool:
        return self.wait <= 0


@dataclass
class _Record:
    failures: int
    last: float
    until: float
    locked: bool


class Throttle:
    """Failed attempts per key, safe to share between threads."""

    MAX_KEYS = 10_000                # forgotten records are dropped beyond this many keys

    def __init__(self, limits: Limits = Limits(), clock: Callable[[], float] = time.monotonic):
        self.limits = limits
        self.clock = clock
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    def check(self, keys: Sequence[str]) -> Verdict:
        """May an attempt from these keys be checked now? (A refused attempt is not counted.)"""
        now = self.clock()
        with self._lock:
            waits = [(r.until - now, r.locked) for r in map(self._records.get, keys) if r and r.until > now]
        if not waits:
            return Verdict()
        wait, locked = max(waits)
        return Verdict(wait, locked)

    def failed(self, keys: Sequence[str]) -> Verdict:
        """Count a wrong password against every key; the verdict says how long the next one waits."""
        now = self.clock()
        with self._lock:
            if len(self._records) > self.MAX_KEYS:
                self._forget(now)
            for key in keys:
                record = self._records.get(key)
                if record is None or now - record.last > self.limits.lockout:
                    record = self._records[key] = _Record(0, now, now, False)
                record.failures += 1
                record.last = now
                record.locked = record.failures >= self.limits.lockout_after
                if record.locked:
                    record.until = now + self.limits.lockout
                    record.failures = 0                 # after the lock-out, the waits start again
                else:
                    record.until = now + min(self.limits.first_delay * 2 ** (record.failures - 1),
                                             self.limits.max_delay)
        return self.check(keys)

    def succeeded(self, keys: Sequence[str]) -> None:
        """The right password: these keys start afresh."""
        with self._lock:
            for key in keys:
                self._records.pop(key, None)

    def _forget(self, now: float) -> None:
        stale = [k for k, r in self._records.items() if r.until <= now and now - r.last > self.limits.lockout]
        for key in stale:
            del self._records[key]


class Rate:
    """At most `limit` events per key in any `seconds`, for every thread of the process.

    Holds at most MAX_KEYS keys: beyond that the key seen least recently is forgotten, so random keys
    cannot grow the memory (a forgotten key starts afresh: pair a Rate per token with one per address)."""

    MAX_KEYS = 10_000

    def __init__(self, limit: int, seconds: float, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = MAX_KEYS) -> None:
        self.limit, self.seconds, self.clock, self.max_keys = limit, seconds, clock, max_keys
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Count one event for the key, unless it already had `limit` within the window."""
        now = self.clock()
        with self._lock:
            times = self._seen.setdefault(key, deque())
            self._seen.move_to_end(key)
            while len(self._seen) > self.max_keys:
                self._seen.popitem(last=False)
            while times and now - times[0] >= self.seconds:
                times.popleft()
            if len(times) >= self.limit:
                return False
            times.append(now)
            return True

    def __len__(self) -> int:
        return len(self._seen)
