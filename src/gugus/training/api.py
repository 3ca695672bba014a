"""Training endpoints: events and their venues, sessions, facilitators and materials; quotas
and nominations; check-in, scores and evaluation; mentoring and cascading; certificates
(issue, batch, revoke, PDF) and their public verification; every person's JP transcript."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from gugus.core import clock
from gugus.core.access import CHANGE, VIEW, access, actor_for, can, visible
from gugus.core.apitypes import (
    DOCUMENT_TYPES,
    BodyIn,
    Clock,
    Id,
    Int,
    PageOut,
    PageQuery,
    Year,
    file_response,
    one_of,
    page_out,
)
from gugus.core.errors import DomainError, Forbidden
from gugus.core.roles import Ministry
from gugus.core.uploads import PDF, stored_file_response
from gugus.core.views import attachment
from gugus.directory.models import Person, Position
from gugus.training import certificates, documents, selectors, services
from gugus.training.models import (
    Certificate,
    Event,
    Facilitator,
    Material,
    Mentoring,
    Participant,
    Session,
)
from gugus.training.policies import CHECK_IN, NOMINATE, nominating_regencies
from gugus.training.rules import EVALUATION_ASPECTS, LevelGroup
from gugus.training.transcript import transcript

router = Router(tags=["training"])


class TrainingVenueIn(BodyIn):
    name: str
    address: str = ""
    capacity: Int = Field(ge=1, le=100_000)


class TrainingVenueOut(Schema):
    id: Int
    name: str
    address: str
    capacity: Int


class TrainingSessionIn(BodyIn):
    date: datetime.date
    title: str
    starts: Clock
    ends: Clock


class TrainingSessionOut(Schema):
    id: Int
    date: datetime.date
    title: str
    starts: Clock
    ends: Clock


class TrainingFacilitatorOut(Schema):
    id: Int
    person_id: Int
    name: str
    kind: str
    venue_id: Int | None

    @staticmethod
    def resolve_name(obj):
        return obj.person.name


class TrainingMaterialOut(Schema):
    id: Int
    title: str


class TrainingEventIn(BodyIn):
    kind: one_of(Event.Kind)
    title: str
    topic: str = ""
    phase: Int | None = Field(None, ge=1, le=20)
    ministry: one_of(Ministry) | None = Field(None, description="empty: the office's own")
    province_code: str | None = Field(None, description="where participants come from")
    regency_code: str | None = None
    group_id: Int | None = Field(None, description="a working group's own event")
    follows_id: Int | None = Field(None, description="the training a mentoring round follows")
    starts_on: datetime.date
    ends_on: datetime.date
    nominations_close: datetime.date | None = None
    mode: one_of(Event.Mode) = "luring"
    capacity: Int = Field(ge=1, le=100_000)
    jp: Int = Field(ge=1, le=500)
    positions: list[one_of(Position)]
    level_groups: list[one_of(LevelGroup)] = []
    min_attendance: Int = Field(80, ge=1, le=100)
    pass_score: Decimal | None = Field(None, ge=0, le=100)
    certificate_prefix: str
    venues: list[TrainingVenueIn] = []


class TrainingEventUpdateIn(BodyIn):
    version: Int = Field(description="the version read; an older one is a 409 with both")
    kind: one_of(Event.Kind) | None = None
    title: str | None = None
    topic: str | None = None
    phase: Int | None = Field(None, ge=1, le=20)
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    nominations_close: datetime.date | None = None
    mode: one_of(Event.Mode) | None = None
    capacity: Int | None = Field(None, ge=1, le=100_000)
    jp: Int | None = Field(None, ge=1, le=500)
    min_attendance: Int | None = Field(None, ge=1, le=100)
    pass_score: Decimal | None = Field(None, ge=0, le=100)
    certificate_prefix: str | None = None


class TrainingEventOut(Schema):
    id: Int
    kind: str
    title: str
    topic: str
    phase: Int | None
    ministry: str
    office: str | None
    group_id: Int | None
    follows_id: Int | None
    province_code: str | None = Field(alias="province_id")
    regency_code: str | None = Field(alias="regency_id")
    starts_on: datetime.date
    ends_on: datetime.date
    nominations_close: datetime.date | None
    mode: str
    capacity: Int
    jp: Int
    positions: list[str]
    level_groups: list[str]
    min_attendance: Int
    pass_score: Decimal | None
    certificate_prefix: str
    status: str
    version: Int
    venues: list[TrainingVenueOut]
    sessions: list[TrainingSessionOut]
    facilitators: list[TrainingFacilitatorOut]
    materials: list[TrainingMaterialOut]

    @staticmethod
    def resolve_office(obj):
        return obj.office.name if obj.office_id else None

    @staticmethod
    def resolve_venues(obj):
        return list(obj.venues.all())

    @staticmethod
    def resolve_sessions(obj):
        return list(obj.sessions.all())

    @staticmethod
    def resolve_facilitators(obj):
        return list(obj.facilitators.all())  # persons prefetched (EVENT_PARTS)

    @staticmethod
    def resolve_materials(obj):
        return list(obj.materials.all())


class TrainingStepIn(BodyIn):
    step: one_of(("open", "start", "close"))


# What an event's answer lists, read in one query each however many events a page holds.
EVENT_PARTS = (
    "venues",
    "sessions",
    "materials",
    Prefetch("facilitators", queryset=Facilitator.objects.select_related("person")),
)


def _event(request, event_id, action=VIEW) -> Event:
    return access(request.auth, Event, action, pk=event_id)


@router.get("/training/events", response=PageOut[TrainingEventOut])
def event_list(request, q: Query[PageQuery], year: Year = None):
    rows = visible(request.auth, Event).select_related("office").prefetch_related(*EVENT_PARTS)
    if year:
        rows = rows.filter(starts_on__year=year)
    return page_out(request, rows.order_by("-starts_on", "id"), q.page, q.page_size)


@router.post("/training/events", response={201: TrainingEventOut})
def event_create(request, payload: TrainingEventIn):
    data = payload.dict(exclude={"venues"})
    data["province"] = data.pop("province_code") or ""
    data["regency"] = data.pop("regency_code") or ""
    data["group"] = data.pop("group_id") or ""
    data["follows"] = data.pop("follows_id") or ""
    data["ministry"] = data["ministry"] or ""
    data = {k: "" if v is None else v for k, v in data.items()}
    event = services.event_create(
        actor=request.auth,
        data=data,
        venues=[v.dict() for v in payload.venues],
        source="api",
    )
    return Status(201, event)


@router.get("/training/events/{event_id}", response=TrainingEventOut)
def event_detail(request, event_id: Id):
    event = _event(request, event_id)
    prefetch_related_objects([event], *EVENT_PARTS)
    return event


@router.patch("/training/events/{event_id}", response=TrainingEventOut)
def event_update(request, event_id: Id, payload: TrainingEventUpdateIn):
    event = _event(request, event_id, CHANGE)
    data = payload.dict(exclude={"version"}, exclude_unset=True)
    return services.event_update(
        actor=request.auth, event=event, data=data, version=payload.version, source="api"
    )


@router.post("/training/events/{event_id}/step", response=TrainingEventOut)
def event_step(request, event_id: Id, payload: TrainingStepIn):
    """Open nominations, start or close the event."""
    event = _event(request, event_id)
    return services.event_step(actor=request.auth, event=event, step=payload.step, source="api")


@router.post("/training/events/{event_id}/venues", response={201: TrainingVenueOut})
def venue_add(request, event_id: Id, payload: TrainingVenueIn):
    event = _event(request, event_id, CHANGE)
    return Status(
        201, services.venue_add(actor=request.auth, event=event, data=payload.dict(), source="api")
    )


class TrainingSeatingOut(Schema):
    venues: dict[str, int]


@router.post("/training/events/{event_id}/seating", response=TrainingSeatingOut)
def venues_assign(request, event_id: Id):
    """Seat the participants in the venues, kept together by level group and kab/kota."""
    event = _event(request, event_id, CHANGE)
    return {"venues": services.venues_assign(actor=request.auth, event=event, source="api")}


@router.post("/training/events/{event_id}/sessions", response={201: TrainingSessionOut})
def session_add(request, event_id: Id, payload: TrainingSessionIn):
    event = _event(request, event_id, CHANGE)
    return Status(
        201,
        services.session_save(actor=request.auth, event=event, data=payload.dict(), source="api"),
    )


@router.put("/training/sessions/{session_id}", response=TrainingSessionOut)
def session_update(request, session_id: Id, payload: TrainingSessionIn):
    session = access(request.auth, Session, CHANGE, pk=session_id)
    return services.session_save(
        actor=request.auth, event=session.event, data=payload.dict(), session=session, source="api"
    )


@router.delete("/training/sessions/{session_id}", response={204: None})
def session_delete(request, session_id: Id):
    session = access(request.auth, Session, CHANGE, pk=session_id)
    services.session_delete(actor=request.auth, session=session)
    return Status(204, None)


class TrainingFacilitatorIn(BodyIn):
    person_id: Int
    kind: one_of(Facilitator.Kind)
    venue_id: Int | None = None


@router.post("/training/events/{event_id}/facilitators", response={201: TrainingFacilitatorOut})
def facilitator_add(request, event_id: Id, payload: TrainingFacilitatorIn):
    event = _event(request, event_id, CHANGE)
    person = access(request.auth, Person, pk=payload.person_id)
    venue = (
        access(request.auth, event.venues.model, queryset=event.venues.all(), pk=payload.venue_id)
        if payload.venue_id
        else None
    )
    return Status(
        201,
        services.facilitator_add(
            actor=request.auth,
            event=event,
            person=person,
            kind=payload.kind,
            venue=venue,
            source="api",
        ),
    )


@router.delete("/training/facilitators/{facilitator_id}", response={204: None})
def facilitator_remove(request, facilitator_id: Id):
    facilitator = access(request.auth, Facilitator, CHANGE, pk=facilitator_id)
    services.facilitator_remove(actor=request.auth, facilitator=facilitator, source="api")
    return Status(204, None)


@router.post("/training/events/{event_id}/materials", response={201: TrainingMaterialOut})
def material_add(request, event_id: Id, title: Form[str], file: File[UploadedFile]):
    """Multipart: a PDF, an office document or an image, checked by its content."""
    event = _event(request, event_id, CHANGE)
    material = services.material_add(
        actor=request.auth, event=event, title=title, upload=file, source="api"
    )
    return Status(201, material)


@router.get("/training/materials/{material_id}/file", **file_response("The material as uploaded"))
def material_file(request, material_id: Id):
    material = access(request.auth, Material, pk=material_id)
    return stored_file_response(material.file, download_name=f"materi-{material.pk}")


class TrainingQuotasIn(BodyIn):
    seats: dict[one_of(LevelGroup), Int] = Field(
        description="seats per level group, e.g. {'sd': 3}, for every kab/kota listed"
    )
    regencies: list[str] = Field(
        [], description="kab/kota codes; empty: every kab/kota of the event's region"
    )


class TrainingQuotaRowOut(Schema):
    regency_code: str = Field(alias="regency_id")
    regency: str
    level_group: str
    seats: Int
    nominated: Int
    late: Int
    shortfall: Int


class TrainingQuotaLevelOut(Schema):
    level_group: str
    seats: Int
    nominated: Int


class TrainingQuotasOut(Schema):
    seats: Int
    nominated: Int
    shortfall: Int
    late: Int
    regencies: Int
    by_level: list[TrainingQuotaLevelOut]
    rows: list[TrainingQuotaRowOut]


def _quotas_out(request, event: Event) -> dict:
    rows = selectors.quota_fill(event, nominating_regencies(actor_for(request.auth), event))
    totals = selectors.quota_totals(rows)
    return {
        **{k: getattr(totals, k) for k in ("seats", "nominated", "shortfall", "late", "regencies")},
        "by_level": [
            {"level_group": k, "seats": v[0], "nominated": v[1]} for k, v in totals.by_level.items()
        ],
        "rows": rows,
    }


@router.get("/training/events/{event_id}/quotas", response=TrainingQuotasOut)
def quota_list(request, event_id: Id):
    """Seats, nominations, shortfalls and late nominations per kab/kota and level group; a
    kab/kota office sees its own."""
    return _quotas_out(request, _event(request, event_id))


@router.put("/training/events/{event_id}/quotas", response=TrainingQuotasOut)
def quotas_set(request, event_id: Id, payload: TrainingQuotasIn):
    event = _event(request, event_id, CHANGE)
    services.quotas_set(
        actor=request.auth,
        event=event,
        seats=dict(payload.seats),
        regencies=payload.regencies or None,
        source="api",
    )
    return _quotas_out(request, event)


class TrainingParticipantOut(Schema):
    id: Int
    person_id: Int
    name: str
    school: str | None
    regency_code: str = Field(alias="regency_id")
    level_group: str
    venue: str | None
    status: str
    late: bool
    registered: bool
    replaces_id: Int | None
    reason: str
    pre_score: Decimal | None = Field(description="for the committee and the participant")
    post_score: Decimal | None = Field(description="for the committee and the participant")


def _participant_out(request):
    actor = actor_for(request.auth)
    committee: dict[int, bool] = {}

    def item(p: Participant) -> dict:
        if p.event_id not in committee:
            committee[p.event_id] = can(actor, CHECK_IN, p.event)
        shows = committee[p.event_id] or p.person_id == actor.person_id
        return {
            "id": p.pk,
            "person_id": p.person_id,
            "name": p.person.name,
            "school": p.school.name if p.school_id else None,
            "regency_id": p.regency_id,
            "level_group": p.level_group,
            "venue": p.venue.name if p.venue_id else None,
            "status": p.status,
            "late": p.late,
            "registered": p.registered_at is not None,
            "replaces_id": p.replaces_id,
            "reason": p.reason,
            "pre_score": p.pre_score if shows else None,
            "post_score": p.post_score if shows else None,
        }

    return item


@router.get("/training/events/{event_id}/participants", response=PageOut[TrainingParticipantOut])
def participant_list(request, event_id: Id, q: Query[PageQuery], regency: str | None = None):
    event = _event(request, event_id)
    rows = visible(request.auth, Participant).filter(event=event)
    if regency:
        rows = rows.filter(regency_id=regency)
    rows = rows.select_related("person", "school", "venue", "event").order_by(
        "regency_id", "level_group", "id"
    )
    return page_out(request, rows, q.page, q.page_size, item=_participant_out(request))


@router.get(
    "/training/events/{event_id}/participants.xlsx",
    **file_response("The participants as the caller may see them", DOCUMENT_TYPES[1:]),
)
def participants_xlsx(request, event_id: Id):
    """The organiser's or the nominating office's workbook of participants."""
    event = _event(request, event_id)
    if not (can(request.auth, CHANGE, event) or can(request.auth, NOMINATE, event)):
        raise Forbidden()
    document = documents.participants_document(request.auth, event)
    return attachment(document.body, document.filename, document.content_type)


class TrainingNominateIn(BodyIn):
    person_id: Int
    reason: str = ""


@router.post("/training/events/{event_id}/participants", response={201: TrainingParticipantOut})
def nominate(request, event_id: Id, payload: TrainingNominateIn):
    """A kab/kota office nominates within its quota (the organiser for any kab/kota)."""
    event = _event(request, event_id)
    person = access(request.auth, Person, pk=payload.person_id)
    participant = services.nominate(
        actor=request.auth, event=event, person=person, reason=payload.reason, source="api"
    )
    return Status(201, _participant_out(request)(participant))


class TrainingReplaceIn(BodyIn):
    person_id: Int
    reason: str


class TrainingReasonIn(BodyIn):
    reason: str


@router.post("/training/participants/{participant_id}/replacement", response=TrainingParticipantOut)
def participant_replace(request, participant_id: Id, payload: TrainingReplaceIn):
    participant = access(request.auth, Participant, pk=participant_id)
    person = access(request.auth, Person, pk=payload.person_id)
    new = services.participant_replace(
        actor=request.auth,
        participant=participant,
        person=person,
        reason=payload.reason,
        source="api",
    )
    return _participant_out(request)(new)


@router.post("/training/participants/{participant_id}/withdrawal", response=TrainingParticipantOut)
def participant_withdraw(request, participant_id: Id, payload: TrainingReasonIn):
    participant = access(request.auth, Participant, pk=participant_id)
    done = services.participant_withdraw(
        actor=request.auth, participant=participant, reason=payload.reason, source="api"
    )
    return _participant_out(request)(done)


@router.post(
    "/training/participants/{participant_id}/registration", response=TrainingParticipantOut
)
def participant_register(request, participant_id: Id):
    """The nominee confirms they will come (daftar ulang)."""
    participant = access(request.auth, Participant, pk=participant_id)
    done = services.participant_register(actor=request.auth, participant=participant, source="api")
    return _participant_out(request)(done)


class TrainingCheckInIn(BodyIn):
    token: str = Field("", description="the code of the participant's QR")
    participant_id: Int | None = Field(None, description="or the participant, from the list")


class TrainingCheckInOut(Schema):
    participant_id: Int
    name: str
    session_id: Int
    method: str
    at: datetime.datetime
    new: bool


@router.post("/training/sessions/{session_id}/checkins", response=TrainingCheckInOut)
def check_in(request, session_id: Id, payload: TrainingCheckInIn):
    """The committee checks a participant in, on the session's day."""
    session = access(request.auth, Session, pk=session_id)
    participant = (
        access(
            request.auth,
            Participant,
            queryset=Participant.objects.filter(event=session.event_id),
            pk=payload.participant_id,
        )
        if payload.participant_id
        else None
    )
    checkin, new = services.check_in(
        actor=request.auth,
        session=session,
        token=payload.token,
        participant=participant,
        source="api",
    )
    return {
        "participant_id": checkin.participant_id,
        "name": checkin.participant.person.name,
        "session_id": session.pk,
        "method": checkin.method,
        "at": checkin.at,
        "new": new,
    }


