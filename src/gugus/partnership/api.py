"""Partnership endpoints: cohorts, their teachers and pairs, every action of the cohort
page (choose teachers, match, exclude and add, lock and rule out pairs, plan the visits),
the visits with their rundown, attendance, observation notes and documents, and each
teacher's own partnership and action plan."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from gugus.communities.models import Attendance
from gugus.competency.models import UkgEvent
from gugus.core.access import CHANGE, access, visible
from gugus.core.apitypes import (
    DOCUMENT_TYPES,
    BodyIn,
    Clock,
    Id,
    Int,
    PageOut,
    PageQuery,
    file_response,
    one_of,
    page_out,
)
from gugus.core.roles import Ministry
from gugus.core.views import attachment
from gugus.directory.models import Person
from gugus.partnership import selectors, services
from gugus.partnership.documents import cohort_document, visit_document
from gugus.partnership.effect import partner_effect
from gugus.partnership.models import (
    ActionPlan,
    Cohort,
    ObservationNote,
    Pair,
    Participant,
    RundownItem,
    Visit,
    VisitAttendance,
)
from gugus.partnership.selectors import masker

router = Router(tags=["partnership"])


class TierIn(BodyIn):
    name: str
    min_score: Decimal | None = Field(None, ge=0, le=100)
    max_score: Decimal | None = Field(None, ge=0, le=100)
    mentees: Int | None = Field(None, description="partners per teacher; empty for the last tier")
    share: Int | None = Field(
        None,
        ge=1,
        le=100,
        description="percentage of each subject's teachers: the top share for the highest "
        "tier, the bottom share for the last",
    )


class TierOut(Schema):
    rank: Int
    name: str
    min_score: Decimal | None
    max_score: Decimal | None
    mentees: Int | None
    share: Int | None


class CohortIn(BodyIn):
    name: str
    year: Int
    ministry: one_of(Ministry) | None = Field(None, description="empty: the office's own")
    province_code: str | None = Field(None, description="empty for a national cohort")
    regency_code: str | None = None
    event: str = Field(description="code of the UKG the teachers are chosen by")
    subjects: list[str]
    levels: list[str]
    host_regions: list[str] = Field([], description="province or kab/kota codes of the hosts")
    partner_regions: list[str] = Field([], description="codes the partners come from")
    gap_weight: Decimal = Field(Decimal(1), ge=0, le=10)
    travel_weight: Decimal = Field(Decimal("0.02"), ge=0, le=10)
    ojl_start: datetime.date | None = None
    ojl_days: Int = 7
    tiers: list[TierIn]


class CohortOut(Schema):
    id: Int
    name: str
    year: Int
    ministry: str
    province_code: str | None = Field(alias="province_id")
    regency_code: str | None = Field(alias="regency_id")
    event: str
    subjects: list[str]
    levels: list[str]
    host_regions: list[str]
    partner_regions: list[str]
    gap_weight: Decimal
    travel_weight: Decimal
    ojl_start: datetime.date | None
    ojl_days: Int
    status: str
    tiers: list[TierOut]

    @staticmethod
    def resolve_event(obj):
        return obj.event.code

    @staticmethod
    def resolve_subjects(obj):
        return sorted(s.code for s in obj.subjects.all())

    @staticmethod
    def resolve_tiers(obj):
        return list(obj.tiers.all())


class ParticipantOut(Schema):
    id: Int
    person_id: Int
    name: str
    tier: Int
    subject: str = Field(alias="subject_id")
    jenjang: str
    regency_code: str = Field(alias="regency_id")
    score: Decimal | None = Field(description="shown to the offices and to the teacher only")
    status: str
    note: str
    unmatched: str = Field(description="why the last matching left the teacher unpaired")

    @staticmethod
    def resolve_name(obj):
        return obj.person.name

    @staticmethod
    def resolve_tier(obj):
        return obj.tier.rank


class PairOut(Schema):
    id: Int
    host_id: Int
    host: str
    partner_id: Int
    partner: str
    gap: Decimal | None = Field(description="for the offices only, like the scores")
    km: Decimal
    cost: Int | None
    locked: bool

    @staticmethod
    def resolve_host(obj):
        return obj.host.person.name

    @staticmethod
    def resolve_partner(obj):
        return obj.partner.person.name


class EffectOut(Schema):
    subject: str
    partners: Int
    comparison: Int
    partner_change: float | None
    comparison_change: float | None
    effect: float | None = Field(
        description="partners' mean change less that of similar teachers who took no part; "
        "empty when either side has fewer than 5 teachers"
    )


class SelectionOut(Schema):
    selected: dict[str, int]


class MatchingOut(Schema):
    pairs: Int
    unmatched: Int


class AddIn(BodyIn):
    person_id: Int
    tier: Int = Field(description="the tier's rank, 1 for the highest")
    reason: str


class ReasonIn(BodyIn):
    reason: str


class LockIn(BodyIn):
    locked: bool


class ExclusionOut(Schema):
    host_id: Int
    partner_id: Int
    reason: str


def _cohort(request, cohort_id, action="view") -> Cohort:
    return access(request.auth, Cohort, action, pk=cohort_id)


@router.get("/cohorts", response=PageOut[CohortOut])
def cohort_list(request, q: Query[PageQuery]):
    rows = (
        visible(request.auth, Cohort).select_related("event").prefetch_related("tiers", "subjects")
    )
    return page_out(request, rows.order_by("-year", "name", "id"), q.page, q.page_size)


@router.post("/cohorts", response={201: CohortOut})
def cohort_create(request, payload: CohortIn):
    data = payload.dict(exclude={"tiers"})
    data["province"] = data.pop("province_code") or ""
    data["regency"] = data.pop("regency_code") or ""
    data["ministry"] = data["ministry"] or ""
    cohort = services.cohort_create(
        actor=request.auth,
        data=data,
        tiers=[
            {k: "" if v is None else str(v) for k, v in t.dict().items()} for t in payload.tiers
        ],
        source="api",
    )
    return Status(201, cohort)


@router.get("/cohorts/{cohort_id}", response=CohortOut)
def cohort_detail(request, cohort_id: Id):
    return _cohort(request, cohort_id)


@router.get("/cohorts/{cohort_id}/effect", response=PageOut[EffectOut])
def cohort_effect(request, cohort_id: Id, event: str, q: Query[PageQuery]):
    """Per subject, the partners' change from their baseline to a later UKG against
    similar teachers who took no part (see `partnership.effect`)."""
    cohort = access(request.auth, Cohort, CHANGE, pk=cohort_id)
    later = get_object_or_404(UkgEvent, code=event.lower())
    return page_out(request, partner_effect(cohort, later), q.page, q.page_size)


@router.get(
    "/cohorts/{cohort_id}/export.xlsx",
    **file_response("The cohort's pairs, teachers, visits and action plans", DOCUMENT_TYPES[1:]),
)
def cohort_export(request, cohort_id: Id):
    """The workbook the cohort page offers, read as the caller may see the cohort."""
    document = cohort_document(request.auth, _cohort(request, cohort_id))
    return attachment(document.body, document.filename, document.content_type)


class SelectionCountOut(Schema):
    tier: Int
    tier_name: str
    subject: str
    regency_code: str
    teachers: Int


@router.get("/cohorts/{cohort_id}/selection", response=PageOut[SelectionCountOut])
def selection_counts(request, cohort_id: Id, q: Query[PageQuery]):
    """How many teachers each tier holds per subject and kab/kota (for the offices)."""
    cohort = _cohort(request, cohort_id, CHANGE)
    return page_out(request, selectors.selection_counts(cohort), q.page, q.page_size)


@router.post("/cohorts/{cohort_id}/selection", response=SelectionOut)
def cohort_select(request, cohort_id: Id):
    """Choose the teachers by each tier's rule (the office's additions and exclusions stay)."""
    counts = services.cohort_select(
        actor=request.auth, cohort=_cohort(request, cohort_id, CHANGE), source="api"
    )
    return {"selected": counts}


@router.post("/cohorts/{cohort_id}/matching", response=MatchingOut)
def cohort_match(request, cohort_id: Id):
    """Pair each tier with the next, optimally; locked pairs stay."""
    return services.cohort_match(
        actor=request.auth, cohort=_cohort(request, cohort_id, CHANGE), source="api"
    )


@router.get("/cohorts/{cohort_id}/participants", response=PageOut[ParticipantOut])
def participant_list(request, cohort_id: Id, q: Query[PageQuery], tier: Int | None = None):
    cohort = _cohort(request, cohort_id)
    rows = visible(request.auth, Participant).filter(cohort=cohort)
    if tier:
        rows = rows.filter(tier__rank=tier)
    rows = rows.select_related("person", "tier").order_by(
        "tier__rank", "subject_id", "-score", "id"
    )
    return page_out(request, rows, q.page, q.page_size, item=masker(request.auth, cohort))


@router.post("/cohorts/{cohort_id}/participants", response={201: ParticipantOut})
def participant_add(request, cohort_id: Id, payload: AddIn):
    cohort = _cohort(request, cohort_id, CHANGE)
    person = access(request.auth, Person, pk=payload.person_id)
    participant = services.participant_add(
        actor=request.auth,
        cohort=cohort,
        person=person,
        rank=payload.tier,
        reason=payload.reason,
        source="api",
    )
    return Status(201, participant)


@router.post("/participants/{participant_id}/exclusion", response=ParticipantOut)
def participant_exclude(request, participant_id: Id, payload: ReasonIn):
    participant = access(request.auth, Participant, CHANGE, pk=participant_id)
    return services.participant_exclude(
        actor=request.auth, participant=participant, reason=payload.reason, source="api"
    )


@router.get("/cohorts/{cohort_id}/pairs", response=PageOut[PairOut])
def pair_list(request, cohort_id: Id, q: Query[PageQuery]):
    cohort = _cohort(request, cohort_id)
    rows = (
        visible(request.auth, Pair)
        .filter(cohort=cohort)
        .select_related("host__person", "partner__person")
        .order_by("host__tier__rank", "host_id", "partner_id")
    )
    return page_out(request, rows, q.page, q.page_size, item=masker(request.auth, cohort))


@router.put("/pairs/{pair_id}/lock", response=PairOut)
def pair_lock(request, pair_id: Id, payload: LockIn):
    """Keep a pair through later matchings (`locked: false` lets it go)."""
    pair = access(request.auth, Pair, CHANGE, pk=pair_id)
    return services.pair_lock(actor=request.auth, pair=pair, locked=payload.locked, source="api")


@router.post("/pairs/{pair_id}/exclusion", response={201: ExclusionOut})
def pair_exclude(request, pair_id: Id, payload: ReasonIn):
    """Rule a pair out: removed now and never made again."""
    pair = access(request.auth, Pair, CHANGE, pk=pair_id)
    exclusion = services.pair_exclude(
        actor=request.auth, pair=pair, reason=payload.reason, source="api"
    )
    return Status(201, exclusion)


# On Job Learning


class VisitsPlanIn(BodyIn):
    return_start: datetime.date = Field(description="first day of the hosts' return visits")
    return_days: Int = Field(services.RETURN_DAYS, ge=1, le=services.MAX_VISIT_DAYS)


class VisitsPlanOut(Schema):
    visits: Int


class VisitMemberOut(Schema):
    participant_id: Int = Field(alias="pk")
    name: str
    tier: Int
    school_npsn: str | None
    regency_code: str = Field(alias="regency_id")

    @staticmethod
    def resolve_name(obj):
        return obj.person.name

    @staticmethod
    def resolve_tier(obj):
        return obj.tier.rank

    @staticmethod
    def resolve_school_npsn(obj):
        return obj.school.npsn if obj.school_id else None


class VisitOut(Schema):
    id: Int
    cohort_id: Int
    direction: one_of(Visit.Direction)
    host_id: Int = Field(description="the host's participant id")
    partner_id: Int | None = Field(description="the partner visited (return visits only)")
    school_npsn: str | None
    regency_code: str = Field(alias="regency_id")
    start: datetime.date
    end: datetime.date
    days: Int
    summary: str
    members: list[VisitMemberOut]

    @staticmethod
    def resolve_school_npsn(obj):
        return obj.school.npsn if obj.school_id else None

    @staticmethod
    def resolve_members(obj):
        return selectors.visit_members(obj)


class VisitIn(BodyIn):
    start: datetime.date | None = None
    summary: str | None = None


class RundownItemIn(BodyIn):
    day: Int = Field(ge=1)
    starts: Clock
    ends: Clock
    activity: one_of(RundownItem.Activity)
    detail: str = ""
    place: str = ""


class RundownItemOut(Schema):
    id: Int
    day: Int
    date: datetime.date
    starts: Clock
    ends: Clock
    activity: str
    activity_label: str
    detail: str
    place: str

    @staticmethod
    def resolve_date(obj):
        return obj.visit.date_of(obj.day)

    @staticmethod
    def resolve_activity_label(obj):
        return str(obj.get_activity_display())


class Mark(Schema):
    participant_id: Int
    status: one_of(Attendance.Status)


class VisitAttendanceIn(BodyIn):
    statuses: list[Mark]


class AttendanceSaved(Schema):
    day: Int
    recorded: Int


class VisitAttendanceOut(Schema):
    day: Int
    participant_id: Int
    status: str


class ObservationIn(BodyIn):
    day: Int
    observed_id: Int = Field(description="participant id of the teacher observed")
    text: str


class ObservationOut(Schema):
    id: Int
    day: Int
    observed_id: Int
    text: str
    created_at: datetime.datetime


class FlowOut(Schema):
    host_regency: str
    partner_regency: str
    pairs: Int


class ActionPlanIn(BodyIn):
    goal: str
    steps: str
    indicator: str
    due: datetime.date | None = None


class ActionPlanOut(Schema):
    participant_id: Int
    goal: str
    steps: str
    indicator: str
    due: datetime.date | None
    written_at: datetime.datetime
    report: str
    reported_at: datetime.datetime | None


class ActionPlanReportIn(BodyIn):
    report: str


class MyPartnershipOut(Schema):
    participant_id: Int
    cohort_id: Int
    cohort: str
    tier: str
    subject: str
    host: VisitMemberOut | None
    partners: list[VisitMemberOut]
    visits: list[VisitOut]


def _visit(request, visit_id, action="view") -> Visit:
    return access(
        request.auth,
        Visit,
        action,
        pk=visit_id,
        queryset=Visit.objects.select_related("cohort", "host__person", "host__tier", "school"),
    )


@router.post("/cohorts/{cohort_id}/visits", response={201: VisitsPlanOut})
def visits_plan(request, cohort_id: Id, payload: VisitsPlanIn):
    """Plan On Job Learning for a paired cohort: each host receives their partners for the
    cohort's OJL days, then visits each partner; every visit gets the standard rundown."""
    n = services.visits_plan(
        actor=request.auth,
        cohort=_cohort(request, cohort_id, CHANGE),
        return_start=payload.return_start,
        return_days=payload.return_days,
        source="api",
    )
    return Status(201, {"visits": n})


