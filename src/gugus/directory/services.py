"""Writes to the directory: schools, people, corrections. Every rule lives here once and
is used by pages, the API, the importer and the admin alike."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from gugus.core import audit, clock
from gugus.core.access import CHANGE, CREATE, DELETE, actor_for, require, user_of
from gugus.core.cleaning import clean_choice, clean_date, clean_flag, clean_text, normalize_name
from gugus.core.errors import DomainError, FieldErrors
from gugus.core.uploads import check_upload
from gugus.directory.identifiers import parse_nip, validate_npsn, validate_nuptk
from gugus.directory.models import (
    CorrectionRequest,
    District,
    Gender,
    Jenjang,
    Ministry,
    Person,
    PersonAccessLog,
    Position,
    Regency,
    School,
    Subject,
    ministry_of,
)

SCHOOL_FIELDS = ("npsn", "name", "jenjang", "ministry", "status", "district", "address")
PERSON_FIELDS = (
    "name",
    "nuptk",
    "nip",
    "gender",
    "birth_date",
    "position",
    "ministry",
    "is_instruktur_nasional",
    "is_narasumber",
    "school",
    "regency",
    "subjects",
)
# Fields a person may ask to have corrected.
CORRECTION_EVIDENCE_BYTES = 5 * 1024 * 1024
CORRECTABLE_FIELDS = ("name", "nuptk", "nip", "gender", "birth_date", "school", "subjects")
POSITIONS_AT_SCHOOL = {Position.GURU, Position.GURU_BK, Position.KEPALA}


def search_key(value: str) -> str:
    """Lower-case, accent-free form used for name search and ordering."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


JENJANG_ALIASES = {"paud": "paud_tk", "tk": "paud_tk", "paud_tk": "paud_tk", "tk_paud": "paud_tk"}
GENDER_ALIASES = {
    "l": "L",
    "p": "P",
    "laki-laki": "L",
    "lakilaki": "L",
    "perempuan": "P",
    "pria": "L",
    "wanita": "P",
    "male": "L",
    "female": "P",
}
POSITION_ALIASES = {
    "gurubk": "guru_bk",
    "bk": "guru_bk",
    "kepalasekolah": "kepala",
    "kepalamadrasah": "kepala",
    "kepala_sekolah": "kepala",
}


@dataclass
class Lookup:
    """Memoised reference lookups, so an import of many rows asks the database once a key."""

    districts: dict[str, District | None] = field(default_factory=dict)
    regencies: dict[str, Regency | None] = field(default_factory=dict)
    schools: dict[str, School | None] = field(default_factory=dict)
    subjects: dict[str, Subject] | None = None

    def district(self, code: str) -> District | None:
        if code not in self.districts:
            self.districts[code] = (
                District.objects.select_related("regency").filter(code=code).first()
            )
        return self.districts[code]

    def regency(self, code: str) -> Regency | None:
        if code not in self.regencies:
            self.regencies[code] = Regency.objects.filter(code=code).first()
        return self.regencies[code]

    def school(self, npsn: str) -> School | None:
        if npsn not in self.schools:
            self.schools[npsn] = School.objects.filter(npsn=npsn).first()
        return self.schools[npsn]

    def subject(self, key: str) -> Subject | None:
        if self.subjects is None:
            self.subjects = {}
            for s in Subject.objects.all():
                self.subjects[s.code] = s
                self.subjects[search_key(s.name)] = s
        return self.subjects.get(key.lower()) or self.subjects.get(search_key(key))