class TrainingScoresIn(BodyIn):
    pre_score: Decimal | None = Field(None, ge=0, le=100)
    post_score: Decimal | None = Field(None, ge=0, le=100)


@router.put("/training/participants/{participant_id}/scores", response=TrainingParticipantOut)
def scores_record(request, participant_id: Id, payload: TrainingScoresIn):
    participant = access(request.auth, Participant, pk=participant_id)
    data = {k: "" if v is None else str(v) for k, v in payload.dict(exclude_unset=True).items()}
    done = services.scores_record(
        actor=request.auth, participant=participant, data=data, source="api"
    )
    return _participant_out(request)(done)


class TrainingEvaluationIn(BodyIn):
    content: Int = Field(ge=1, le=5)
    facilitators: Int = Field(ge=1, le=5)
    organisation: Int = Field(ge=1, le=5)
    usefulness: Int = Field(ge=1, le=5)
    comment: str = ""


class TrainingEvaluationOut(Schema):
    content: Int
    facilitators: Int
    organisation: Int
    usefulness: Int
    comment: str


@router.post(
    "/training/participants/{participant_id}/evaluation", response={201: TrainingEvaluationOut}
)
def evaluation_submit(request, participant_id: Id, payload: TrainingEvaluationIn):
    """The participant's own evaluation of the event, once."""
    participant = access(request.auth, Participant, pk=participant_id)
    evaluation = services.evaluation_submit(
        actor=request.auth, participant=participant, data=payload.dict(), source="api"
    )
    return Status(201, evaluation)


