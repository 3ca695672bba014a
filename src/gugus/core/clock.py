"""The date the rules compare against ("today"), in one place.

Services ask `today()` instead of the system clock so that the demo generator can replay
a programme's history through the real services `as_of` a past date, and every rule
(windows, "not before it happened") holds for the history it writes.
"""

from __future__ import annotations

import contextlib
import datetime
from contextvars import ContextVar

from django.utils import timezone

_as_of: ContextVar[datetime.date | None] = ContextVar("gugus_as_of", default=None)


def today() -> datetime.date:
    return _as_of.get() or timezone.localdate()


@contextlib.contextmanager
def as_of(day: datetime.date):
    token = _as_of.set(day)
    try:
        yield
    finally:
        _as_of.reset(token)


def now() -> datetime.datetime:
    """The current time, or mid-morning of the replayed day."""
    day = _as_of.get()
    if day is None:
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
