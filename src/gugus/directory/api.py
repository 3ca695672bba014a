"""Directory endpoints: regions, subjects, schools, people and correction requests."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from gugus.core.access import CHANGE, DELETE, access
from gugus.core.apitypes import BodyIn, Id, Int, PageOut, PageQuery, one_of, page_out
from gugus.core.errors import DomainError
from gugus.directory import selectors, services
from gugus.directory.models import (
    CorrectionRequest,
    District,
    Gender,
    Jenjang,
    Ministry,
    Person,
    Position,
    Province,
    Regency,
    School,
    Subject,
)

router = Router(tags=["directory"])


class ProvinceOut(Schema):
    code: str
    name: str
    population: Int
    area_km2: float


class RegencyOut(Schema):
    code: str
    province_code: str = Field(alias="province_id")
    name: str
    kind: str
    population: Int
    area_km2: float


class DistrictOut(Schema):
    code: str
    regency_code: str = Field(alias="regency_id")
    name: str


class SubjectOut(Schema):
    code: str
    name: str
    ministry: str


class SchoolOut(Schema):
    npsn: str
    name: str
    jenjang: str
    ministry: str
    status: str
    district_code: str = Field(alias="district_id")
    regency_code: str = Field(alias="regency_id")
    province_code: str = Field(alias="province_id")
    address: str


class SchoolIn(BodyIn):
    npsn: str
    name: str
    jenjang: one_of(Jenjang)
    status: one_of(School.Status)
    district_code: str = Field(description="kecamatan code, e.g. 34.71.01")
    address: str = ""


class SchoolPatch(BodyIn):
    npsn: str | None = None
    name: str | None = None
    jenjang: one_of(Jenjang) | None = None
    status: one_of(School.Status) | None = None
    district_code: str | None = None
    address: str | None = None


class PersonOut(Schema):
    id: Int
    name: str
    nuptk: str | None
    nip: str | None
    identifiers_masked: bool
    gender: str
    birth_date: datetime.date | None
    position: str
    ministry: str
    is_instruktur_nasional: bool
    is_narasumber: bool
    school_npsn: str | None
    regency_code: str
    province_code: str
    subjects: list[str]


class PersonIn(BodyIn):
    name: str
    nuptk: str | None = None
    nip: str | None = None
    gender: one_of(Gender) | None = Field(None, description="taken from the NIP when empty")
    birth_date: datetime.date | None = None
    position: one_of(Position) = "guru"
    ministry: one_of(Ministry) | None = Field(
        None, description="follows the school when there is one"
    )
    is_instruktur_nasional: bool = False
    is_narasumber: bool = False
    school_npsn: str | None = None
    regency_code: str | None = Field(None, description="needed when there is no school")
    subjects: list[str] = []


class PersonPatch(BodyIn):
    name: str | None = None
    nuptk: str | None = None
    nip: str | None = None
    gender: one_of(Gender) | None = None
    birth_date: datetime.date | None = None
    position: one_of(Position) | None = None
    ministry: one_of(Ministry) | None = None
    is_instruktur_nasional: bool | None = None
    is_narasumber: bool | None = None
    school_npsn: str | None = None
    regency_code: str | None = None
    subjects: list[str] | None = None


class CorrectionIn(BodyIn):
    changes: dict[str, object] = Field(
        description="fields to correct: name, nuptk, nip, gender, birth_date, school "
        "(an NPSN), subjects (codes)"
    )
    reason: str


class CorrectionOut(Schema):
    id: Int
    person_id: Int
    status: str
    changes: dict
    reason: str
    requested_at: datetime.datetime
    decided_at: datetime.datetime | None
    decision_note: str


class CorrectionDecisionIn(BodyIn):
    approve: bool
    note: str = ""


class SchoolFilters(PageQuery):
    q: str = ""
    province: str = ""
    regency: str = ""
    jenjang: str = ""
    status: str = ""
    ministry: str = ""


class PersonFilters(PageQuery):
    q: str = ""
    province: str = ""
    regency: str = ""
    school: str = Field("", description="NPSN")
    position: str = ""
    gender: str = ""
    subject: str = ""


def person_out(actor, person: Person, subjects: list[str] | None = None) -> dict:
    full = selectors.shows_identifiers(actor, person)
    return {
        "id": person.pk,
        "name": person.name,
        "nuptk": person.nuptk if full else selectors.mask(person.nuptk),
        "nip": person.nip if full else selectors.mask(person.nip),
        "identifiers_masked": not full,
        "gender": person.gender,
        "birth_date": person.birth_date if full else None,
        "position": person.position,
        "ministry": person.ministry,
        "is_instruktur_nasional": person.is_instruktur_nasional,
        "is_narasumber": person.is_narasumber,
        "school_npsn": person.school.npsn if person.school_id else None,
        "regency_code": person.regency_id,
        "province_code": person.province_id,
        "subjects": subjects if subjects is not None else [s.code for s in person.subjects.all()],
    }


def _person_data(payload: Schema) -> dict:
    data = payload.dict(exclude_unset=True)
    if "school_npsn" in data:
        data["school"] = data.pop("school_npsn") or ""
    if "regency_code" in data:
        data["regency"] = data.pop("regency_code") or ""
    return data


def _school_data(payload: Schema) -> dict:
    data = payload.dict(exclude_unset=True)
    if "district_code" in data:
        code = data.pop("district_code")
        data["district"] = District.objects.filter(code=code).first() or code
    return data


class OfficeOut(Schema):
    id: Int
    kind: str
    name: str
    ministry: str
    level: str
    province_code: str | None = Field(alias="province_id")
    regency_code: str | None = Field(alias="regency_id")
    provinces_served: list[str]

    @staticmethod
    def resolve_provinces_served(obj):
        return obj.provinces_served()


@router.get("/offices", response=PageOut[OfficeOut])
def office_list(
    request,
    q: Query[PageQuery],
    ministry: one_of(Ministry) | None = None,
    province_code: str = "",
    regency_code: str = "",
):
    """The offices that run PKB (public reference, like the regions): the id to name when
    giving an administrator or a supervisor their role."""
    rows = selectors.office_list(
        ministry=ministry or "", province=province_code, regency=regency_code
    )
    return page_out(request, rows, q.page, q.page_size)


@router.get("/regions/provinces", response=PageOut[ProvinceOut])
def province_list(request, q: Query[PageQuery]):
    return page_out(request, Province.objects.all(), q.page, q.page_size)


@router.get("/regions/provinces/{code}/regencies", response=PageOut[RegencyOut])
def regency_list(request, code: str, q: Query[PageQuery]):
    return page_out(request, Regency.objects.filter(province_id=code), q.page, q.page_size)


@router.get("/regions/regencies/{code}/districts", response=PageOut[DistrictOut])
def district_list(request, code: str, q: Query[PageQuery]):
    return page_out(request, selectors.districts_of(code), q.page, q.page_size)


@router.get("/subjects", response=PageOut[SubjectOut])
def subject_list(request, q: Query[PageQuery]):
    return page_out(request, Subject.objects.all(), q.page, q.page_size)


@router.get("/schools", response=PageOut[SchoolOut])
def school_list(request, filters: Query[SchoolFilters]):
    qs = selectors.school_list(
        actor=request.auth,
        search=filters.q,
        province=filters.province,
        regency=filters.regency,
        jenjang=filters.jenjang,
        status=filters.status,
        ministry=filters.ministry,
    )
    return page_out(request, qs, filters.page, filters.page_size)


@router.get("/schools/{npsn}", response=SchoolOut)
def school_detail(request, npsn: str):
    return access(request.auth, School, npsn=npsn)


@router.post("/schools", response={201: SchoolOut})
def school_create(request, payload: SchoolIn):
    return Status(
        201, services.school_create(actor=request.auth, data=_school_data(payload), source="api")
    )


@router.patch("/schools/{npsn}", response=SchoolOut)
def school_update(request, npsn: str, payload: SchoolPatch):
    school = access(request.auth, School, CHANGE, npsn=npsn)
    return services.school_update(
        actor=request.auth, school=school, data=_school_data(payload), source="api"
    )


@router.delete("/schools/{npsn}", response={204: None})
def school_delete(request, npsn: str):
    school = access(request.auth, School, DELETE, npsn=npsn)
    services.school_delete(actor=request.auth, school=school, source="api")
    return Status(204, None)


@router.get("/people", response=PageOut[PersonOut])
def person_list(request, filters: Query[PersonFilters]):
    school_id = None
    if filters.school:
        school_id = (
            School.objects.filter(npsn=filters.school).values_list("pk", flat=True).first() or -1
        )
    qs = selectors.person_list(
        actor=request.auth,
        search=filters.q,
        province=filters.province,
        regency=filters.regency,
        school=school_id,
        position=filters.position,
        gender=filters.gender,
        subject=filters.subject,
    ).prefetch_related("subjects")
    return page_out(
        request, qs, filters.page, filters.page_size, item=lambda p: person_out(request.auth, p)
    )


@router.get("/people/{person_id}", response=PersonOut)
def person_detail(request, person_id: Id):
    person = access(request.auth, Person, pk=person_id)
    return person_out(request.auth, person)


@router.post("/people", response={201: PersonOut})
def person_create(request, payload: PersonIn):
    person = services.person_create(actor=request.auth, data=_person_data(payload), source="api")
    return Status(201, person_out(request.auth, person))


@router.patch("/people/{person_id}", response=PersonOut)
def person_update(request, person_id: Id, payload: PersonPatch):
    person = access(request.auth, Person, CHANGE, pk=person_id)
    person = services.person_update(
        actor=request.auth, person=person, data=_person_data(payload), source="api"
    )
    return person_out(request.auth, person)


@router.delete("/people/{person_id}", response={204: None})
def person_delete(request, person_id: Id):
    person = access(request.auth, Person, DELETE, pk=person_id)
    services.person_delete(actor=request.auth, person=person, source="api")
    return Status(204, None)


@router.get("/corrections", response=PageOut[CorrectionOut])
def correction_list(request, q: Query[PageQuery], status: str = ""):
    rows = selectors.correction_list(actor=request.auth, status=status)
    return page_out(request, rows, q.page, q.page_size)


@router.post("/corrections", response={201: CorrectionOut})
def correction_create(request, payload: CorrectionIn):
    person_id = request.auth.person_id
    if person_id is None:
        raise DomainError(_("Your account is not linked to a person record."), code="no_person")
    person = access(request.auth, Person, pk=person_id)
    correction = services.correction_request_create(
        actor=request.auth, person=person, changes=payload.changes, reason=payload.reason
    )
    return Status(201, correction)


@router.get("/corrections/{request_id}", response=CorrectionOut)
def correction_detail(request, request_id: Id):
    return access(request.auth, CorrectionRequest, pk=request_id)


@router.post("/corrections/{request_id}/decision", response=CorrectionOut)
def correction_decide(request, request_id: Id, payload: CorrectionDecisionIn):
    correction = access(request.auth, CorrectionRequest, CHANGE, pk=request_id)
    return services.correction_request_decide(
        actor=request.auth, request=correction, approve=payload.approve, note=payload.note
    )


@router.post("/corrections/{request_id}/withdrawal", response=CorrectionOut)
def correction_withdraw(request, request_id: Id):
    correction = access(request.auth, CorrectionRequest, pk=request_id)
    return services.correction_request_withdraw(actor=request.auth, request=correction)
