"""The date the mock lives on, and its chance: every rule asks here, never the system clock or a random source
directly.

Each store has its `MockClock`: the real date by default, or a date fixed through the control API
(`POST /_mock/clock`) so that role dates, the AR78 cut-over and the post delay give the same results on every
run. A store's transaction makes its clock the current one, so the rules need no extra argument. A clock made
with a `seed` also draws its chance numbers (request numbers) from a seeded generator, so that a recorded
walkthrough shows the same numbers every time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import secrets
from collections.abc import Iterator
from contextvars import ContextVar


class MockClock:
    """The real date, or a fixed one; the time of day always runs (it only orders records)."""

    def __init__(self, fixed_today: dt.date | None = None, seed: int | None = None) -> None:
        self.fixed_today = fixed_today
        self.seed = seed
        self._random = random.Random(seed) if seed is not None else None

    def draw(self, n: int) -> int:
        """A chance number from 0 to n - 1: unpredictable, or the seeded sequence."""
        return self._random.randrange(n) if self._random is not None else secrets.randbelow(n)

    def reseed(self) -> None:
        """Start the seeded sequence again (the state was emptied)."""
        if self.seed is not None:
            self._random = random.Random(self.seed)

    @property
    def is_fixed(self) -> bool:
        """True when the date was set, False when the mock follows the real date."""
        return self.fixed_today is not None

    def today(self) -> dt.date:
        """The mock's today."""
        return self.fixed_today or dt.date.today()

    def now(self) -> dt.datetime:
        """The mock's now: its today at the real time of day, timezone-naive UTC as stored."""
        real = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        return dt.datetime.combine(self.fixed_today, real.time()) if self.fixed_today else real


_current: ContextVar[MockClock | None] = ContextVar("csam_mock_clock", default=None)


@contextlib.contextmanager
def using(clock: MockClock) -> Iterator[MockClock]:
    """Make this clock the one `today()` and `now()` read, for the duration of the block."""
    token = _current.set(clock)
    try:
        yield clock
    finally:
        _current.reset(token)


def current() -> MockClock:
    """The clock of the transaction in progress, or one on the real date outside any."""
    return _current.get() or MockClock()


def today() -> dt.date:
    """The mock's today."""
    return current().today()


def now() -> dt.datetime:
    """The mock's now, timezone-naive UTC as stored."""
    return current().now()
