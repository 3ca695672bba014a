"""Working-group endpoints: registry, members, officers, activities, attendance, activeness."""

from __future__ import annotations

import datetime
from typing import Literal

from django.db.models import Q
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from gugus.communities import selectors, services
from gugus.communities.models import (
    Activity,
    Attendance,
    Evidence,
    Membership,
    Officer,
    WorkingGroup,
)
from gugus.communities.workflow import GROUP
from gugus.core.access import CHANGE, access, actor_for, visible
from gugus.core.apitypes import (
    BodyIn,
    Id,
    Int,
    PageOut,
    PageQuery,
    Year,
    file_response,
    one_of,
    page_out,
)
from gugus.core.uploads import stored_file_response
from gugus.directory.models import Jenjang, Ministry, Person

router = Router(tags=["working groups"])


class GroupOut(Schema):
    id: Int
    kind: str
    name: str
    ministry: str
    province_code: str = Field(alias="province_id")
    regency_code: str | None = Field(alias="regency_id")
    jenjang: str
    subject: str | None = Field(alias="subject_id")
    kombel_mode: str
    status: str
    decree_number: str
    decree_date: datetime.date | None
    decree_office: str
    programme_start_year: Int | None
    programme_end_year: Int | None
    activeness_level: str
    activeness_score: Int | None


class GroupIn(BodyIn):
    kind: one_of(WorkingGroup.Kind)
    name: str
    regency_code: str | None = Field(None, description="empty for a province-wide group")
    province_code: str | None = None
    ministry: one_of(Ministry) | None = Field(
        None,
        description="derived from the type, level and subject; a different value is refused",
    )
    jenjang: one_of(Jenjang) | None = None
    subject: str | None = Field(None, description="subject code: an MGMP's, or a KKG's per subject")
    kombel_mode: one_of(WorkingGroup.KombelMode) | None = None
    school_npsn: str | None = None
    decree_number: str | None = None
    decree_date: datetime.date | None = None
    decree_office: str | None = None
    programme_start_year: Int | None = None
    programme_end_year: Int | None = None
    programme_summary: str | None = None


class GroupPatch(BodyIn):
    kind: one_of(WorkingGroup.Kind) | None = None
    name: str | None = None
    regency_code: str | None = None
    province_code: str | None = None
    ministry: one_of(Ministry) | None = None
    jenjang: one_of(Jenjang) | None = None
    subject: str | None = None
    kombel_mode: one_of(WorkingGroup.KombelMode) | None = None
    school_npsn: str | None = None
    decree_number: str | None = None
    decree_date: datetime.date | None = None
    decree_office: str | None = None
    programme_start_year: Int | None = None
    programme_end_year: Int | None = None
    programme_summary: str | None = None


class GroupFilters(PageQuery):
    q: str = ""
    province: str = ""
    regency: str = ""
    kind: str = ""
    jenjang: str = ""
    subject: str = ""
    status: str = ""
    level: str = Field("", description="aktif, kurang_aktif or tidak_aktif")


class TransitionIn(BodyIn):
    action: one_of(GROUP.steps)
    note: str = ""


class MemberOut(Schema):
    id: Int
    person_id: Int
    name: str
    started_on: datetime.date
    ended_on: datetime.date | None


class MemberIn(BodyIn):
    person_id: Int
    started_on: datetime.date | None = None


class OfficerOut(Schema):
    id: Int
    person_id: Int
    name: str
    position: str
    section: str
    started_on: datetime.date
    ended_on: datetime.date | None


class OfficerIn(BodyIn):
    person_id: Int
    position: one_of(Officer.Position)
    section: str = ""


class ActivityOut(Schema):
    id: Int
    group_id: Int
    kind: str
    topic: str
    date: datetime.date
    duration_jp: Int
    place: str
    online_link: str
    learning_problem: str
    reflects_on_id: Int | None
    status: str


class ActivityIn(BodyIn):
    kind: one_of(Activity.Kind)
    topic: str
    date: datetime.date
    duration_jp: Int = 2
    place: str = ""
    online_link: str = ""
    external_facilitators: str = ""
    learning_problem: str = ""
    reflects_on_id: Int | None = None
    notes: str = ""
    facilitator_ids: list[int] = []