class TrainingMentorIn(BodyIn):
    mentor_id: Int


class TrainingMentoringVisitOut(Schema):
    id: Int
    date: datetime.date
    minutes: Int
    notes: str
    applied: str


class TrainingMentoringOut(Schema):
    id: Int
    participant_id: Int
    mentor_id: Int
    mentor: str
    visits: list[TrainingMentoringVisitOut]

    @staticmethod
    def resolve_mentor(obj):
        return obj.mentor.name

    @staticmethod
    def resolve_visits(obj):
        return list(obj.visits.all())


@router.post(
    "/training/participants/{participant_id}/mentors", response={201: TrainingMentoringOut}
)
def mentor_assign(request, participant_id: Id, payload: TrainingMentorIn):
    participant = access(request.auth, Participant, pk=participant_id)
    mentor = access(request.auth, Person, pk=payload.mentor_id)
    return Status(
        201,
        services.mentor_assign(
            actor=request.auth, participant=participant, mentor=mentor, source="api"
        ),
    )


class TrainingMentoringVisitIn(BodyIn):
    date: datetime.date
    minutes: Int = Field(ge=15, le=600)
    notes: str
    applied: str = ""


@router.post("/training/mentorings/{mentoring_id}/visits", response={201: TrainingMentoringOut})
def mentoring_visit_record(request, mentoring_id: Id, payload: TrainingMentoringVisitIn):
    """The mentor's notes of a visit and what the participant applied."""
    mentoring = access(request.auth, Mentoring, pk=mentoring_id)
    services.mentoring_visit_record(
        actor=request.auth, mentoring=mentoring, data=payload.dict(), source="api"
    )
    return Status(201, mentoring)