@router.get("/cohorts/{cohort_id}/visits", response=PageOut[VisitOut])
def visit_list(request, cohort_id: Id, q: Query[PageQuery]):
    """The visit calendar: the visits of the cohort the caller may see, by date."""
    cohort = _cohort(request, cohort_id)
    rows = (
        visible(request.auth, Visit)
        .filter(cohort=cohort)
        .select_related(
            "host__person",
            "host__tier",
            "host__school",
            "partner__person",
            "partner__tier",
            "partner__school",
            "school",
        )
        .prefetch_related(selectors.HOST_PAIRS)
        .order_by("start", "direction", "pk")
    )
    return page_out(request, rows, q.page, q.page_size)


@router.get("/cohorts/{cohort_id}/pair-map", response=PageOut[FlowOut])
def pair_flows(request, cohort_id: Id, q: Query[PageQuery]):
    """The pairs between kab/kota (the cohort page's map): one row per host's and
    partner's kab/kota, with the number of pairs."""
    cohort = _cohort(request, cohort_id)
    rows = [
        {"host_regency": a, "partner_regency": b, "pairs": n}
        for (a, b), n in sorted(selectors.pair_flows(request.auth, cohort).items())
    ]
    return page_out(request, rows, q.page, q.page_size)


@router.get("/visits/{visit_id}", response=VisitOut)
def visit_detail(request, visit_id: Id):
    return _visit(request, visit_id)


