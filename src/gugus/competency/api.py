"""Competency endpoints: events, maps, a group's competency and trainers, one's own
results, and UKG imports (upload, then follow the job)."""

from __future__ import annotations

from decimal import Decimal

from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from gugus.communities.models import WorkingGroup
from gugus.competency import rollups, selectors, services, trainers
from gugus.competency.models import UkgEvent, UkgImport
from gugus.core.access import access
from gugus.core.apitypes import BodyIn, Id, Int, PageOut, PageQuery, page_out
from gugus.core.errors import NotFound

router = Router(tags=["competency"])


class EventOut(Schema):
    code: str
    name: str
    year: Int
    pass_mark: Decimal
    target: Decimal
    pedagogik_weight: Decimal | None = Field(
        description="the total is checked as pedagogik_weight × pedagogik + "
        "profesional_weight × profesional, within half a point; empty: not checked"
    )
    profesional_weight: Decimal | None


class CellOut(Schema):
    level: str
    key: str
    name: str = ""
    subject: str
    jenjang: str
    component: str
    n: Int
    mean: Decimal | None = Field(
        description="absent for a school or group of fewer than 5 teachers, unless the "
        "reader may see their individual results"
    )
    median: Decimal | None
    below_pass: Int | None
    below_target: Int | None
    gap_to_target: Decimal | None
    bins: list[int]
    tracks: dict[str, int]

    @staticmethod
    def resolve_gap_to_target(obj):
        return obj.gap


class MapOut(Schema):
    event: str
    place: CellOut | None
    components: dict[str, Decimal]
    trend: list[dict]
    weakest_first: list[CellOut]


class MapQuery(Schema):
    event: str = Field("", description="event code; the latest when empty")
    region: str = Field("", description="province (34) or kab/kota (34.71); the nation when empty")
    component: str = Field("total", description="total, pedagogik or profesional")
    subject: str = ""
    jenjang: str = ""


class TrainerOut(Schema):
    person_id: Int
    name: str
    kind: str
    reason: str


class MemberResultOut(Schema):
    person_id: Int
    name: str
    total: Decimal
    pedagogik: Decimal
    profesional: Decimal
    track: str | None
    modules_below: list[str]


class GroupCompetencyOut(Schema):
    event: str | None
    cell: CellOut | None
    trainers: list[TrainerOut]
    members: list[MemberResultOut]


class OwnResultOut(Schema):
    event: str
    year: Int
    subject: str | None
    total: Decimal
    pedagogik: Decimal
    profesional: Decimal
    track: str | None
    modules_below: list[str]
    note: str


class ImportOut(Schema):
    id: Int
    event: str
    filename: str
    mode: str
    status: str
    phase: str
    percent: Int
    rows_read: Int
    created: Int
    updated: Int
    unchanged: Int
    error_count: Int
    message: str
    errors: list[dict]

    @staticmethod
    def resolve_event(obj):
        return obj.event.code

    @staticmethod
    def resolve_errors(obj):
        return [
            {"row": i.row, "column": i.column, "value": i.value, "message": i.message}
            for i in obj.issues.all()[:100]
        ]


def _event(code: str) -> UkgEvent:
    event = selectors.event_for(code)
    if event is None:
        raise NotFound()
    return event


@router.get("/ukg/events", response=PageOut[EventOut])
def event_list(request, q: Query[PageQuery]):
    return page_out(request, list(selectors.events()), q.page, q.page_size)


@router.get("/competency/map", response=MapOut)
def competency_map(request, query: Query[MapQuery]):
    event = _event(query.event)
    place = selectors.place_for(query.region)
    component = selectors.component_for(query.component)
    here = selectors.cell(event, place.level, place.key, component, query.subject, query.jenjang)
    if here:
        here.name = place.name
    children = []
    for rollup, name, _link in selectors.children(
        request.auth, event, place, component, query.subject, query.jenjang
    ):
        rollup.name = name
        children.append(rollup)
    parts = {
        name: cell.mean
        for name in rollups.COMPONENTS
        if (cell := selectors.cell(event, place.level, place.key, name))
    }
    return {
        "event": event.code,
        "place": here,
        "components": parts,
        "trend": [
            {"event": r.event.code, "year": r.event.year, "mean": r.mean}
            for r in selectors.trend(place.level, place.key, component)
        ],
        "weakest_first": children,
    }


@router.get("/groups/{group_id}/competency", response=GroupCompetencyOut)
def group_competency(request, group_id: Id):
    group = access(request.auth, WorkingGroup, pk=group_id)
    event = selectors.latest_event()
    cell = selectors.group_cell(request.auth, group, event)
    return {
        "event": event.code if event else None,
        "cell": cell,
        "trainers": [
            {"person_id": t.person.pk, "name": t.person.name, "kind": t.kind, "reason": t.reason}
            for t in trainers.trainers_for(group, viewer=request.auth)
        ],
        "members": [
            {
                "person_id": r.person_id,
                "name": r.person.name,
                "total": r.total,
                "pedagogik": r.pedagogik,
                "profesional": r.profesional,
                "track": rec.track,
                "modules_below": rec.modules_below,
            }
            for r, rec in (selectors.member_results(request.auth, group, event) if event else [])
        ],
    }


class TrainerIn(BodyIn):
    person_id: Int
    reason: str = ""


@router.put("/groups/{group_id}/trainer", response=list[TrainerOut])
def trainer_choose(request, group_id: Id, payload: TrainerIn):
    group = access(request.auth, WorkingGroup, pk=group_id)
    trainers.trainer_choose(
        actor=request.auth,
        group=group,
        person_id=payload.person_id,
        reason=payload.reason,
        source="api",
    )
    return [
        {"person_id": t.person.pk, "name": t.person.name, "kind": t.kind, "reason": t.reason}
        for t in trainers.trainers_for(group, viewer=request.auth)
    ]


@router.get("/me/ukg", response=PageOut[OwnResultOut])
def own_results(request, q: Query[PageQuery]):
    person = request.auth.person
    rows = [
        {
            "event": r.event.code,
            "year": r.event.year,
            "subject": r.subject_id,
            "total": r.total,
            "pedagogik": r.pedagogik,
            "profesional": r.profesional,
            "track": rec.track,
            "modules_below": rec.modules_below,
            "note": rec.note,
        }
        for r, rec in (selectors.own_results(person) if person else [])
    ]
    return page_out(request, rows, q.page, q.page_size)


@router.post("/ukg/imports", response={202: ImportOut})
def import_start(
    request,
    file: File[UploadedFile],
    event: Form[str],
    year: Form[int | None] = None,
    mode: Form[str] = "all",
):
    """Multipart upload; the import runs as a background job: follow it at
    /ukg/imports/{import_id}."""
    job = services.ukg_import_start(
        actor=request.auth,
        event=event,
        year=year,
        upload=file,
        filename=file.name,
        mode=mode,
        source="api",
    )
    return Status(202, job)


@router.get("/ukg/imports/{import_id}", response=ImportOut)
def import_detail(request, import_id: Id):
    return access(request.auth, UkgImport, pk=import_id)
