"""Performance-management endpoints: semesters and their windows, the catalogues, plans
from opening to assessment, the practice cycle's stages, observation and rating, what each
reader does next, completion by school, and the export toward e-Kinerja. Every write
takes the `version` the client read: a later save by someone else answers 409 with both
versions."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from gugus.core.access import CHANGE, access
from gugus.core.apitypes import BodyIn, Id, Int, PageOut, PageQuery, file_response, one_of, page_out
from gugus.core.errors import NotFound
from gugus.core.views import attachment
from gugus.directory.models import Person
from gugus.performance import selectors, services
from gugus.performance.documents import ekinerja_document, record_document
from gugus.performance.models import (
    Cycle,
    Expectation,
    ObservationRating,
    Period,
    Plan,
    PointItem,
    PracticeIndicator,
    Rubric,
    Stage,
)
from gugus.performance.policies import SUPERVISE

router = Router(tags=["performance"])


class PeriodOut(Schema):
    id: Int
    year: Int
    half: Int
    plan_opens: datetime.date
    plan_closes: datetime.date
    run_opens: datetime.date
    run_closes: datetime.date
    assess_opens: datetime.date
    assess_closes: datetime.date


class ExtendIn(BodyIn):
    window: Literal["plan", "run", "assess"]
    until: datetime.date


class PointItemOut(Schema):
    code: str
    name: str
    points: Int


class PracticeIndicatorOut(Schema):
    code: str
    name: str
    rapor_item: str


class RubricIndicatorOut(Schema):
    id: Int
    position: Int
    area: str
    name: str
    focus: list[str]


class RubricOut(Schema):
    id: Int
    version: str
    name: str
    indicators: list[RubricIndicatorOut]

    @staticmethod
    def resolve_indicators(obj):
        return list(obj.indicators.all())


class RhkItemIO(Schema):
    item: str = Field(description="code of a competency-development item (GET /point-items)")
    detail: str = ""
    evidence: str = ""


class RhkItemOut(RhkItemIO):
    points: Int

    @staticmethod
    def resolve_item(obj):
        return obj.item_id


def _next_step(plan: Plan, context) -> tuple[str, str]:
    """Worked out once per plan and response, for both fields that show it."""
    if not hasattr(plan, "_next_step"):
        plan._next_step = selectors.next_step(context["request"].auth, plan)
    return plan._next_step


class PlanOut(Schema):
    id: Int
    version: Int = Field(description="send it back with every change of this plan")
    period: str
    person_id: Int
    name: str
    role: str
    school_npsn: str
    status: str
    practice: str | None
    duties: str
    behaviour: str
    comments: str
    items: list[RhkItemOut]
    points: Int
    work_results: str
    work_behaviour: str
    predikat: str
    next_step: str
    next_step_label: str

    @staticmethod
    def resolve_period(obj):
        return str(obj.period)

    @staticmethod
    def resolve_name(obj):
        return obj.person.name

    @staticmethod
    def resolve_school_npsn(obj):
        return obj.school.npsn

    @staticmethod
    def resolve_practice(obj):
        return obj.practice_id

    @staticmethod
    def resolve_items(obj):
        return list(obj.items.all())

    @staticmethod
    def resolve_points(obj):
        return sum(i.points for i in obj.items.all())

    @staticmethod
    def resolve_next_step(obj, context):
        return _next_step(obj, context)[0]

    @staticmethod
    def resolve_next_step_label(obj, context):
        return _next_step(obj, context)[1]


class PlanOpenIn(BodyIn):
    person_id: Int | None = Field(None, description="empty: the caller's own plan")


class PlanIn(BodyIn):
    version: Int
    practice: str | None = None
    duties: str | None = None
    behaviour: str | None = None
    items: list[RhkItemIO] | None = None


class PlanVersionIn(BodyIn):
    version: Int


class PlanReviewIn(BodyIn):
    version: Int
    decision: Literal["agree", "return"]
    comments: str = ""


class StageOut(Schema):
    id: Int
    kind: Int
    label: str
    date: datetime.date | None
    participants: str
    notes: str
    done_at: datetime.datetime | None

    @staticmethod
    def resolve_label(obj):
        return str(obj.get_kind_display())


class RatingOut(Schema):
    indicator_id: Int
    rating: str
    evidence: str


class CycleOut(Schema):
    id: Int
    version: Int = Field(description="send it back with every change of this cycle")
    rubric: str
    recommendation: str
    reflect: Int | None
    learn: Int | None
    change: Int | None
    stages: list[StageOut]
    ratings: list[RatingOut]

    @staticmethod
    def resolve_rubric(obj):
        return obj.rubric.version

    @staticmethod
    def resolve_stages(obj):
        return list(obj.stages.order_by("kind"))

    @staticmethod
    def resolve_ratings(obj):
        return list(obj.ratings.order_by("indicator__position"))


class CycleStageIn(BodyIn):
    version: Int
    date: datetime.date | None = None
    participants: str | None = None
    notes: str | None = None
    done: bool = False


class ObservationRatingIn(BodyIn):
    indicator_id: Int
    rating: one_of(ObservationRating.Rating) | Literal[""] = ""
    evidence: str | None = None


class CycleObservationIn(BodyIn):
    version: Int
    ratings: list[ObservationRatingIn]
    recommendation: str | None = None


class AspectsIn(BodyIn):
    version: Int
    reflect: Int = Field(ge=1, le=3)
    learn: Int = Field(ge=1, le=3)
    change: Int = Field(ge=1, le=3)


class AssessIn(BodyIn):
    version: Int
    work_results: one_of(Expectation)
    work_behaviour: one_of(Expectation)


class CompletionOut(Schema):
    school_npsn: str
    school: str
    total: Int
    assessed: Int
    late: Int = Field(description="plans with a step undone after its window closed")
    positions: dict[str, int]
    predikat: dict[str, int] = Field(description="assessed plans per predikat")


def _plan(request, plan_id, action="view") -> Plan:
    return access(
        request.auth,
        Plan,
        action,
        pk=plan_id,
        queryset=Plan.objects.select_related(
            "person", "school", "period", "practice"
        ).prefetch_related("items"),
    )


def _cycle(request, plan_id) -> Cycle:
    """The cycle of a plan the caller may see (404 before the plan is agreed)."""
    plan = _plan(request, plan_id)
    cycle = Cycle.objects.filter(plan=plan).select_related("rubric", "plan").first()
    if cycle is None:
        raise NotFound()
    return cycle


@router.get("/periods", response=PageOut[PeriodOut])
def period_list(request, q: Query[PageQuery]):
    """The semesters; the current one is made with its standard windows when first read."""
    services.period_for()
    return page_out(request, Period.objects.order_by("-year", "-half"), q.page, q.page_size)


@router.put("/periods/{period_id}/extension", response=PeriodOut)
def period_extend(request, period_id: Id, payload: ExtendIn):
    """Move a window's last day later (national office)."""
    period = access(request.auth, Period, CHANGE, pk=period_id)
    return services.period_extend(
        actor=request.auth, period=period, window=payload.window, until=payload.until, source="api"
    )


