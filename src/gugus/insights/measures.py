"""What the dashboards count, each measure counted once here from the raw records, for a
set of places at a time (`Places`), grouped by province, kab/kota, ministry and period.

The rules (DOMAIN.md), so a figure means the same on every page and report:

- ministry: of the school (schools), of the person (people, JP), of the group (groups,
  activities, grants), of the school level at the sitting (UKG), of the cohort, the plan
  or the event (partnership, performance, training);
- place: of the school, the person, the group, the UKG result, the participant, the plan;
  a cascade's school counts in the school's own kab/kota, so a school reached from two
  kab/kota is counted once;
- groups registered are verified or active; active are registered groups whose measured
  activeness (`communities.activeness`) is "aktif";
- grants by programme year: proposals sent (anything past draft, not withdrawn), funded
  (funded and later), committed (their amounts), disbursed, accounted (spending recorded
  with its receipt), and the funded proposals that held their whole In-On-In pattern;
- UKG per sitting: results, the sum of total scores (in hundredths) and those below the
  sitting's target;
- training by the year the event starts: seats, nominations, certificates (issued for a
  completed training and not revoked), cascades and the schools and teachers they reached;
- JP by year: the event's JP for each certificate and each group activity attended (an On
  session 2 JP, as in the transcript); per teacher, over the teachers of the place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat, ExtractYear

from gugus.communities import activeness
from gugus.communities.models import Activity, Attendance, WorkingGroup
from gugus.competency.models import Result
from gugus.core.roles import Ministry
from gugus.directory.models import KEMENAG_JENJANG, Person, Position, School
from gugus.grants.models import BudgetLine, PlannedActivity, ProgrammeKind, Proposal
from gugus.partnership.models import Pair, Visit, VisitAttendance
from gugus.partnership.models import Participant as Partner
from gugus.performance.models import Plan, Predikat, Stage
from gugus.training.models import Cascade, Certificate, Quota
from gugus.training.models import Participant as Trainee

Row = tuple[
    str, str | None, str, str, str, int
]  # province, regency, ministry, measure, period, value

REGISTERED = (WorkingGroup.Status.VERIFIED, WorkingGroup.Status.ACTIVE)
SENT = ~Q(status__in=(Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN))
FUNDED = (
    Proposal.Status.FUNDED,
    Proposal.Status.REPORTED,
    Proposal.Status.REPORT_VERIFIED,
    Proposal.Status.CLOSED,
)
TEACHERS = (Position.GURU, Position.GURU_BK)


@dataclass(frozen=True)
class Places:
    """Kab/kota codes, and provinces whose records outside any kab/kota are wanted; both
    None for the whole nation."""

    regencies: frozenset[str] | None = None
    provinces: frozenset[str] | None = None

    def q(self, province: str, regency: str) -> Q:
        if self.regencies is None:
            return Q()
        return Q(**{f"{regency}__in": self.regencies}) | Q(
            **{f"{regency}__isnull": True, f"{province}__in": self.provinces}
        )


class Source:
    """One GROUP BY over a table: its place fields, ministry, period and named counts."""

    def __init__(self, qs, *, place: str = "", via_regency=False, ministry, period=None):
        self.qs = qs
        self.regency = f"{place}regency_id"
        self.province = f"{place}regency__province_id" if via_regency else f"{place}province_id"
        self.ministry = ministry if not isinstance(ministry, str) else F(ministry)
        self.period = period

    def rows(self, places: Places, measures: dict) -> Iterator[Row]:
        keys = {"p": F(self.province), "r": F(self.regency), "m": self.ministry}
        if self.period is not None:
            keys["t"] = self.period
        qs = self.qs.filter(places.q(self.province, self.regency)).order_by()
        for row in qs.values(**keys).annotate(**measures):
            for name in measures:
                if value := row[name]:
                    yield row["p"], row["r"], row["m"], name, str(row.get("t", "")), int(value)


def _year(field: str):
    return Cast(ExtractYear(field), CharField())


def _semester(prefix: str):
    return Concat(
        Cast(f"{prefix}period__year", CharField()),
        Value("-"),
        Cast(f"{prefix}period__half", CharField()),
        output_field=CharField(),
    )


def directory(places: Places) -> Iterator[Row]:
    yield from Source(School.objects.all(), ministry="ministry").rows(
        places, {"schools": Count("id")}
    )
    yield from Source(Person.objects.all(), ministry="ministry").rows(
        places,
        {
            "teachers": Count("id", filter=Q(position__in=TEACHERS)),
            "heads": Count("id", filter=Q(position=Position.KEPALA)),
            "supervisors": Count("id", filter=Q(position=Position.PENGAWAS)),
        },
    )


def groups(places: Places) -> Iterator[Row]:
    yield from Source(WorkingGroup.objects.all(), ministry="ministry").rows(
        places,
        {
            "groups": Count("id", filter=Q(status__in=REGISTERED)),
            "groups_active": Count(
                "id", filter=Q(status__in=REGISTERED, activeness_level=activeness.ACTIVE)
            ),
            "groups_waiting": Count("id", filter=Q(status=WorkingGroup.Status.SUBMITTED)),
        },
    )
    held = Activity.objects.filter(status=Activity.Status.HELD)
    yield from Source(held, place="group__", ministry="group__ministry", period=_year("date")).rows(
        places, {"activities": Count("id")}
    )


def grants(places: Places) -> Iterator[Row]:
    yield from Source(
        Proposal.objects.all(),
        place="group__",
        ministry="group__ministry",
        period=Cast("programme__year", CharField()),
    ).rows(
        places,
        {
            "proposals": Count("id", filter=SENT),
            "funded": Count("id", filter=Q(status__in=FUNDED)),
            "committed": Sum("amount", filter=Q(status__in=FUNDED)),
            "disbursed": Sum("disbursed_amount", filter=Q(status__in=FUNDED)),
        },
    )
    yield from Source(
        BudgetLine.objects.filter(proposal__status__in=FUNDED),
        place="proposal__group__",
        ministry="proposal__group__ministry",
        period=Cast("proposal__programme__year", CharField()),
    ).rows(places, {"accounted": Sum("spent")})
    yield from _inoni_complete(places)


def _inoni_complete(places: Places) -> Iterator[Row]:
    """Funded proposals whose group held at least the In and On sessions the programme
    asks of its type (`grants.inoni`)."""
    funded = Proposal.objects.filter(
        places.q("group__province_id", "group__regency_id"), status__in=FUNDED
    )
    held: dict[tuple, int] = defaultdict(int)
    for proposal_id, kind, n in (
        PlannedActivity.objects.filter(
            proposal__in=funded.values("id"), activity__status=Activity.Status.HELD
        )
        .order_by()
        .values_list("proposal_id", "kind")
        .annotate(n=Count("id"))
    ):
        held[(proposal_id, kind)] = n
    required = {
        (programme, kind): (need_in, need_on)
        for programme, kind, need_in, need_on in ProgrammeKind.objects.filter(
            programme__in=funded.values("programme_id")
        ).values_list("programme_id", "kind", "in_count", "on_count")
    }
    total: dict[tuple, int] = defaultdict(int)
    for pid, province, regency, ministry, year, kind, programme in funded.values_list(
        "id",
        "group__province_id",
        "group__regency_id",
        "group__ministry",
        "programme__year",
        "group__kind",
        "programme_id",
    ):
        need_in, need_on = required.get((programme, kind), (0, 0))
        if held[(pid, "in")] >= need_in and held[(pid, "on")] >= need_on:
            total[(province, regency, ministry, str(year))] += 1
    for (province, regency, ministry, year), n in total.items():
        yield province, regency, ministry, "inoni_complete", year, n


def ukg(places: Places) -> Iterator[Row]:
    ministry = Case(
        When(jenjang__in=KEMENAG_JENJANG, then=Value(Ministry.KEMENAG)),
        default=Value(Ministry.KEMENDIKBUD),
        output_field=CharField(),
    )
    yield from Source(Result.objects.all(), ministry=ministry, period=F("event__code")).rows(
        places,
        {
            "ukg_results": Count("id"),
            "ukg_sum": Sum(F("total") * 100),
            "ukg_below": Count("id", filter=Q(total__lt=F("event__target"))),
        },
    )


def partnership(places: Places) -> Iterator[Row]:
    year = Cast("cohort__year", CharField())
    paired = Exists(Pair.objects.filter(host=OuterRef("pk"))) | Exists(
        Pair.objects.filter(partner=OuterRef("pk"))
    )
    taking_part = Partner.objects.exclude(status=Partner.Status.EXCLUDED).annotate(paired=paired)
    yield from Source(taking_part, via_regency=True, ministry="cohort__ministry", period=year).rows(
        places,
        {
            "partners": Count("id"),
            "partners_paired": Count("id", filter=Q(paired=True)),
        },
    )
    yield from Source(
        Visit.objects.all(), via_regency=True, ministry="cohort__ministry", period=year
    ).rows(places, {"visits": Count("id")})
    yield from Source(
        VisitAttendance.objects.filter(status=Attendance.Status.PRESENT),
        place="participant__",
        via_regency=True,
        ministry="visit__cohort__ministry",
        period=Cast("visit__cohort__year", CharField()),
    ).rows(places, {"visit_days": Count("id")})


def performance(places: Places) -> Iterator[Row]:
    by_status = {f"plans_{s}": Count("id", filter=Q(status=s)) for s in Plan.Status.values}
    by_predikat = {f"predikat_{p}": Count("id", filter=Q(predikat=p)) for p in Predikat.values}
    yield from Source(Plan.objects.all(), ministry="ministry", period=_semester("")).rows(
        places, {"plans": Count("id"), **by_status, **by_predikat}
    )
    yield from Source(
        Stage.objects.filter(done_at__isnull=False),
        place="cycle__plan__",
        ministry="cycle__plan__ministry",
        period=_semester("cycle__plan__"),
    ).rows(places, {f"stage_{k}": Count("id", filter=Q(kind=k)) for k in Stage.Kind.values})


def training(places: Places) -> Iterator[Row]:
    yield from Source(
        Quota.objects.all(),
        via_regency=True,
        ministry="event__ministry",
        period=_year("event__starts_on"),
    ).rows(places, {"seats": Sum("seats")})
    yield from Source(
        Trainee.objects.filter(status=Trainee.Status.NOMINATED),
        via_regency=True,
        ministry="event__ministry",
        period=_year("event__starts_on"),
    ).rows(places, {"nominated": Count("id")})
    started = _year("participant__event__starts_on")
    yield from Source(
        Certificate.objects.filter(revoked_at__isnull=True),
        place="participant__",
        via_regency=True,
        ministry="participant__event__ministry",
        period=started,
    ).rows(places, {"certified": Count("id")})
    yield from Source(
        Cascade.objects.all(),
        place="participant__",
        via_regency=True,
        ministry="participant__event__ministry",
        period=started,
    ).rows(places, {"cascades": Count("id"), "cascade_teachers": Sum("teachers")})
    yield from Source(
        Cascade.schools.through.objects.all(),
        place="school__",
        ministry="cascade__participant__event__ministry",
        period=_year("cascade__participant__event__starts_on"),
    ).rows(places, {"cascade_schools": Count("school_id", distinct=True)})


def jp(places: Places) -> Iterator[Row]:
    yield from Source(
        Certificate.objects.filter(revoked_at__isnull=True),
        place="participant__person__",
        ministry="participant__person__ministry",
        period=_year("participant__event__starts_on"),
    ).rows(places, {"jp": Sum("participant__event__jp")})
    session_jp = Case(
        When(activity__kind=Activity.Kind.ON, then=Value(2)),
        default=F("activity__duration_jp"),
        output_field=IntegerField(),
    )
    yield from Source(
        Attendance.objects.filter(
            status=Attendance.Status.PRESENT, activity__status=Activity.Status.HELD
        ),
        place="person__",
        ministry="person__ministry",
        period=_year("activity__date"),
    ).rows(places, {"jp": Sum(session_jp)})


SOURCES = (directory, groups, grants, ukg, partnership, performance, training, jp)


def count(places: Places) -> dict[tuple, int]:
    """Every measure of the places: {(province, regency, ministry, measure, period): value}.
    JP comes from two sources and is added up."""
    found: dict[tuple, int] = defaultdict(int)
    for source in SOURCES:
        for province, regency, ministry, measure, period, value in source(places):
            found[(province, regency or "", ministry, measure, period)] += value
    return found