def clean_school(raw: dict, *, lookup: Lookup | None = None) -> dict:
    """Validate raw school input (strings or typed values) into model field values."""
    lookup = lookup or Lookup()
    errors: list[tuple[str, Any]] = []
    data: dict[str, Any] = {}
    npsn = clean_text(raw.get("npsn")).upper()
    try:
        validate_npsn(npsn)
    except ValidationError as e:
        errors.append(("npsn", e.messages[0]))
    data["npsn"] = npsn
    data["name"] = normalize_name(clean_text(raw.get("name")))
    if not data["name"]:
        errors.append(("name", _("The name is required.")))
    data["jenjang"] = clean_choice(
        raw.get("jenjang"), Jenjang, "jenjang", errors, aliases=JENJANG_ALIASES
    )
    data["ministry"] = ministry_of(data["jenjang"]) if data["jenjang"] else ""
    data["status"] = clean_choice(raw.get("status"), School.Status, "status", errors)
    district_value = raw.get("district")
    district = (
        district_value
        if isinstance(district_value, District)
        else lookup.district(clean_text(district_value))
    )
    if district is None:
        errors.append(
            (
                "district",
                _("Unknown sub-district code '%(code)s'.") % {"code": clean_text(district_value)},
            )
        )
    data["district"] = district
    data["address"] = normalize_name(clean_text(raw.get("address")))[:255]
    if errors:
        raise FieldErrors(errors)
    data["regency_id"] = district.regency_id
    data["province_id"] = district.regency.province_id
    return data


def clean_person(raw: dict, *, lookup: Lookup | None = None) -> dict:
    """Validate raw person input; NIP fixes birth date and gender (DOMAIN.md §8)."""
    lookup = lookup or Lookup()
    errors: list[tuple[str, Any]] = []
    data: dict[str, Any] = {}
    data["name"] = normalize_name(clean_text(raw.get("name")))
    if not data["name"]:
        errors.append(("name", _("The name is required.")))
    nuptk = re.sub(r"\s", "", clean_text(raw.get("nuptk"))) or None
    if nuptk:
        try:
            validate_nuptk(nuptk)
        except ValidationError as e:
            errors.append(("nuptk", e.messages[0]))
    data["nuptk"] = nuptk
    nip = re.sub(r"\s", "", clean_text(raw.get("nip"))) or None
    nip_birth = nip_gender = None
    if nip:
        try:
            nip_birth, nip_gender = parse_nip(nip)
        except ValidationError as e:
            errors.append(("nip", e.messages[0]))
    data["nip"] = nip
    gender_raw = raw.get("gender")
    if clean_text(gender_raw):
        data["gender"] = clean_choice(
            gender_raw, Gender, "gender", errors, aliases={k: v for k, v in GENDER_ALIASES.items()}
        )
        data["gender"] = GENDER_ALIASES.get(data["gender"].lower(), data["gender"])
    elif nip_gender:
        data["gender"] = nip_gender
    else:
        errors.append(("gender", _("The gender is required (L or P).")))
        data["gender"] = ""
    if nip_gender and data["gender"] and data["gender"] != nip_gender:
        errors.append(("gender", _("The gender does not match the NIP (digit 15).")))
    birth = clean_date(raw.get("birth_date"), "birth_date", errors)
    if nip_birth and birth and birth != nip_birth:
        errors.append(("birth_date", _("The birth date does not match the NIP (digits 1-8).")))
    data["birth_date"] = birth or nip_birth
    data["position"] = clean_choice(
        raw.get("position") or "guru", Position, "position", errors, aliases=POSITION_ALIASES
    )
    data["is_instruktur_nasional"] = clean_flag(
        raw.get("is_instruktur_nasional"), "is_instruktur_nasional", errors
    )
    data["is_narasumber"] = clean_flag(raw.get("is_narasumber"), "is_narasumber", errors)

    school_value = raw.get("school")
    school = None
    if isinstance(school_value, School):
        school = school_value
    elif clean_text(school_value):
        school = lookup.school(clean_text(school_value).upper())
        if school is None:
            errors.append(
                ("school", _("No school has NPSN '%(npsn)s'.") % {"npsn": clean_text(school_value)})
            )
    data["school"] = school
    if school is not None:
        data["ministry"] = school.ministry
    elif clean_text(raw.get("ministry")):
        data["ministry"] = clean_choice(raw.get("ministry"), Ministry, "ministry", errors)
    else:
        data["ministry"] = Ministry.KEMENDIKBUD
    if school is not None:
        data["regency_id"], data["province_id"] = school.regency_id, school.province_id
    else:
        regency_value = raw.get("regency")
        regency = (
            regency_value
            if isinstance(regency_value, Regency)
            else (lookup.regency(clean_text(regency_value)) if clean_text(regency_value) else None)
        )
        if data["position"] in POSITIONS_AT_SCHOOL and not clean_text(school_value):
            errors.append(("school", _("A teacher, counsellor or head must belong to a school.")))
        elif regency is None:
            errors.append(("regency", _("Give the district/city code when there is no school.")))
        else:
            data["regency_id"], data["province_id"] = regency.code, regency.province_id

    subjects = []
    subject_values = raw.get("subjects") or []
    if isinstance(subject_values, str):
        subject_values = [s for s in re.split(r"[;,]", subject_values) if s.strip()]
    for value in subject_values:
        subject = value if isinstance(value, Subject) else lookup.subject(clean_text(value))
        if subject is None:
            errors.append(("subjects", _("Unknown subject '%(subject)s'.") % {"subject": value}))
        else:
            subjects.append(subject)
    data["subjects"] = subjects
    if errors:
        raise FieldErrors(errors)
    return data