@router.put("/visits/{visit_id}", response=VisitOut)
def visit_update(request, visit_id: Id, payload: VisitIn):
    """Move the visit (`start`) or write its conclusion (`summary`)."""
    data = {k: v for k, v in payload.dict().items() if v is not None}
    services.visit_update(
        actor=request.auth, visit=_visit(request, visit_id, CHANGE), data=data, source="api"
    )
    return _visit(request, visit_id)


@router.get("/visits/{visit_id}/rundown", response=PageOut[RundownItemOut])
def rundown_list(request, visit_id: Id, q: Query[PageQuery]):
    visit = _visit(request, visit_id)
    rows = visit.rundown.select_related("visit").order_by("day", "starts", "pk")
    return page_out(request, rows, q.page, q.page_size)


@router.post("/visits/{visit_id}/rundown", response={201: RundownItemOut})
def rundown_add(request, visit_id: Id, payload: RundownItemIn):
    item = services.rundown_item_save(
        actor=request.auth, visit=_visit(request, visit_id, CHANGE), data=payload.dict()
    )
    return Status(201, item)


def _rundown_item(request, item_id) -> RundownItem:
    return access(
        request.auth,
        RundownItem,
        CHANGE,
        pk=item_id,
        queryset=RundownItem.objects.select_related("visit__cohort", "visit__host"),
    )