@router.get("/point-items", response=PageOut[PointItemOut])
def point_items(request, q: Query[PageQuery]):
    return page_out(request, PointItem.objects.all(), q.page, q.page_size)


@router.get("/practice-indicators", response=PageOut[PracticeIndicatorOut])
def practice_indicators(request, q: Query[PageQuery]):
    return page_out(request, PracticeIndicator.objects.all(), q.page, q.page_size)


@router.get("/rubrics", response=PageOut[RubricOut])
def rubrics(request, q: Query[PageQuery]):
    return page_out(request, Rubric.objects.prefetch_related("indicators"), q.page, q.page_size)


@router.get("/plans", response=PageOut[PlanOut])
def plan_list(
    request,
    q: Query[PageQuery],
    period_id: Int | None = None,
    school_npsn: str | None = None,
    position: str | None = None,
):
    """The plans the caller may see in a semester (the current one by default): a teacher
    their own, a head their school's, supervisors and offices their schools'. `position`
    keeps those at one step: a status (draft, returned, submitted, assessed), stage1 to
    stage5, or cycle_done."""
    period = Period.objects.filter(pk=period_id).first() if period_id else services.period_for()
    rows = selectors.plans_with_progress(request.auth, period).prefetch_related("items")
    if school_npsn:
        rows = rows.filter(school__npsn=school_npsn)
    if position:
        rows = [p for p in rows if selectors.position_of(p) == position]
    return page_out(request, rows, q.page, q.page_size)


@router.post("/plans", response={201: PlanOut})
def plan_open(request, payload: PlanOpenIn):
    """Open the caller's plan for the current semester (or return the one open)."""
    person = (
        access(request.auth, Person, pk=payload.person_id)
        if payload.person_id
        else access(request.auth, Person, pk=request.auth.person_id or 0)
    )
    plan = services.plan_open(actor=request.auth, person=person, source="api")
    return Status(201, _plan(request, plan.pk))


@router.get("/plans/{plan_id}", response=PlanOut)
def plan_detail(request, plan_id: Id):
    return _plan(request, plan_id)


@router.put("/plans/{plan_id}", response=PlanOut)
def plan_save(request, plan_id: Id, payload: PlanIn):
    """Write the plan (fields left out stay as they are; `items` replaces the list)."""
    data = {k: v for k, v in payload.dict(exclude={"version"}).items() if v is not None}
    services.plan_save(
        actor=request.auth,
        plan=_plan(request, plan_id, CHANGE),
        data=data,
        version=payload.version,
        source="api",
    )
    return _plan(request, plan_id)