def _person_region(person: Person) -> dict:
    return {"province_id": person.province_id, "regency_id": person.regency_id}


def _check_unique_ids(data: dict, *, exclude_pk=None) -> None:
    errors = []
    for name in ("nuptk", "nip"):
        if data.get(name):
            clash = Person.objects.filter(**{name: data[name]}).exclude(pk=exclude_pk)
            if clash.exists():
                errors.append(
                    (
                        name,
                        _("%(field)s %(value)s is already recorded for another person.")
                        % {"field": name.upper(), "value": data[name]},
                    )
                )
    if errors:
        raise FieldErrors(errors)


def _apply(obj, data: dict, fields) -> None:
    for name in fields:
        if name not in ("subjects", "regency") and name in data:
            setattr(obj, name, data[name])
    if "regency_id" in data:
        obj.regency_id, obj.province_id = data["regency_id"], data["province_id"]


@transaction.atomic
def school_create(*, actor, data: dict, source: str = "web") -> School:
    cleaned = clean_school(data)
    school = School(**cleaned)
    require(actor, CREATE, school)
    if School.objects.filter(npsn=school.npsn).exists():
        raise FieldErrors(
            [("npsn", _("NPSN %(npsn)s is already registered.") % {"npsn": school.npsn})]
        )
    school.save()
    audit.record(
        actor=actor,
        action="create",
        obj=school,
        source=source,
        changes=audit.diff({}, audit.snapshot(school, SCHOOL_FIELDS)),
        province_id=school.province_id,
        regency_id=school.regency_id,
    )
    return school


@transaction.atomic
def school_update(*, actor, school: School, data: dict, source: str = "web") -> School:
    school = School.objects.select_for_update().get(pk=school.pk)
    require(actor, CHANGE, school)
    merged = {**audit.snapshot(school, SCHOOL_FIELDS), **data}
    merged["district"] = data.get("district", school.district)
    cleaned = clean_school(merged)
    before = audit.snapshot(school, SCHOOL_FIELDS)
    if cleaned["npsn"] != school.npsn and School.objects.filter(npsn=cleaned["npsn"]).exists():
        raise FieldErrors(
            [("npsn", _("NPSN %(npsn)s is already registered.") % {"npsn": cleaned["npsn"]})]
        )
    for name, value in cleaned.items():
        setattr(school, name, value)
    require(actor, CHANGE, school)  # the new place must be inside the actor's scope too
    changes = audit.diff(before, audit.snapshot(school, SCHOOL_FIELDS))
    if changes:
        school.save()
        audit.record(
            actor=actor,
            action="update",
            obj=school,
            changes=changes,
            source=source,
            province_id=school.province_id,
            regency_id=school.regency_id,
        )
    return school


def _person_snapshot(person: Person) -> dict:
    return audit.snapshot(person, PERSON_FIELDS)