@router.put("/rundown-items/{item_id}", response=RundownItemOut)
def rundown_update(request, item_id: Id, payload: RundownItemIn):
    item = _rundown_item(request, item_id)
    return services.rundown_item_save(
        actor=request.auth, visit=item.visit, data=payload.dict(), item=item
    )


@router.delete("/rundown-items/{item_id}", response={204: None})
def rundown_delete(request, item_id: Id):
    services.rundown_item_delete(actor=request.auth, item=_rundown_item(request, item_id))
    return Status(204, None)


@router.get("/visits/{visit_id}/attendance", response=PageOut[VisitAttendanceOut])
def attendance_list(request, visit_id: Id, q: Query[PageQuery]):
    visit = _visit(request, visit_id)
    rows = VisitAttendance.objects.filter(visit=visit).order_by("day", "participant_id")
    return page_out(request, rows, q.page, q.page_size)


@router.put("/visits/{visit_id}/attendance/{day}", response=AttendanceSaved)
def attendance_record(request, visit_id: Id, day: Id, payload: VisitAttendanceIn):
    """One day's attendance, taken on that day or later; teachers not listed keep theirs."""
    recorded = services.visit_attendance_record(
        actor=request.auth,
        visit=_visit(request, visit_id, CHANGE),
        day=day,
        statuses={m.participant_id: m.status for m in payload.statuses},
        source="api",
    )
    return {"day": day, "recorded": recorded}