@router.post("/plans/{plan_id}/submission", response=PlanOut)
def plan_submit(request, plan_id: Id, payload: PlanVersionIn):
    """Send the plan to the superior (a practice indicator and at least 32 points)."""
    services.plan_submit(
        actor=request.auth,
        plan=_plan(request, plan_id, CHANGE),
        version=payload.version,
        source="api",
    )
    return _plan(request, plan_id)


@router.post("/plans/{plan_id}/review", response=PlanOut)
def plan_review(request, plan_id: Id, payload: PlanReviewIn):
    """The superior agrees the plan (its cycle opens) or returns it with comments."""
    services.plan_review(
        actor=request.auth,
        plan=_plan(request, plan_id, SUPERVISE),
        agree=payload.decision == "agree",
        comments=payload.comments,
        version=payload.version,
        source="api",
    )
    return _plan(request, plan_id)


@router.get(
    "/plans/{plan_id}/record.pdf", **file_response("The semester record", ("application/pdf",))
)
def plan_record(request, plan_id: Id):
    """The person's semester record: plan, cycle, observation and assessment."""
    document = record_document(_plan(request, plan_id))
    return attachment(document.body, document.filename, document.content_type)


@router.get("/plans/{plan_id}/cycle", response=CycleOut)
def cycle_detail(request, plan_id: Id):
    return _cycle(request, plan_id)


@router.put("/plans/{plan_id}/cycle/stages/{kind}", response=CycleOut)
def stage_record(request, plan_id: Id, kind: Int, payload: CycleStageIn):
    """Write a stage (1 to 5) and mark it done in its turn."""
    cycle = _cycle(request, plan_id)
    stage = Stage.objects.filter(cycle=cycle, kind=kind).first()
    if stage is None:
        raise NotFound()
    data = {k: v for k, v in payload.dict(exclude={"version", "done"}).items() if v is not None}
    data["done"] = payload.done
    services.stage_record(
        actor=request.auth, stage=stage, data=data, version=payload.version, source="api"
    )
    return _cycle(request, plan_id)


@router.put("/plans/{plan_id}/cycle/observation", response=CycleOut)
def observation_save(request, plan_id: Id, payload: CycleObservationIn):
    """The superior's ratings against the cycle's rubric, with evidence notes."""
    cycle = _cycle(request, plan_id)
    services.observation_save(
        actor=request.auth,
        cycle=cycle,
        ratings={
            r.indicator_id: {k: v for k, v in r.dict().items() if v is not None}
            for r in payload.ratings
        },
        recommendation=payload.recommendation,
        version=payload.version,
        source="api",
    )
    return _cycle(request, plan_id)


@router.put("/plans/{plan_id}/cycle/aspects", response=CycleOut)
def cycle_rate(request, plan_id: Id, payload: AspectsIn):
    """The superior rates effort to reflect, effort to learn and change in practice."""
    services.cycle_rate(
        actor=request.auth,
        cycle=_cycle(request, plan_id),
        reflect=payload.reflect,
        learn=payload.learn,
        change=payload.change,
        version=payload.version,
        source="api",
    )
    return _cycle(request, plan_id)


@router.put("/plans/{plan_id}/assessment", response=PlanOut)
def plan_assess(request, plan_id: Id, payload: AssessIn):
    """Work results and work behaviour against expectations; the predikat follows."""
    services.plan_assess(
        actor=request.auth,
        plan=_plan(request, plan_id, SUPERVISE),
        work_results=payload.work_results,
        work_behaviour=payload.work_behaviour,
        version=payload.version,
        source="api",
    )
    return _plan(request, plan_id)


@router.get("/periods/{period_id}/completion", response=PageOut[CompletionOut])
def completion(request, period_id: Id, q: Query[PageQuery]):
    """Per school the caller oversees: plans at each step, and how many are assessed."""
    period = access(request.auth, Period, pk=period_id)
    out = page_out(request, selectors.completion(request.auth, period), q.page, q.page_size)
    out["items"] = [
        {
            "school_npsn": r["school"].npsn,
            "school": r["school"].name,
            "total": r["total"],
            "assessed": r["assessed"],
            "late": r["late"],
            "positions": dict(r["counts"]),
            "predikat": dict(r["predikat"]),
        }
        for r in selectors.with_positions(request.auth, period, out["items"])
    ]
    return out


@router.get(
    "/periods/{period_id}/ekinerja.{fmt}",
    **file_response(
        "Ratings toward e-Kinerja: one row per assessed civil servant",
        ("text/csv", "application/json"),
    ),
)
def ekinerja_export(request, period_id: Id, fmt: Literal["csv", "json"]):
    """The semester's assessed plans the caller oversees, for e-Kinerja BKN: NIP (or NI
    PPPK), period, work results, work behaviour and predikat. Teachers without a NIP take
    part without the export. Columns: docs/ekinerja.md."""
    period = access(request.auth, Period, pk=period_id)
    document = ekinerja_document(request.auth, period, fmt)
    return attachment(document.body, document.filename, document.content_type)