class TrainingCascadeOut(Schema):
    id: Int
    date: datetime.date
    title: str
    schools: list[str]
    teachers: Int
    has_evidence: bool

    @staticmethod
    def resolve_schools(obj):
        return sorted(s.npsn for s in obj.schools.all())

    @staticmethod
    def resolve_has_evidence(obj):
        return bool(obj.evidence)


@router.post("/training/participants/{participant_id}/cascades", response={201: TrainingCascadeOut})
def cascade_record(
    request,
    participant_id: Id,
    date: Form[datetime.date],
    title: Form[str],
    schools: Form[str],
    teachers: Form[int],
    evidence: File[UploadedFile] = None,
):
    """Multipart: the schools reached as NPSN separated by commas, the teachers reached,
    and optional evidence (PDF, image or office document)."""
    participant = access(request.auth, Participant, pk=participant_id)
    cascade = services.cascade_record(
        actor=request.auth,
        participant=participant,
        data={"date": date, "title": title, "schools": schools, "teachers": teachers},
        upload=evidence,
        source="api",
    )
    return Status(201, cascade)


class TrainingOverviewOut(Schema):
    participants: Int
    registered: Int
    completed: Int
    certificates: Int
    revoked: Int
    cascading: Int
    teachers_reached: Int


class TrainingSessionAttendanceOut(Schema):
    session_id: Int
    date: datetime.date
    title: str
    checked_in: Int
    by_qr: Int


