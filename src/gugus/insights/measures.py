"""What the dashboards count. Each measure is declared once here, as a filter and an
aggregate over one table (`Source`), and the same declaration gives both its tallies (one
GROUP BY per table for a set of places) and the records behind a number (`records`), so a
figure and its list always agree.

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
- by month, for the monthly report: activities held, attendance at them, spending recorded
  (by the date on its receipt) and certificates issued;
- JP by year: the event's JP for each certificate and each group activity attended (an On
  session 2 JP, as in the transcript); per teacher, over the teachers of the place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat, ExtractYear, Substr, TruncMonth

from gugus.communities import activeness
from gugus.communities.models import Activity, Attendance, WorkingGroup
from gugus.competency.models import Result
from gugus.core.roles import Ministry
from gugus.directory.models import KEMENAG_JENJANG, Person, Position, School
from gugus.grants.models import BudgetLine, PlannedActivity, ProgrammeKind, Proposal, Spending
from gugus.partnership.models import Pair, Visit, VisitAttendance
from gugus.partnership.models import Participant as Partner
from gugus.performance.models import Plan, Predikat, Stage
from gugus.training.models import Cascade, Certificate, Quota
from gugus.training.models import Participant as Trainee

# province, kab/kota, ministry, measure, period, value
Row = tuple[str, str | None, str, str, str, int]

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


def _year(path: str):
    return Cast(ExtractYear(path), CharField())


def _month(path: str):
    """ "2026-11": the month of a date, or of a time in the site's time zone."""
    return Substr(Cast(TruncMonth(path), CharField()), 1, 7)


def _semester(prefix: str):
    return Concat(
        Cast(f"{prefix}period__year", CharField()),
        Value("-"),
        Cast(f"{prefix}period__half", CharField()),
        output_field=CharField(),
    )


@dataclass
class Source:
    """One table: where its rows lie, whose ministry and which period they count for, and
    the record a list of them shows (`shows`, a path; "" for the row itself)."""

    queryset: object  # a callable giving the base queryset (models load lazily)
    ministry: object
    place: str = ""
    via_regency: bool = False
    period: object = None
    shows: str = ""
    measures: dict = field(default_factory=dict)

    @property
    def regency(self) -> str:
        return f"{self.place}regency_id"

    @property
    def province(self) -> str:
        if self.via_regency:
            return f"{self.place}regency__province_id"
        return f"{self.place}province_id"

    def base(self) -> QuerySet:
        return self.queryset()

    def keyed(self, qs: QuerySet) -> QuerySet:
        keys = {
            "_p": F(self.province),
            "_r": F(self.regency),
            "_m": F(self.ministry) if isinstance(self.ministry, str) else self.ministry,
        }
        if self.period is not None:
            keys["_t"] = self.period
        return qs.annotate(**keys)

    def rows(self, places: Places) -> Iterator[Row]:
        qs = self.keyed(self.base().filter(places.q(self.province, self.regency))).order_by()
        keys = ["_p", "_r", "_m", *(["_t"] if self.period is not None else [])]
        aggregates = {key: m.aggregate() for key, m in self.measures.items()}
        for row in qs.values(*keys).annotate(**aggregates).values_list(*keys, *aggregates):
            province, regency, ministry = row[:3]
            period = str(row[3]) if self.period is not None else ""
            for key, value in zip(aggregates, row[len(keys) :], strict=True):
                if value:
                    yield province, regency, ministry, key, period, int(value)


@dataclass
class Measure:
    key: str
    source: Source
    where: Q = field(default_factory=Q)
    total: str = ""  # a field to sum; counting rows when empty
    distinct: str = ""  # a field to count once each

    def aggregate(self):
        if self.total:
            return Sum(self.total, filter=self.where)
        if self.distinct:
            return Count(self.distinct, filter=self.where, distinct=True)
        return Count("pk", filter=self.where)


SOURCES: list[Source] = []
MEASURES: dict[str, Measure] = {}


def source(queryset, **kwargs) -> Source:
    s = Source(queryset, **kwargs)
    SOURCES.append(s)
    return s


def measure(key: str, s: Source, **kwargs) -> None:
    m = Measure(key, s, **kwargs)
    s.measures[key] = m
    MEASURES[key] = m


# Directory
schools = source(lambda: School.objects.all(), ministry="ministry")
measure("schools", schools)
people = source(lambda: Person.objects.all(), ministry="ministry")
measure("teachers", people, where=Q(position__in=TEACHERS))
measure("heads", people, where=Q(position=Position.KEPALA))
measure("supervisors", people, where=Q(position=Position.PENGAWAS))