@router.get("/visits/{visit_id}/observations", response=PageOut[ObservationOut])
def observation_list(request, visit_id: Id, q: Query[PageQuery]):
    visit = _visit(request, visit_id)
    rows = ObservationNote.objects.filter(visit=visit).order_by("day", "created_at", "pk")
    return page_out(request, rows, q.page, q.page_size)


@router.post("/visits/{visit_id}/observations", response={201: ObservationOut})
def observation_add(request, visit_id: Id, payload: ObservationIn):
    note = services.observation_add(
        actor=request.auth,
        visit=_visit(request, visit_id),
        day=payload.day,
        observed=payload.observed_id,
        text=payload.text,
    )
    return Status(201, note)


@router.get(
    "/visits/{visit_id}/report.pdf", **file_response("The visit report", DOCUMENT_TYPES[:1])
)
def visit_report(request, visit_id: Id):
    """The visit report: rundown, attendance by day, observation notes, action plans."""
    document = visit_document(request.auth, _visit(request, visit_id), "pdf")
    return attachment(document.body, document.filename, document.content_type)


@router.get(
    "/visits/{visit_id}/rundown.xlsx", **file_response("The visit's rundown", DOCUMENT_TYPES[1:])
)
def visit_rundown_xlsx(request, visit_id: Id):
    document = visit_document(request.auth, _visit(request, visit_id), "xlsx")
    return attachment(document.body, document.filename, document.content_type)


@router.get("/me/partnerships", response=PageOut[MyPartnershipOut])
def my_partnerships(request, q: Query[PageQuery]):
    """The caller's own partnership: per cohort their tier, their host or partners and
    their visits."""
    rows = [
        {
            "participant_id": row["me"].pk,
            "cohort_id": row["me"].cohort_id,
            "cohort": row["me"].cohort.name,
            "tier": row["me"].tier.name,
            "subject": row["me"].subject_id,
            "host": row["host"],
            "partners": row["partners"],
            "visits": row["visits"],
        }
        for row in selectors.my_partnerships(request.auth)
    ]
    return page_out(request, rows, q.page, q.page_size)


def _plan(request, participant_id, action="view") -> ActionPlan:
    participant = access(request.auth, Participant, pk=participant_id)
    return access(request.auth, ActionPlan, action, participant=participant)


@router.get("/participants/{participant_id}/action-plan", response=ActionPlanOut)
def action_plan_detail(request, participant_id: Id):
    return _plan(request, participant_id)


@router.put("/participants/{participant_id}/action-plan", response=ActionPlanOut)
def action_plan_save(request, participant_id: Id, payload: ActionPlanIn):
    """Write or rewrite the rencana aksi (from the last day of On Job Learning, until it
    is reported on)."""
    participant = access(request.auth, Participant, pk=participant_id)
    return services.action_plan_save(
        actor=request.auth, participant=participant, data=payload.dict(), source="api"
    )


@router.put("/participants/{participant_id}/action-plan/report", response=ActionPlanOut)
def action_plan_report(request, participant_id: Id, payload: ActionPlanReportIn):
    """Report on the plan, from the last day of the host's return visit."""
    return services.action_plan_report(
        actor=request.auth,
        plan=_plan(request, participant_id, CHANGE),
        report=payload.report,
        source="api",
    )