class TrainingReachOut(Schema):
    regency_code: str = Field(alias="regency_id")
    regency: str
    level_group: str
    participants: Int
    activities: Int
    schools: Int
    teachers: Int
    schools_of_level: Int
    share: float | None = Field(description="schools reached per 100 schools of the level")


class TrainingEvaluationSummaryOut(Schema):
    n: Int
    content: float | None
    facilitators: float | None
    organisation: float | None
    usefulness: float | None


class TrainingDashboardOut(Schema):
    overview: TrainingOverviewOut
    sessions: list[TrainingSessionAttendanceOut]
    evaluation: TrainingEvaluationSummaryOut | None
    reach: list[TrainingReachOut]


@router.get("/training/events/{event_id}/dashboard", response=TrainingDashboardOut)
def event_dashboard(request, event_id: Id):
    """The organiser's figures: completion, attendance per session, the evaluation's
    averages and cascade reach; a kab/kota office sees those of its own participants."""
    event = _event(request, event_id)
    regencies = nominating_regencies(actor_for(request.auth), event)
    runs = regencies is None
    evaluation = selectors.evaluation_summary(event) if runs else None
    return {
        "overview": selectors.overview(event, regencies),
        "sessions": [
            {"session_id": s.pk, "date": s.date, "title": s.title, "checked_in": n, "by_qr": qr}
            for s, n, qr in (selectors.session_attendance(event) if runs else [])
        ],
        "evaluation": {k: evaluation[k] for k in ("n", *EVALUATION_ASPECTS)} if runs else None,
        "reach": selectors.cascade_reach(event, regencies),
    }