class AttendanceIn(BodyIn):
    attendance: dict[int, one_of(Attendance.Status)] = Field(
        description="person id → hadir, izin or absen; recording attendance marks the activity held"
    )


class AttendanceOut(Schema):
    person_id: Int
    status: str


class SnapshotOut(Schema):
    month: datetime.date
    score: Int
    level: str
    metrics: dict
    reasons: list[str]


def _group_data(payload: GroupIn | GroupPatch) -> dict:
    data = payload.dict(exclude_unset=True)
    for api_name, name in (
        ("regency_code", "regency"),
        ("province_code", "province"),
        ("school_npsn", "school"),
    ):
        if api_name in data:
            data[name] = data.pop(api_name) or ""
    return data


@router.get("/groups", response=PageOut[GroupOut])
def group_list(request, filters: Query[GroupFilters]):
    qs = selectors.group_list(
        actor=request.auth, search=filters.q, **filters.dict(exclude={"q", "page", "page_size"})
    )
    return page_out(request, qs, filters.page, filters.page_size)


@router.post("/groups", response={201: GroupOut})
def group_create(request, payload: GroupIn):
    return Status(
        201, services.group_create(actor=request.auth, data=_group_data(payload), source="api")
    )


@router.get("/groups/{group_id}", response=GroupOut)
def group_detail(request, group_id: Id):
    return access(request.auth, WorkingGroup, pk=group_id)


@router.patch("/groups/{group_id}", response=GroupOut)
def group_update(request, group_id: Id, payload: GroupPatch):
    group = access(request.auth, WorkingGroup, CHANGE, pk=group_id)
    return services.group_update(
        actor=request.auth, group=group, data=_group_data(payload), source="api"
    )


@router.post("/groups/{group_id}/transitions", response=GroupOut)
def group_transition(request, group_id: Id, payload: TransitionIn):
    group = access(request.auth, WorkingGroup, pk=group_id)
    return services.group_transition(
        actor=request.auth, group=group, action=payload.action, note=payload.note, source="api"
    )


@router.get("/groups/{group_id}/members", response=PageOut[MemberOut])
def member_list(request, group_id: Id, q: Query[PageQuery], include_past: bool = False):
    group = access(request.auth, WorkingGroup, pk=group_id)
    qs = group.memberships.select_related("person").order_by("person__name_search")
    if not include_past:
        qs = qs.filter(ended_on__isnull=True)
    return page_out(
        request,
        qs,
        q.page,
        q.page_size,
        item=lambda m: {
            "id": m.pk,
            "person_id": m.person_id,
            "name": m.person.name,
            "started_on": m.started_on,
            "ended_on": m.ended_on,
        },
    )


@router.post("/groups/{group_id}/members", response={201: MemberOut})
def member_add(request, group_id: Id, payload: MemberIn):
    group = access(request.auth, WorkingGroup, CHANGE, pk=group_id)
    person = access(request.auth, Person, pk=payload.person_id)
    m = services.membership_add(
        actor=request.auth, group=group, person=person, started_on=payload.started_on, source="api"
    )
    return Status(
        201,
        {
            "id": m.pk,
            "person_id": person.pk,
            "name": person.name,
            "started_on": m.started_on,
            "ended_on": m.ended_on,
        },
    )


@router.delete("/memberships/{membership_id}", response=MemberOut)
def member_end(request, membership_id: Id):
    m = access(request.auth, Membership, CHANGE, pk=membership_id)
    m = services.membership_end(actor=request.auth, membership=m, source="api")
    return {
        "id": m.pk,
        "person_id": m.person_id,
        "name": m.person.name,
        "started_on": m.started_on,
        "ended_on": m.ended_on,
    }


def _officer_out(o: Officer) -> dict:
    return {
        "id": o.pk,
        "person_id": o.person_id,
        "name": o.person.name,
        "position": o.position,
        "section": o.section,
        "started_on": o.started_on,
        "ended_on": o.ended_on,
    }


