"""One transcript of professional-development hours (JP) per person, from everything Gugus
records, never typed by hand:

- training events completed (the event's JP, on its last day);
- mentoring visits received (their minutes, in whole JP of 45 minutes);
- group activities attended and held: the activity's JP, an On session 2 JP (DOMAIN.md
  §3); In and On sessions are the In-On-In entries;
- partnership (On Job Learning) days attended: the day's rundown, in whole JP.

Performance management takes a plan's evidence from the same entries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gugus.communities.models import Activity, Attendance
from gugus.partnership.models import RundownItem, VisitAttendance
from gugus.training import rules
from gugus.training.models import MentoringVisit, Participant
from gugus.training.selectors import completions

KINDS = {
    "pelatihan": _("Training"),
    "pendampingan": _("Mentoring"),
    "kegiatan-kelompok": _("Working-group activity"),
    "in-on-in": _("In-On-In"),
    "kemitraan": _("Partnership (On Job Learning)"),
}


@dataclass(frozen=True)
class Entry:
    date: datetime.date
    kind: str
    title: str
    jp: Decimal
    reference: str

    @property
    def kind_label(self):
        return KINDS[self.kind]


def _minutes(start: datetime.time, end: datetime.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def _trainings(person_id: int, start, end) -> list[Entry]:
    found = []
    taken = (
        Participant.objects.filter(
            person_id=person_id,
            status=Participant.Status.NOMINATED,
            event__ends_on__range=(start, end),
        )
        .select_related("event")
        .order_by("event__ends_on")
    )
    for p in taken:
        result = completions(p.event, [p]).get(p.pk)
        if result and result.completed:
            found.append(
                Entry(
                    p.event.ends_on,
                    "pendampingan" if p.event.kind == p.event.Kind.MENTORING else "pelatihan",
                    p.event.title,
                    Decimal(p.event.jp),
                    f"training:{p.pk}",
                )
            )
    for v in MentoringVisit.objects.filter(
        mentoring__participant__person_id=person_id, date__range=(start, end)
    ).select_related("mentoring__participant__event"):
        found.append(
            Entry(
                v.date,
                "pendampingan",
                str(v.mentoring.participant.event.title),
                rules.minutes_to_jp(v.minutes),
                f"mentoring:{v.pk}",
            )
        )
    return found


def _group_activities(person_id: int, start, end) -> list[Entry]:
    found = []
    for a in (
        Attendance.objects.filter(
            person_id=person_id,
            status=Attendance.Status.PRESENT,
            activity__status=Activity.Status.HELD,
            activity__date__range=(start, end),
        )
        .select_related("activity__group")
        .order_by("activity__date")
    ):
        activity = a.activity
        kind = (
            "in-on-in"
            if activity.kind in (Activity.Kind.IN, Activity.Kind.ON)
            else "kegiatan-kelompok"
        )
        jp = rules.ON_DAY_JP if activity.kind == Activity.Kind.ON else activity.duration_jp
        found.append(
            Entry(
                activity.date,
                kind,
                f"{activity.topic} · {activity.group.name}",
                Decimal(jp),
                f"activity:{activity.pk}",
            )
        )
    return found


def _partnership_days(person_id: int, start, end) -> list[Entry]:
    days = list(
        VisitAttendance.objects.filter(
            participant__person_id=person_id, status=Attendance.Status.PRESENT
        ).select_related("visit__cohort")
    )
    if not days:
        return []
    minutes: dict[tuple[int, int], int] = defaultdict(int)
    for item in RundownItem.objects.filter(visit__in={d.visit_id for d in days}):
        minutes[(item.visit_id, item.day)] += _minutes(item.starts, item.ends)
    found = []
    for d in days:
        date = d.visit.date_of(d.day)
        if start <= date <= end:
            found.append(
                Entry(
                    date,
                    "kemitraan",
                    f"{d.visit.get_direction_display()} · {d.visit.cohort.name}",
                    rules.minutes_to_jp(minutes[(d.visit_id, d.day)]),
                    f"visit:{d.visit_id}:{d.day}",
                )
            )
    return found


def entries(person_id: int, start: datetime.date, end: datetime.date) -> list[Entry]:
    """Every record of the person between two dates, oldest first."""
    found = (
        _trainings(person_id, start, end)
        + _group_activities(person_id, start, end)
        + _partnership_days(person_id, start, end)
    )
    return sorted(found, key=lambda e: (e.date, e.reference))


@dataclass
class Transcript:
    year: int
    entries: list[Entry]

    @property
    def total(self) -> Decimal:
        return sum((e.jp for e in self.entries), Decimal(0))

    @property
    def by_kind(self) -> list[tuple[str, object, Decimal]]:
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for e in self.entries:
            sums[e.kind] += e.jp
        return [(k, label, sums[k]) for k, label in KINDS.items() if k in sums]


def transcript(person_id: int, year: int) -> Transcript:
    return Transcript(
        year, entries(person_id, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    )


def years_with_records(person_id: int) -> list[int]:
    years = set(
        Participant.objects.filter(person_id=person_id).values_list(
            "event__ends_on__year", flat=True
        )
    ) | set(
        Attendance.objects.filter(
            Q(person_id=person_id), status=Attendance.Status.PRESENT
        ).values_list("activity__date__year", flat=True)
    )
    return sorted(years, reverse=True)