class TrainingCertificateOut(Schema):
    id: Int
    number: str
    participant_id: Int
    name: str
    issued_at: datetime.datetime
    revoked_at: datetime.datetime | None
    revoked_reason: str
    verification_url: str

    @staticmethod
    def resolve_name(obj):
        return obj.participant.person.name

    @staticmethod
    def resolve_verification_url(obj):
        return certificates.verification_url(obj)


@router.post("/training/participants/{participant_id}/certificate", response=TrainingCertificateOut)
def certificate_issue(request, participant_id: Id):
    """The participant's certificate, if they completed the event (the same one again)."""
    participant = access(request.auth, Participant, pk=participant_id)
    return certificates.issue(actor=request.auth, participant=participant, source="api")


class TrainingBatchOut(Schema):
    id: Int | None
    status: str = Field(description="none, queued, running, done or failed")
    total: Int
    done: Int
    error: str
    requested_at: datetime.datetime | None = None
    finished_at: datetime.datetime | None = None


@router.post("/training/events/{event_id}/certificates", response={202: TrainingBatchOut})
def certificate_batch(request, event_id: Id):
    """Queue the writing of every certificate the closed event owes; poll the batch."""
    event = _event(request, event_id)
    return Status(202, certificates.batch_request(actor=request.auth, event=event))


