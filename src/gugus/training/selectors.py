"""Reads of training: completion per participant, the quota fill by kab/kota and level
group (shortfalls and late nominations), the organiser's figures (attendance per session,
completion, evaluation, cascade reach) and the public verification of a certificate."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Avg, Count, Q, Sum

from gugus.directory.models import Regency, School
from gugus.training import rules
from gugus.training.models import (
    Cascade,
    Certificate,
    CheckIn,
    Evaluation,
    Event,
    Participant,
    Quota,
)
from gugus.training.rules import LEVEL_GROUP_OF_JENJANG, Completion, LevelGroup


def current(event: Event):
    return event.participants.filter(status=Participant.Status.NOMINATED)


def completions(event: Event, participants=None) -> dict[int, Completion]:
    """Each current participant's completion under the event's rule (`rules.completion`)."""
    sessions = event.sessions.count()
    people = participants if participants is not None else current(event)
    ids = [p.pk for p in people]
    attended = dict(
        CheckIn.objects.filter(participant_id__in=ids, session__event=event)
        .values("participant_id")
        .annotate(n=Count("session", distinct=True))
        .values_list("participant_id", "n")
    )
    scores = dict(
        Participant.objects.filter(pk__in=ids, status=Participant.Status.NOMINATED).values_list(
            "pk", "post_score"
        )
    )
    return {
        pk: rules.completion(
            attended=attended.get(pk, 0),
            sessions=sessions,
            post_score=post,
            min_attendance=event.min_attendance,
            pass_score=event.pass_score,
        )
        for pk, post in scores.items()
    }


@dataclass
class QuotaRow:
    regency_id: str
    regency: str
    level_group: str
    seats: int
    nominated: int
    late: int

    @property
    def shortfall(self) -> int:
        return max(self.seats - self.nominated, 0)


def quota_table(rows: list[QuotaRow]) -> tuple[list, list[tuple]]:
    """The quota rows as one line per kab/kota with a cell per level group (None where
    the kab/kota has no quota for it): 38 lines for seed 004 instead of 114."""
    levels = [g for g in LevelGroup.values if any(r.level_group == g for r in rows)]
    lines: dict[str, tuple[str, dict]] = {}
    for r in rows:
        lines.setdefault(r.regency_id, (r.regency, {}))[1][r.level_group] = r
    return (
        [(g, LevelGroup(g).label) for g in levels],
        [(code, name, [cells.get(g) for g in levels]) for code, (name, cells) in lines.items()],
    )


def quota_fill(event: Event, regencies: set[str] | None = None) -> list[QuotaRow]:
    """Seats, current nominations and late ones per kab/kota and level group; limited to
    the given kab/kota for an office that sees only its own."""
    return quota_fills({event.pk: regencies})[event.pk]


def quota_fills(events: dict[int, set[str] | None]) -> dict[int, list[QuotaRow]]:
    """`quota_fill` of several events at once ({event id: its kab/kota or None}), in two
    queries however many events: an office's page of all its nominations."""
    quotas = Quota.objects.filter(event_id__in=events).select_related("regency")
    nominated = (
        Participant.objects.filter(event_id__in=events, status=Participant.Status.NOMINATED)
        .values("event_id", "regency_id", "level_group")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(late=True)))
    )
    counts = {
        (r["event_id"], r["regency_id"], r["level_group"]): (r["n"], r["late"]) for r in nominated
    }
    fills: dict[int, list[QuotaRow]] = {event: [] for event in events}
    for q in quotas.order_by("event_id", "regency_id", "level_group"):
        regencies = events[q.event_id]
        if regencies is not None and q.regency_id not in regencies:
            continue
        fills[q.event_id].append(
            QuotaRow(
                q.regency_id,
                q.regency.name,
                q.level_group,
                q.seats,
                *counts.get((q.event_id, q.regency_id, q.level_group), (0, 0)),
            )
        )
    return fills