@router.delete("/officers/{officer_id}", response=OfficerOut)
def officer_end(request, officer_id: Id):
    """End an office (the page's "end"); the ketua's role ends with it."""
    officer = access(request.auth, Officer, CHANGE, pk=officer_id)
    return _officer_out(services.officer_end(actor=request.auth, officer=officer, source="api"))


@router.get("/groups/{group_id}/officers", response=PageOut[OfficerOut])
def officer_list(request, group_id: Id, q: Query[PageQuery]):
    group = access(request.auth, WorkingGroup, pk=group_id)
    rows = selectors.current_officers(group)
    return page_out(request, rows, q.page, q.page_size, item=_officer_out)


@router.post("/groups/{group_id}/officers", response={201: OfficerOut})
def officer_appoint(request, group_id: Id, payload: OfficerIn):
    group = access(request.auth, WorkingGroup, CHANGE, pk=group_id)
    person = access(request.auth, Person, pk=payload.person_id)
    officer = services.officer_appoint(
        actor=request.auth,
        group=group,
        person=person,
        position=payload.position,
        section=payload.section,
        source="api",
    )
    return Status(201, _officer_out(officer))


@router.get(
    "/groups/{group_id}/documents/{document}",
    **file_response("The PDF, typed by its content", ("application/pdf",)),
)
def group_document(request, group_id: Id, document: Literal["sk", "adart"]):
    """The founding decree (`sk`) or the statutes (`adart`) as uploaded."""
    stored, name = selectors.group_document(
        access(request.auth, WorkingGroup, pk=group_id), document
    )
    return stored_file_response(stored, download_name=name)


@router.post("/groups/{group_id}/documents/{document}", response=GroupOut)
def group_document_upload(
    request, group_id: Id, document: Literal["sk", "adart"], file: File[UploadedFile]
):
    """Multipart: the founding decree (`sk`) or the statutes (`adart`) as a PDF (checked by
    its content), replacing the one uploaded before."""
    group = access(request.auth, WorkingGroup, CHANGE, pk=group_id)
    field, _name = selectors.GROUP_DOCUMENTS[document]
    return services.group_update(
        actor=request.auth, group=group, data={}, files={field: file}, source="api"
    )


@router.get("/groups/{group_id}/activities", response=PageOut[ActivityOut])
def activity_list(request, group_id: Id, q: Query[PageQuery], year: Year = None):
    group = access(request.auth, WorkingGroup, pk=group_id)
    return page_out(request, selectors.group_activities(group, year=year), q.page, q.page_size)


@router.post("/groups/{group_id}/activities", response={201: ActivityOut})
def activity_create(request, group_id: Id, payload: ActivityIn):
    group = access(request.auth, WorkingGroup, CHANGE, pk=group_id)
    data = payload.dict()
    ids = data.pop("facilitator_ids")
    data["reflects_on"] = data.pop("reflects_on_id")
    return Status(
        201,
        services.activity_create(
            actor=request.auth,
            group=group,
            data=data,
            facilitators=ids,
            source="api",
        ),
    )


@router.get("/activities/{activity_id}", response=ActivityOut)
def activity_detail(request, activity_id: Id):
    return access(request.auth, Activity, pk=activity_id)


class ActivityPatch(BodyIn):
    kind: one_of(Activity.Kind) | None = None
    topic: str | None = None
    date: datetime.date | None = None
    duration_jp: Int | None = None
    place: str | None = None
    online_link: str | None = None
    external_facilitators: str | None = None
    learning_problem: str | None = None
    reflects_on_id: Int | None = None
    notes: str | None = None
    facilitator_ids: list[int] | None = Field(
        None, description="the group's members who lead it; replaces the list when given"
    )
    status: one_of([Activity.Status.HELD, Activity.Status.CANCELLED]) | None = None