@transaction.atomic
def person_create(*, actor, data: dict, source: str = "web") -> Person:
    cleaned = clean_person(data)
    person = Person(name_search=search_key(cleaned["name"]))
    _apply(person, cleaned, PERSON_FIELDS)
    require(actor, CREATE, person)
    _check_unique_ids(cleaned)
    person.save()
    person.subjects.set(cleaned["subjects"])
    audit.record(
        actor=actor,
        action="create",
        obj=person,
        source=source,
        changes=audit.diff({}, _person_snapshot(person)),
        **_person_region(person),
    )
    return person


@transaction.atomic
def person_update(*, actor, person: Person, data: dict, source: str = "web") -> Person:
    """Change a person's record; fields missing from `data` keep their value."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    require(actor, CHANGE, person)
    before = _person_snapshot(person)
    current = {
        **before,
        "school": person.school,
        "regency": person.regency,
        "subjects": list(person.subjects.all()),
        "birth_date": person.birth_date,
    }
    cleaned = clean_person({**current, **data})
    _check_unique_ids(cleaned, exclude_pk=person.pk)
    _apply(person, cleaned, PERSON_FIELDS)
    person.name_search = search_key(person.name)
    require(actor, CHANGE, person)  # moving a person out of scope is not allowed
    person.save()
    person.subjects.set(cleaned["subjects"])
    changes = audit.diff(before, _person_snapshot(person))
    if changes:
        audit.record(
            actor=actor,
            action="update",
            obj=person,
            changes=changes,
            source=source,
            **_person_region(person),
        )
    return person


@transaction.atomic
def correction_request_create(
    *, actor, person: Person, changes: dict, reason: str, evidence=None
) -> CorrectionRequest:
    """A person asks to correct their own record. Only fields that really change count."""
    user = user_of(actor)
    if getattr(user, "person_id", None) != person.pk:
        raise DomainError(_("You can only ask to correct your own data."), code="forbidden")
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise FieldErrors([(f, _("This field cannot be corrected here.")) for f in unknown])
    current = _person_snapshot(person)
    current_for_clean = {
        **current,
        "school": person.school,
        "regency": person.regency,
        "subjects": list(person.subjects.all()),
    }
    cleaned = clean_person({**current_for_clean, **changes})
    _check_unique_ids(cleaned, exclude_pk=person.pk)
    proposal = Person(pk=person.pk, name_search="")
    _apply(proposal, cleaned, PERSON_FIELDS)
    after = audit.snapshot(proposal, [f for f in PERSON_FIELDS if f != "subjects"])
    after["subjects"] = sorted(s.pk for s in cleaned["subjects"])
    wanted = {k: v[1] for k, v in audit.diff(current, after).items() if k in CORRECTABLE_FIELDS}
    if not wanted:
        raise DomainError(_("The proposed data is the same as the current data."), code="no_change")
    if not (reason or "").strip():
        raise FieldErrors([("reason", _("Explain why the data is wrong."))])
    if evidence:
        evidence = check_upload(
            evidence,
            field="evidence",
            families=("pdf", "image"),
            expected=_("a PDF or a photo"),
            max_bytes=CORRECTION_EVIDENCE_BYTES,
        )
    if CorrectionRequest.objects.filter(person=person, status="pending").exists():
        raise DomainError(
            _("You already have a correction request waiting for review."), code="pending_exists"
        )
    return CorrectionRequest.objects.create(
        person=person,
        requested_by=user,
        changes=wanted,
        reason=reason.strip(),
        evidence=evidence or "",
    )


def _correction_data(changes: dict) -> dict:
    """Turn stored correction values (ids, ISO dates) back into service input."""
    data = dict(changes)
    if "school" in data:
        school = School.objects.filter(pk=data["school"]).first() if data["school"] else None
        data["school"] = school.npsn if school else ""
    return data


@transaction.atomic
def correction_request_decide(
    *, actor, request: CorrectionRequest, approve: bool, note: str = ""
) -> CorrectionRequest:
    """The office covering the person approves (the change is applied and audited) or refuses."""
    request = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
    require(actor, CHANGE, request)
    if request.status != CorrectionRequest.Status.PENDING:
        raise DomainError(_("This request has already been decided."), code="already_decided")
    if not approve and not note.strip():
        raise FieldErrors([("decision_note", _("Give the reason for refusing."))])
    if approve:
        person_update(
            actor=actor,
            person=request.person,
            data=_correction_data(request.changes),
            source="correction",
        )
    request.status = request.Status.APPROVED if approve else request.Status.REFUSED
    request.decided_by = user_of(actor)
    request.decided_at = clock.now()
    request.decision_note = note.strip()
    request.save()
    return request


@transaction.atomic
def correction_request_withdraw(*, actor, request: CorrectionRequest) -> CorrectionRequest:
    request = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
    require(actor, "withdraw", request)
    if request.status != CorrectionRequest.Status.PENDING:
        raise DomainError(_("This request has already been decided."), code="already_decided")
    request.status = CorrectionRequest.Status.WITHDRAWN
    request.save(update_fields=["status"])
    return request


def _delete_protected(obj, message) -> None:
    """Delete `obj`, turning "still referenced" into a refusal the user understands."""
    try:
        with transaction.atomic():
            obj.delete()
    except ProtectedError:
        raise DomainError(message, code="in_use") from None


@transaction.atomic
def school_delete(*, actor, school: School, source: str = "web") -> None:
    """Remove a school registered by mistake or closed; refused while people belong to it."""
    school = School.objects.select_for_update().get(pk=school.pk)
    require(actor, DELETE, school)
    count = school.people.count()
    if count:
        raise DomainError(
            _("Move the %(count)d people of this school to another school first.")
            % {"count": count},
            code="in_use",
        )
    before = audit.snapshot(school, SCHOOL_FIELDS)
    entry = audit.entry(
        actor=actor,
        action="delete",
        obj=school,
        source=source,
        changes=audit.diff(before, dict.fromkeys(before)),
        province_id=school.province_id,
        regency_id=school.regency_id,
    )
    _delete_protected(school, _("This school is still used by roles or working groups."))
    entry.save()


@transaction.atomic
def person_delete(*, actor, person: Person, source: str = "web") -> None:
    """Remove a duplicate or mistaken record. A person with a login keeps their record
    until the account is unlinked, so nobody loses access by accident."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    require(actor, DELETE, person)
    if getattr(person, "user", None) is not None:
        raise DomainError(
            _("This person has an account; unlink it before deleting the record."), code="in_use"
        )
    before = _person_snapshot(person)
    entry = audit.entry(
        actor=actor,
        action="delete",
        obj=person,
        source=source,
        changes=audit.diff(before, dict.fromkeys(before)),
        **_person_region(person),
    )
    _delete_protected(person, _("This person is still referenced elsewhere."))
    entry.save()


def personal_data_read(*, actor, what: str, rows: int, filters: dict | None = None) -> None:
    """Log a download of personal data (an export, a register, evidence, an error
    report), as UU 27/2022 asks: who, when, what and how many people."""
    province, regency = _workplace(actor)
    PersonAccessLog.objects.create(
        user=user_of(actor),
        what=what[:100],
        rows=rows,
        filters={k: v for k, v in (filters or {}).items() if v},
        province_id=province,
        regency_id=regency,
    )


def _workplace(actor) -> tuple[str, str]:
    """The narrowest region among the reader's roles, else their school's."""
    actor = actor_for(actor)
    for grant in sorted(actor.grants, key=lambda g: (not g.regency_id, not g.province_id)):
        if grant.regency_id:
            return grant.province_id or grant.regency_id[:2], grant.regency_id
        if grant.province_id:
            return grant.province_id, ""
    person = Person.objects.filter(pk=actor.person_id).first()
    if person is not None:
        return person.province_id or "", person.regency_id or ""
    return "", ""
