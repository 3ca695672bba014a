"""The date the rules compare against ("today"), in one place.

Everything that needs the date or time asks `today()` / `now()` instead of the system
clock, for two reasons: the demo generator replays a programme's history through the real
services `as_of` a past date, so every rule (windows, "not before it happened") holds for
the history it writes; and a trainer can run the whole app on a chosen date
(`GUGUS_TODAY=2026-03-01 make run`, refused in production) to walk an office through a
grant's year in an afternoon.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
from contextvars import ContextVar

from django.conf import settings
from django.utils import timezone

_as_of: ContextVar[datetime.date | None] = ContextVar("gugus_as_of", default=None)


@functools.cache
def _configured_day(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as e:
        raise ValueError(f"GUGUS_TODAY must be a date like 2026-03-01, not {value!r}") from e


def _chosen_day() -> datetime.date | None:
    return _as_of.get() or _configured_day(getattr(settings, "GUGUS_TODAY", None))


def today() -> datetime.date:
    return _chosen_day() or timezone.localdate()


@contextlib.contextmanager
def as_of(day: datetime.date):
    token = _as_of.set(day)
    try:
        yield
    finally:
        _as_of.reset(token)


def now() -> datetime.datetime:
    """The current time; on a chosen day, that day at the current time of day (replays
    inside `as_of` use mid-morning, so their history reads in order)."""
    if (day := _as_of.get()) is not None:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
    if (day := _configured_day(getattr(settings, "GUGUS_TODAY", None))) is not None:
        local = timezone.localtime()
        return timezone.make_aware(datetime.datetime.combine(day, local.time()))
    return timezone.now()
