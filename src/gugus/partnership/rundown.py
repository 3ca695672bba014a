"""The standard rundowns of On Job Learning (seed 003): the week the partners spend at
their host's school, and the host's return visit to a partner. A visit starts from its
template and the office or the host edits it afterwards."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from gugus.partnership.models import RundownItem, Visit

A = RundownItem.Activity
DAY_STARTS = datetime.time(8, 0)
LONGEST_DAY = 9 * 60  # minutes: a squeezed day still ends by 17:00

# Each day: its sessions as (activity, minutes), in order.
OJL_WEEK: list[list[tuple[str, int]]] = [
    [(A.WELCOME, 60), (A.CULTURE, 180)],
    [(A.LESSON_PLAN, 120), (A.OBSERVATION, 120)],
    [(A.DISCUSSION, 120), (A.OBSERVATION, 120)],
    [(A.DISCUSSION, 120), (A.TOOLS, 120)],
    [(A.WORKSHOP, 240)],
    [(A.MONEV, 120), (A.OBSERVATION, 120)],
    [(A.ACTION_PLAN, 120), (A.CLOSING, 60)],
]
RETURN_VISIT: list[list[tuple[str, int]]] = [
    [(A.WELCOME, 60), (A.OBSERVATION, 120), (A.DISCUSSION, 60)],
    [(A.MONEV, 120), (A.ACTION_PLAN, 60), (A.CLOSING, 60)],
]
# What an extra day of a longer visit holds (inserted before the last day).
EXTRA_DAY = [(A.OBSERVATION, 120), (A.DISCUSSION, 120)]


@dataclass(frozen=True)
class Session:
    day: int
    starts: datetime.time
    ends: datetime.time
    activity: str


def _fit(template: list[list[tuple[str, int]]], days: int) -> list[list[tuple[str, int]]]:
    """The template stretched or squeezed to `days`: extra days go before the closing day;
    fewer days take the template's days in order, several to a day."""
    if days >= len(template):
        return template[:-1] + [EXTRA_DAY] * (days - len(template)) + template[-1:]
    fitted: list[list[tuple[str, int]]] = [[] for _ in range(days)]
    for n, sessions in enumerate(template):
        fitted[n * days // len(template)].extend(sessions)
    return fitted


def template_for(direction: str, days: int) -> list[Session]:
    """The sessions of a visit of `days` days, each day from 08:00, one after another,
    shortened alike when a squeezed day would run past 17:00."""
    template = OJL_WEEK if direction == Visit.Direction.OJL else RETURN_VISIT
    sessions = []
    for day, day_sessions in enumerate(_fit(template, days), start=1):
        clock = datetime.datetime.combine(datetime.date.min, DAY_STARTS)
        total = sum(m for _a, m in day_sessions)
        scale = min(1.0, LONGEST_DAY / total)
        for activity, full in day_sessions:
            minutes = max(15, int(full * scale) // 15 * 15)
            ends = clock + datetime.timedelta(minutes=minutes)
            sessions.append(Session(day, clock.time(), ends.time(), activity))
            clock = ends
    return sessions