@router.patch("/activities/{activity_id}", response=ActivityOut)
def activity_update(request, activity_id: Id, payload: ActivityPatch):
    activity = access(request.auth, Activity, CHANGE, pk=activity_id)
    data = payload.dict(exclude_unset=True)
    status = data.pop("status", None)
    facilitators = data.pop("facilitator_ids", None)
    if "reflects_on_id" in data:
        data["reflects_on"] = data.pop("reflects_on_id")
    if data or facilitators is not None:
        activity = services.activity_update(
            actor=request.auth,
            activity=activity,
            data=data,
            facilitators=facilitators,
            source="api",
        )
    if status:
        activity = services.activity_set_status(
            actor=request.auth, activity=activity, status=status, source="api"
        )
    return activity


@router.get("/activities/{activity_id}/attendance", response=PageOut[AttendanceOut])
def attendance_list(request, activity_id: Id, q: Query[PageQuery]):
    """The register: every member on the activity's day, with their status ("" when not
    yet taken)."""
    activity = access(request.auth, Activity, pk=activity_id)
    rows = [
        {"person_id": p.pk, "status": s or ""} for p, s in selectors.activity_attendance(activity)
    ]
    return page_out(request, rows, q.page, q.page_size)


@router.patch("/activities/{activity_id}/attendance", response=list[AttendanceOut])
def attendance_record(request, activity_id: Id, payload: AttendanceIn):
    """Merge the statuses given into the register (members not named keep theirs); the
    answer is the attendance recorded so far."""
    activity = access(request.auth, Activity, CHANGE, pk=activity_id)
    rows = services.attendance_record(
        actor=request.auth, activity=activity, statuses=payload.attendance, source="api"
    )
    return [{"person_id": a.person_id, "status": a.status} for a in rows]


@router.get("/groups/{group_id}/activeness", response=PageOut[SnapshotOut])
def group_activeness(request, group_id: Id, q: Query[PageQuery]):
    group = access(request.auth, WorkingGroup, pk=group_id)
    return page_out(request, group.activeness.order_by("month"), q.page, q.page_size)


@router.get("/me/groups", response=PageOut[GroupOut])
def my_groups(request, q: Query[PageQuery]):
    person_id = actor_for(request.auth).person_id
    rows = (
        visible(request.auth, WorkingGroup)
        .filter(Q(memberships__person_id=person_id, memberships__ended_on__isnull=True))
        .distinct()
        .order_by("name", "id")
    )
    return page_out(request, rows, q.page, q.page_size)


@router.get("/activeness/levels", response=dict[str, int])
def activeness_levels(request, province: str = "", regency: str = ""):
    """Groups per activeness level within the caller's scope (dissolved groups excluded)."""
    return selectors.region_activeness(actor=request.auth, province=province, regency=regency)[
        "totals"
    ]


class EvidenceOut(Schema):
    id: Int
    kind: str
    size: Int
    uploaded_at: datetime.datetime
    file: str = Field(description="where to download it")

    @staticmethod
    def resolve_file(obj):
        return f"/api/v1/evidence/{obj.pk}/file"


@router.get("/activities/{activity_id}/evidence", response=PageOut[EvidenceOut])
def evidence_list(request, activity_id: Id, q: Query[PageQuery]):
    activity = access(request.auth, Activity, pk=activity_id)
    return page_out(request, activity.evidence.order_by("uploaded_at", "id"), q.page, q.page_size)


@router.post("/activities/{activity_id}/evidence", response={201: EvidenceOut})
def evidence_add(
    request, activity_id: Id, kind: Form[one_of(Evidence.Kind)], file: File[UploadedFile]
):
    """Multipart: a photo, an On's classroom observation, an In's materials or minutes;
    the file is checked by its content."""
    activity = access(request.auth, Activity, pk=activity_id)
    evidence = services.evidence_add(
        actor=request.auth, activity=activity, upload=file, kind=kind, source="api"
    )
    return Status(201, evidence)


@router.get("/evidence/{evidence_id}/file", **file_response("The file, typed by its content"))
def evidence_download(request, evidence_id: Id):
    evidence = access(request.auth, Evidence, pk=evidence_id)
    return stored_file_response(evidence.file, download_name=f"bukti-kegiatan-{evidence.pk}")
