"""Partnership endpoints: cohorts, their teachers and pairs, every action of the cohort
page (choose teachers, match, exclude and add, lock and rule out pairs)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from gugus.competency.models import UkgEvent
from gugus.core.access import CHANGE, access, visible
from gugus.core.apitypes import BodyIn, Id, Int, PageOut, PageQuery, one_of, page_out
from gugus.core.roles import Ministry
from gugus.directory.models import Person
from gugus.partnership import services
from gugus.partnership.effect import partner_effect
from gugus.partnership.models import Cohort, Pair, Participant
from gugus.partnership.selectors import masker

router = Router(tags=["partnership"])


class TierIn(BodyIn):
    name: str
    min_score: Decimal | None = Field(None, ge=0, le=100)
    max_score: Decimal | None = Field(None, ge=0, le=100)
    mentees: Int | None = Field(None, description="partners per teacher; empty for the last tier")


class TierOut(Schema):
    rank: Int
    name: str
    min_score: Decimal | None
    max_score: Decimal | None
    mentees: Int | None


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
