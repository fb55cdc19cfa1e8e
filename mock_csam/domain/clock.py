"""The date and time the mock lives on: every rule asks here, never the system clock directly."""

from __future__ import annotations

import datetime as dt


def today() -> dt.date:
    """The mock's today."""
    return dt.date.today()


def now() -> dt.datetime:
    """The mock's now, timezone-naive UTC as stored."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