@router.get("/training/events/{event_id}/certificates/batch", response=TrainingBatchOut)
def certificate_batch_status(request, event_id: Id):
    """The latest batch's progress; `none` before the first."""
    event = _event(request, event_id, CHANGE)
    batch = event.batches.first()
    if batch is None:
        return {"id": None, "status": "none", "total": 0, "done": 0, "error": ""}
    return batch


@router.get("/training/events/{event_id}/certificates", response=PageOut[TrainingCertificateOut])
def certificate_list(request, event_id: Id, q: Query[PageQuery]):
    event = _event(request, event_id)
    rows = (
        visible(request.auth, Certificate)
        .filter(participant__event=event)
        .select_related("participant__person")
        .order_by("number")
    )
    return page_out(request, rows, q.page, q.page_size)


@router.post("/training/certificates/{certificate_id}/revocation", response=TrainingCertificateOut)
def certificate_revoke(request, certificate_id: Id, payload: TrainingReasonIn):
    certificate = access(request.auth, Certificate, pk=certificate_id)
    return certificates.revoke(
        actor=request.auth, certificate=certificate, reason=payload.reason, source="api"
    )


@router.get(
    "/training/certificates/{certificate_id}/pdf",
    **file_response("The certificate with its QR code", ("application/pdf",)),
)
def certificate_pdf(request, certificate_id: Id):
    certificate = access(request.auth, Certificate, pk=certificate_id)
    if certificate.revoked_at:
        raise DomainError(_("The certificate is revoked."), code="revoked")
    if not certificate.file:
        certificates.write_pdf(certificate)
    return stored_file_response(
        certificate.file, download_name=documents.certificate_name(certificate), written_as=PDF
    )


class TrainingVerificationOut(Schema):
    genuine: bool
    name: str
    event: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    revoked: bool
    revoked_reason: str


@router.get("/training/verification/{token}", response=TrainingVerificationOut, auth=None)
def certificate_verify(request, token: str):
    """Public: whether a certificate is genuine, its holder's name, the event and dates."""
    return selectors.verify(token[:64])


class MyTrainingOut(Schema):
    participant_id: Int
    event_id: Int
    title: str
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date
    status: str
    venue: str | None
    checkin_token: str = Field(description="what the participant's QR code carries")
    certificate_id: Int | None


@router.get("/training/mine", response=PageOut[MyTrainingOut])
def my_trainings(request, q: Query[PageQuery]):
    """The caller's own trainings, with the check-in code and certificate."""
    person_id = actor_for(request.auth).person_id
    rows = selectors.my_trainings(person_id) if person_id else []
    return page_out(
        request,
        [
            {
                "participant_id": p.pk,
                "event_id": p.event_id,
                "title": p.event.title,
                "kind": p.event.kind,
                "starts_on": p.event.starts_on,
                "ends_on": p.event.ends_on,
                "status": p.status,
                "venue": p.venue.name if p.venue_id else None,
                "checkin_token": p.checkin_token if p.status == "nominated" else "",
                "certificate_id": getattr(getattr(p, "certificate", None), "pk", None),
            }
            for p in rows
        ],
        q.page,
        q.page_size,
    )


class TranscriptEntryOut(Schema):
    date: datetime.date
    kind: str
    title: str
    jp: Decimal
    reference: str


class TranscriptKindOut(Schema):
    kind: str
    jp: Decimal


class TranscriptOut(Schema):
    person_id: Int
    year: Int
    total: Decimal
    by_kind: list[TranscriptKindOut]
    entries: list[TranscriptEntryOut]


def _transcript_person(request, person_id) -> Person:
    return access(request.auth, Person, pk=person_id)


@router.get("/people/{person_id}/transcript", response=TranscriptOut)
def person_transcript(request, person_id: Id, year: Year = None):
    """Every JP the person earned in a year, from the records (`training.transcript`)."""
    person = _transcript_person(request, person_id)
    result = transcript(person.pk, year or clock.today().year)
    return {
        "person_id": person.pk,
        "year": result.year,
        "total": result.total,
        "by_kind": [{"kind": k, "jp": jp} for k, _label, jp in result.by_kind],
        "entries": result.entries,
    }


@router.get(
    "/people/{person_id}/transcript.pdf",
    **file_response("The year's JP transcript", ("application/pdf",)),
)
def person_transcript_pdf(request, person_id: Id, year: Year = None):
    person = _transcript_person(request, person_id)
    document = documents.transcript_document(person, year or clock.today().year)
    return attachment(document.body, document.filename, document.content_type)