# Working groups
group_rows = source(lambda: WorkingGroup.objects.all(), ministry="ministry")
measure("groups", group_rows, where=Q(status__in=REGISTERED))
measure(
    "groups_active",
    group_rows,
    where=Q(status__in=REGISTERED, activeness_level=activeness.ACTIVE),
)
measure("groups_waiting", group_rows, where=Q(status=WorkingGroup.Status.SUBMITTED))
activities = source(
    lambda: Activity.objects.all(),
    ministry="group__ministry",
    place="group__",
    period=_year("date"),
)
measure("activities", activities, where=Q(status=Activity.Status.HELD))
# The monthly report's figures: what happened in the month.
activities_by_month = source(
    lambda: Activity.objects.filter(status=Activity.Status.HELD),
    ministry="group__ministry",
    place="group__",
    period=_month("date"),
)
measure("activities_month", activities_by_month)
attended_by_month = source(
    lambda: Attendance.objects.filter(
        status=Attendance.Status.PRESENT, activity__status=Activity.Status.HELD
    ),
    ministry="activity__group__ministry",
    place="activity__group__",
    period=_month("activity__date"),
    shows="activity",
)
measure("attended_month", attended_by_month)

# Grants
proposals = source(
    lambda: Proposal.objects.all(),
    ministry="group__ministry",
    place="group__",
    period=Cast("programme__year", CharField()),
)
measure("proposals", proposals, where=SENT)
measure("funded", proposals, where=Q(status__in=FUNDED))
measure("committed", proposals, where=Q(status__in=FUNDED), total="amount")
measure("disbursed", proposals, where=Q(status__in=FUNDED), total="disbursed_amount")
budget_lines = source(
    lambda: BudgetLine.objects.all(),
    ministry="proposal__group__ministry",
    place="proposal__group__",
    period=Cast("proposal__programme__year", CharField()),
    shows="proposal",
)
measure("accounted", budget_lines, where=Q(proposal__status__in=FUNDED), total="spent")
spending_by_month = source(
    lambda: Spending.objects.all(),
    ministry="line__proposal__group__ministry",
    place="line__proposal__group__",
    period=_month("date"),
    shows="line__proposal",
)
measure("spent_month", spending_by_month, total="amount")

# UKG
results = source(
    lambda: Result.objects.all(),
    ministry=Case(
        When(jenjang__in=KEMENAG_JENJANG, then=Value(Ministry.KEMENAG)),
        default=Value(Ministry.KEMENDIKBUD),
        output_field=CharField(),
    ),
    period=F("event__code"),
    shows="person",
)
measure("ukg_results", results)
measure("ukg_sum", results, total="hundredths")
measure("ukg_below", results, where=Q(total__lt=F("event__target")))

# Partnership
partners = source(
    lambda: Partner.objects.exclude(status=Partner.Status.EXCLUDED).annotate(
        paired=Exists(Pair.objects.filter(host=OuterRef("pk")))
        | Exists(Pair.objects.filter(partner=OuterRef("pk")))
    ),
    ministry="cohort__ministry",
    via_regency=True,
    period=Cast("cohort__year", CharField()),
    shows="person",
)
measure("partners", partners)
measure("partners_paired", partners, where=Q(paired=True))
visits = source(
    lambda: Visit.objects.all(),
    ministry="cohort__ministry",
    via_regency=True,
    period=Cast("cohort__year", CharField()),
)
measure("visits", visits)
visit_days = source(
    lambda: VisitAttendance.objects.all(),
    ministry="visit__cohort__ministry",
    place="participant__",
    via_regency=True,
    period=Cast("visit__cohort__year", CharField()),
    shows="visit",
)
measure("visit_days", visit_days, where=Q(status=Attendance.Status.PRESENT))

# Performance management
plans = source(lambda: Plan.objects.all(), ministry="ministry", period=_semester(""))
measure("plans", plans)
for _status in Plan.Status.values:
    measure(f"plans_{_status}", plans, where=Q(status=_status))
for _predikat in Predikat.values:
    measure(f"predikat_{_predikat}", plans, where=Q(predikat=_predikat))
stages = source(
    lambda: Stage.objects.filter(done_at__isnull=False),
    ministry="cycle__plan__ministry",
    place="cycle__plan__",
    period=_semester("cycle__plan__"),
    shows="cycle__plan",
)
for _kind in Stage.Kind.values:
    measure(f"stage_{_kind}", stages, where=Q(kind=_kind))