def usual_seats(rows: list[QuotaRow]) -> dict[str, int]:
    """The seats most kab/kota have per level group: what the quota form shows."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        counts[r.level_group][r.seats] += 1
    return {level: c.most_common(1)[0][0] for level, c in counts.items()}


@dataclass
class QuotaTotals:
    seats: int
    nominated: int
    shortfall: int
    late: int
    regencies: int
    by_level: dict[str, tuple[int, int]]


def quota_totals(rows: list[QuotaRow]) -> QuotaTotals:
    by_level: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        by_level[r.level_group][0] += r.seats
        by_level[r.level_group][1] += r.nominated
    return QuotaTotals(
        seats=sum(r.seats for r in rows),
        nominated=sum(r.nominated for r in rows),
        shortfall=sum(r.shortfall for r in rows),
        late=sum(r.late for r in rows),
        regencies=len({r.regency_id for r in rows}),
        by_level={k: tuple(v) for k, v in sorted(by_level.items())},
    )


def session_attendance(event: Event) -> list[tuple]:
    """(session, checked in, by QR) for every session, in order."""
    rows = event.sessions.annotate(
        n=Count("checkins", filter=Q(checkins__participant__status=Participant.Status.NOMINATED)),
        qr=Count("checkins", filter=Q(checkins__method="qr")),
    )
    return [(s, s.n, s.qr) for s in rows]


def evaluation_summary(event: Event) -> dict:
    """Averages per aspect and the comments, without names."""
    rows = Evaluation.objects.filter(participant__event=event)
    summary = rows.aggregate(n=Count("pk"), **{a: Avg(a) for a in rules.EVALUATION_ASPECTS})
    summary["comments"] = list(
        rows.exclude(comment="").order_by("?").values_list("comment", flat=True)[:20]
    )
    return summary


@dataclass
class Reach:
    regency_id: str
    regency: str
    level_group: str
    participants: int
    activities: int
    schools: int
    teachers: int
    schools_of_level: int

    @property
    def level_label(self) -> str:
        return LevelGroup(self.level_group).label if self.level_group else ""

    @property
    def share(self) -> float | None:
        return (
            round(100 * self.schools / self.schools_of_level, 1) if self.schools_of_level else None
        )


def cascade_reach(event: Event, regencies: set[str] | None = None) -> list[Reach]:
    """How far the training spread, per kab/kota and level group: the distinct schools
    its participants reached, over the schools of that level group in the kab/kota."""
    cascades = Cascade.objects.filter(participant__event=event)
    if regencies is not None:
        cascades = cascades.filter(participant__regency_id__in=regencies)
    places = defaultdict(
        lambda: {"people": set(), "activities": 0, "schools": set(), "teachers": 0}
    )
    for c in cascades.values(
        "pk", "participant_id", "participant__regency_id", "participant__level_group", "teachers"
    ):
        key = (c["participant__regency_id"], c["participant__level_group"])
        places[key]["people"].add(c["participant_id"])
        places[key]["activities"] += 1
        places[key]["teachers"] += c["teachers"]
    for row in Cascade.schools.through.objects.filter(cascade__in=cascades).values(
        "cascade__participant__regency_id", "cascade__participant__level_group", "school_id"
    ):
        key = (row["cascade__participant__regency_id"], row["cascade__participant__level_group"])
        places[key]["schools"].add(row["school_id"])
    if not places:
        return []
    regency_ids = {k[0] for k in places}
    names = dict(Regency.objects.filter(pk__in=regency_ids).values_list("pk", "name"))
    of_level: dict[tuple[str, str], int] = defaultdict(int)
    for row in (
        School.objects.filter(regency_id__in=regency_ids)
        .values("regency_id", "jenjang")
        .annotate(n=Count("pk"))
    ):
        group = LEVEL_GROUP_OF_JENJANG.get(row["jenjang"], "")
        of_level[(row["regency_id"], group)] += row["n"]
        of_level[(row["regency_id"], "")] += row["n"]
    return [
        Reach(
            regency,
            names.get(regency, regency),
            level,
            len(v["people"]),
            v["activities"],
            len(v["schools"]),
            v["teachers"],
            of_level[(regency, level)],
        )
        for (regency, level), v in sorted(places.items())
    ]


def overview(event: Event, regencies: set[str] | None = None) -> dict:
    """The organiser's figures at a glance."""
    people = current(event)
    if regencies is not None:
        people = people.filter(regency_id__in=regencies)
    results = completions(event, list(people))
    certificates = Certificate.objects.filter(participant__in=people)
    cascades = Cascade.objects.filter(participant__in=people)
    return {
        "participants": len(results),
        "registered": people.filter(registered_at__isnull=False).count(),
        "completed": sum(1 for r in results.values() if r.completed),
        "certificates": certificates.filter(revoked_at__isnull=True).count(),
        "revoked": certificates.filter(revoked_at__isnull=False).count(),
        "cascading": cascades.values("participant").distinct().count(),
        "teachers_reached": cascades.aggregate(n=Sum("teachers"))["n"] or 0,
    }


@dataclass(frozen=True)
class Verification:
    """All the public page may show: nothing beyond the name, the event and the date."""

    genuine: bool
    name: str = ""
    event: str = ""
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    revoked: bool = False
    revoked_reason: str = ""


def verify(token: str) -> Verification:
    certificate = (
        Certificate.objects.filter(token=token)
        .select_related("participant__person", "participant__event")
        .first()
        if token
        else None
    )
    if certificate is None:
        return Verification(genuine=False)
    event = certificate.participant.event
    return Verification(
        genuine=True,
        name=certificate.participant.person.name,
        event=event.title,
        starts_on=event.starts_on,
        ends_on=event.ends_on,
        revoked=certificate.revoked_at is not None,
        revoked_reason=certificate.revoked_reason,
    )


def my_trainings(person_id: int):
    return (
        Participant.objects.filter(person_id=person_id)
        .exclude(status=Participant.Status.REPLACED)
        .select_related("event", "venue", "certificate")
        .order_by("-event__starts_on")
    )


def tandem_gaps(event: Event) -> list[str]:
    """Venues (or the event, without venues) not led by a widyaiswara in tandem with a
    practitioner (DOMAIN.md §7): what the organiser still has to arrange."""
    kinds_by_venue: dict[int | None, set[str]] = defaultdict(set)
    for venue_id, kind in event.facilitators.values_list("venue_id", "kind"):
        kinds_by_venue[venue_id].add(kind)
    shared = kinds_by_venue.get(None, set())
    places = [(v.pk, v.name) for v in event.venues.all()] or [(None, event.title)]
    tandem = {"widyaiswara", "praktisi"}
    return [name for pk, name in places if not tandem <= (kinds_by_venue.get(pk, set()) | shared)]