# Training
quotas = source(
    lambda: Quota.objects.all(),
    ministry="event__ministry",
    via_regency=True,
    period=_year("event__starts_on"),
    shows="event",
)
measure("seats", quotas, total="seats")
trainees = source(
    lambda: Trainee.objects.filter(status=Trainee.Status.NOMINATED),
    ministry="event__ministry",
    via_regency=True,
    period=_year("event__starts_on"),
)
measure("nominated", trainees)
certificates = source(
    lambda: Certificate.objects.filter(revoked_at__isnull=True),
    ministry="participant__event__ministry",
    place="participant__",
    via_regency=True,
    period=_year("participant__event__starts_on"),
    shows="participant",
)
measure("certified", certificates)
certificates_by_month = source(
    lambda: Certificate.objects.filter(revoked_at__isnull=True),
    ministry="participant__event__ministry",
    place="participant__",
    via_regency=True,
    period=_month("issued_at"),
    shows="participant",
)
measure("certified_month", certificates_by_month)
cascades = source(
    lambda: Cascade.objects.all(),
    ministry="participant__event__ministry",
    place="participant__",
    via_regency=True,
    period=_year("participant__event__starts_on"),
    shows="participant",
)
measure("cascades", cascades)
measure("cascade_teachers", cascades, total="teachers")
reached = source(
    lambda: Cascade.schools.through.objects.all(),
    ministry="cascade__participant__event__ministry",
    place="school__",
    period=_year("cascade__participant__event__starts_on"),
    shows="school",
)
measure("cascade_schools", reached, distinct="school_id")

# JP: from two tables, added up in `count`
jp_training = source(
    lambda: Certificate.objects.filter(revoked_at__isnull=True),
    ministry="participant__person__ministry",
    place="participant__person__",
    period=_year("participant__event__starts_on"),
    shows="participant",
)
jp_training.measures["jp"] = Measure("jp", jp_training, total="participant__event__jp")
jp_groups = source(
    lambda: Attendance.objects.filter(
        status=Attendance.Status.PRESENT, activity__status=Activity.Status.HELD
    ).annotate(
        session_jp=Case(
            When(activity__kind=Activity.Kind.ON, then=Value(2)),
            default=F("activity__duration_jp"),
            output_field=IntegerField(),
        )
    ),
    ministry="person__ministry",
    place="person__",
    period=_year("activity__date"),
    shows="activity",
)
jp_groups.measures["jp"] = Measure("jp", jp_groups, total="session_jp")


def _results_in_hundredths():
    return Result.objects.annotate(hundredths=F("total") * 100)


results.queryset = _results_in_hundredths


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


def count(places: Places) -> dict[tuple, int]:
    """Every measure of the places: {(province, kab/kota, ministry, measure, period):
    value}. JP comes from two tables and is added up."""
    found: dict[tuple, int] = defaultdict(int)
    rows = [s.rows(places) for s in SOURCES] + [_inoni_complete(places)]
    for source_rows in rows:
        for province, regency, ministry, key, period, value in source_rows:
            found[(province, regency or "", ministry, key, period)] += value
    return found


def records(
    key: str, *, province: str, regency: str, ministry: str | None, period: str
) -> QuerySet:
    """The records behind one measure in one place (a province when `regency` is empty,
    the nation when both are), for one ministry (or both) and period: the rows the tally counted, as
    the records a list shows (a UKG result as its teacher, a budget line as its proposal),
    each once, to be narrowed further by the scoping layer."""
    m = MEASURES[key]
    s = m.source
    qs = s.keyed(s.base()).filter(m.where)
    if ministry:
        qs = qs.filter(_m=ministry)
    if s.period is not None:
        qs = qs.filter(_t=period)
    if regency:
        qs = qs.filter(_r=regency)
    elif province:
        qs = qs.filter(_p=province)
    shown = s.base().model
    path = "pk"
    if s.shows:
        for part in s.shows.split("__"):
            shown = shown._meta.get_field(part).related_model
        path = f"{s.shows}_id"
    if m.distinct:
        path = m.distinct
    if shown is qs.model and path == "pk":
        # The counted rows are the listed ones: filtered in place, not through
        # `pk IN (subquery)`, which SQLite builds in full (millions of ids) per page.
        return qs
    return shown.objects.filter(pk__in=qs.values(path))
