"""Writes to working groups: registry and status, membership, officers, activities,
attendance and evidence. Every entry point (pages, API, importer) calls these."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gugus.communities import activeness
from gugus.communities.models import (
    Activity,
    Attendance,
    Evidence,
    Membership,
    Officer,
    WorkingGroup,
)
from gugus.communities.rules import group_shape_errors, membership_refusals
from gugus.core import audit, clock
from gugus.core.access import CHANGE, CREATE, actor_for, require, user_of
from gugus.core.cleaning import clean_choice, clean_text
from gugus.core.errors import DomainError, FieldErrors
from gugus.core.uploads import check_upload
from gugus.directory.models import Jenjang, Ministry, Person, Regency, School, Subject, ministry_of
from gugus.directory.services import normalize_name

Status = WorkingGroup.Status
GROUP_FIELDS = (
    "kind",
    "name",
    "ministry",
    "province",
    "regency",
    "jenjang",
    "subject",
    "kombel_mode",
    "school",
    "decree_number",
    "decree_date",
    "decree_office",
    "programme_start_year",
    "programme_end_year",
    "programme_summary",
)
MIN_PROGRAMME_YEARS = 3

# action: (states it may start from, state it leads to, needs a note)
TRANSITIONS: dict[str, tuple[set[str], str, bool]] = {
    "submit": ({Status.DRAFT}, Status.SUBMITTED, False),
    "return": ({Status.SUBMITTED}, Status.DRAFT, True),
    "verify": ({Status.SUBMITTED}, Status.VERIFIED, False),
    "activate": ({Status.VERIFIED, Status.SUSPENDED}, Status.ACTIVE, False),
    "suspend": ({Status.ACTIVE}, Status.SUSPENDED, True),
    "dissolve": (
        {Status.DRAFT, Status.SUBMITTED, Status.VERIFIED, Status.ACTIVE, Status.SUSPENDED},
        Status.DISSOLVED,
        True,
    ),
}
# Groups that may hold activities and take members.
WORKING_STATES = {Status.DRAFT, Status.SUBMITTED, Status.VERIFIED, Status.ACTIVE}


def _region(group) -> dict:
    return {"province_id": group.province_id, "regency_id": group.regency_id or ""}


def clean_group(raw: dict) -> dict:
    """Raw group input (form strings or API values) to model values; FieldErrors if wrong."""
    errors: list[tuple[str, Any]] = []
    data: dict[str, Any] = {}
    data["kind"] = clean_choice(raw.get("kind"), WorkingGroup.Kind, "kind", errors)
    data["name"] = normalize_name(clean_text(raw.get("name")))
    if not data["name"]:
        errors.append(("name", _("The name is required.")))
    jenjang = clean_text(raw.get("jenjang"))
    data["jenjang"] = clean_choice(jenjang, Jenjang, "jenjang", errors) if jenjang else ""
    ministry = clean_text(raw.get("ministry"))
    if ministry:
        data["ministry"] = clean_choice(ministry, Ministry, "ministry", errors)
    elif data["jenjang"]:
        data["ministry"] = ministry_of(data["jenjang"])
    elif data["kind"] in ("kkm", "pokjawas"):
        data["ministry"] = Ministry.KEMENAG
    else:
        data["ministry"] = Ministry.KEMENDIKBUD
    regency_code, province_code = clean_text(raw.get("regency")), clean_text(raw.get("province"))
    data["regency"] = data["province"] = None
    if regency_code:
        data["regency"] = (
            Regency.objects.select_related("province").filter(code=regency_code).first()
        )
        if data["regency"] is None:
            errors.append(
                ("regency", _("Unknown district/city code '%(code)s'.") % {"code": regency_code})
            )
        else:
            data["province"] = data["regency"].province
    elif province_code:
        from gugus.directory.models import Province

        data["province"] = Province.objects.filter(code=province_code).first()
        if data["province"] is None:
            errors.append(
                ("province", _("Unknown province code '%(code)s'.") % {"code": province_code})
            )
    else:
        errors.append(
            ("regency", _("Give the district/city (or the province for a province-wide group)."))
        )
    subject = clean_text(raw.get("subject"))
    data["subject"] = Subject.objects.filter(code=subject).first() if subject else None
    if subject and data["subject"] is None:
        errors.append(("subject", _("Unknown subject '%(subject)s'.") % {"subject": subject}))
    mode = clean_text(raw.get("kombel_mode"))
    data["kombel_mode"] = (
        clean_choice(mode, WorkingGroup.KombelMode, "kombel_mode", errors) if mode else ""
    )
    npsn = clean_text(raw.get("school"))
    data["school"] = School.objects.filter(npsn=npsn).first() if npsn else None
    if npsn and data["school"] is None:
        errors.append(("school", _("No school has NPSN '%(npsn)s'.") % {"npsn": npsn}))
    data["decree_number"] = clean_text(raw.get("decree_number"))[:100]
    data["decree_office"] = clean_text(raw.get("decree_office"))[:200]
    decree_date = raw.get("decree_date")
    if decree_date and not isinstance(decree_date, datetime.date):
        try:
            decree_date = datetime.date.fromisoformat(clean_text(decree_date))
        except ValueError:
            errors.append(("decree_date", _("Use the date format YYYY-MM-DD.")))
            decree_date = None
    data["decree_date"] = decree_date or None
    for name in ("programme_start_year", "programme_end_year"):
        value = clean_text(raw.get(name))
        data[name] = None
        if value:
            if not value.isdigit() or not 2000 <= int(value) <= 2100:
                errors.append((name, _("Give a year such as 2025.")))
            else:
                data[name] = int(value)
    start, end = data["programme_start_year"], data["programme_end_year"]
    if start and end and end < start:
        errors.append(("programme_end_year", _("The programme cannot end before it starts.")))
    data["programme_summary"] = clean_text(raw.get("programme_summary"))
    if errors:
        raise FieldErrors(errors)
    probe = WorkingGroup(**data)
    shape = group_shape_errors(probe)
    if shape:
        raise FieldErrors(shape)
    return data


def _group_snapshot(group) -> dict:
    return audit.snapshot(group, [*GROUP_FIELDS, "status"])


@transaction.atomic
def group_create(*, actor, data: dict, source: str = "web") -> WorkingGroup:
    """Offices register groups in their region; the group starts as a draft."""
    group = WorkingGroup(**clean_group(data))
    require(actor, CREATE, group)
    group.save()
    audit.record(
        actor=actor,
        action="create",
        obj=group,
        source=source,
        changes=audit.diff({}, _group_snapshot(group)),
        **_region(group),
    )
    return group


@transaction.atomic
def group_update(
    *, actor, group: WorkingGroup, data: dict, files: dict | None = None, source: str = "web"
) -> WorkingGroup:
    """Change a group's profile and documents; fields missing from `data` keep their value."""
    group = WorkingGroup.objects.select_for_update().get(pk=group.pk)
    require(actor, CHANGE, group)
    before = _group_snapshot(group)
    current = {
        **before,
        "regency": group.regency_id or "",
        "province": group.province_id,
        "subject": group.subject_id or "",
        "school": group.school.npsn if group.school_id else "",
        "decree_date": group.decree_date,
    }
    cleaned = clean_group({**current, **data})
    if (cleaned["kind"] != group.kind or cleaned["province"].pk != group.province_id) and (
        group.memberships.filter(ended_on__isnull=True).exists()
    ):
        raise DomainError(
            _("A group with members cannot change its type or province."), field="kind"
        )
    for name, value in cleaned.items():
        setattr(group, name, value)
    require(actor, CHANGE, group)  # the new place must also be in the actor's scope
    for name, upload in (files or {}).items():
        if upload:
            setattr(group, name, _checked_pdf(upload, name))
    group.save()
    changes = audit.diff(before, _group_snapshot(group))
    changes.update({name: [None, "uploaded"] for name, f in (files or {}).items() if f})
    if changes:
        audit.record(
            actor=actor,
            action="update",
            obj=group,
            changes=changes,
            source=source,
            **_region(group),
        )
    return group


def _checked_pdf(upload, field: str):
    return check_upload(upload, field=field, families=("pdf",), expected=_("a PDF"))


def submission_gaps(group: WorkingGroup) -> list[tuple[str, str]]:
    """What a group still lacks before the office can verify it."""
    gaps = []
    if not (group.decree_number and group.decree_date and group.decree_office):
        gaps.append(
            (
                "decree_number",
                _("The founding decree (number, date and issuing office) is missing."),
            )
        )
    if not group.decree_file:
        gaps.append(("decree_file", _("Upload the founding decree (PDF).")))
    if not group.statutes_file:
        gaps.append(("statutes_file", _("Upload the statutes (AD/ART, PDF).")))
    start, end = group.programme_start_year, group.programme_end_year
    if not (
        start and end and end - start + 1 >= MIN_PROGRAMME_YEARS and group.programme_summary.strip()
    ):
        gaps.append(("programme_summary", _("A work programme of at least 3 years is needed.")))
    if not group.officers.filter(position=Officer.Position.KETUA, ended_on__isnull=True).exists():
        gaps.append(("officers", _("Appoint the chair (ketua) first.")))
    return gaps


@transaction.atomic
def group_transition(
    *, actor, group: WorkingGroup, action: str, note: str = "", source: str = "web"
) -> WorkingGroup:
    """Move a group through draft → submitted → verified → active (and suspended,
    dissolved). Verification and the later steps belong to the office covering the group."""
    group = WorkingGroup.objects.select_for_update().get(pk=group.pk)
    if action not in TRANSITIONS:
        raise DomainError(_("Unknown action."), field="action")
    require(actor, action, group)
    sources, target, needs_note = TRANSITIONS[action]
    if group.status not in sources:
        raise DomainError(
            _("A group that is %(status)s cannot be %(action)s.")
            % {"status": group.get_status_display().lower(), "action": ACTION_LABELS[action]},
            code="invalid_transition",
        )
    if needs_note and not note.strip():
        raise FieldErrors([("note", _("Give the reason."))])
    if action == "submit":
        gaps = submission_gaps(group)
        if gaps:
            raise FieldErrors(gaps)
    before = group.status
    group.status, group.status_note = target, note.strip()
    group.status_changed_at = clock.now()
    group.save(update_fields=["status", "status_note", "status_changed_at"])
    audit.record(
        actor=actor,
        action="update",
        obj=group,
        source=source,
        changes={"status": [before, target], **({"note": [None, note]} if note else {})},
        **_region(group),
    )
    return group


ACTION_LABELS = {
    "submit": gettext_lazy("submitted"),
    "return": gettext_lazy("returned"),
    "verify": gettext_lazy("verified"),
    "activate": gettext_lazy("activated"),
    "suspend": gettext_lazy("suspended"),
    "dissolve": gettext_lazy("dissolved"),
}


def _today():
    return clock.today()


@transaction.atomic
def membership_add(
    *,
    actor,
    group: WorkingGroup,
    person: Person,
    started_on: datetime.date | None = None,
    source: str = "web",
) -> Membership:
    """Add a member if the type's rules allow; refusals explain every unmet rule."""
    require(actor, CHANGE, group)
    reasons = membership_refusals(group, person)
    if reasons:
        raise DomainError(
            " ".join(reasons),
            code="not_eligible",
            details=[{"field": "person", "message": r} for r in reasons],
        )
    if group.memberships.filter(person=person, ended_on__isnull=True).exists():
        raise DomainError(
            _("%(name)s is already a member.") % {"name": person.name}, code="duplicate"
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                group=group, person=person, started_on=started_on or _today()
            )
    except IntegrityError:
        raise DomainError(
            _("%(name)s is already a member.") % {"name": person.name}, code="duplicate"
        ) from None
    audit.record(
        actor=actor,
        action="create",
        obj=membership,
        source=source,
        changes={"group": [None, group.pk], "person": [None, person.pk]},
        **_region(group),
    )
    return membership


@transaction.atomic
def membership_end(
    *, actor, membership: Membership, ended_on: datetime.date | None = None, source: str = "web"
) -> Membership:
    """End a membership (history is kept); the person's offices in the group end too."""
    membership = (
        Membership.objects.select_for_update().select_related("group").get(pk=membership.pk)
    )
    require(actor, CHANGE, membership.group)
    if membership.ended_on is not None:
        raise DomainError(_("This membership has already ended."), code="already_ended")
    ended_on = ended_on or _today()
    if ended_on < membership.started_on:
        raise FieldErrors([("ended_on", _("A membership cannot end before it starts."))])
    membership.ended_on = ended_on
    membership.save(update_fields=["ended_on"])
    for office in membership.group.officers.filter(
        person=membership.person_id, ended_on__isnull=True
    ):
        officer_end(actor=actor, officer=office, ended_on=ended_on, source=source)
    audit.record(
        actor=actor,
        action="update",
        obj=membership,
        source=source,
        changes={"ended_on": [None, str(ended_on)]},
        **_region(membership.group),
    )
    return membership


@transaction.atomic
def officer_appoint(
    *,
    actor,
    group: WorkingGroup,
    person: Person,
    position: str,
    section: str = "",
    started_on: datetime.date | None = None,
    source: str = "web",
) -> Officer:
    """Appoint an officer, ending whoever held the post. Officers other than the patron
    must be members. A ketua with a login gets the chair's role over the group."""
    require(actor, CHANGE, group)
    if position not in Officer.Position.values:
        raise FieldErrors([("position", _("Unknown position."))])
    is_member = group.memberships.filter(person=person, ended_on__isnull=True).exists()
    if position != Officer.Position.PEMBINA and not is_member:
        raise DomainError(
            _("%(name)s must be a member of the group to hold this office.")
            % {"name": person.name},
            code="not_member",
            field="person",
        )
    if position == Officer.Position.BIDANG and not section.strip():
        raise FieldErrors([("section", _("Name the section."))])
    started_on = started_on or _today()
    if position != Officer.Position.BIDANG:
        for current in group.officers.filter(position=position, ended_on__isnull=True):
            officer_end(actor=actor, officer=current, ended_on=started_on, source=source)
    officer = Officer.objects.create(
        group=group,
        person=person,
        position=position,
        section=section.strip(),
        started_on=started_on,
    )
    audit.record(
        actor=actor,
        action="create",
        obj=officer,
        source=source,
        changes={"position": [None, position], "person": [None, person.pk]},
        **_region(group),
    )
    if position == Officer.Position.KETUA:
        _grant_chair(actor, group, person)
    return officer


def _grant_chair(actor, group, person) -> None:
    from gugus.accounts.models import RoleAssignment
    from gugus.accounts.services import role_assign
    from gugus.core.roles import Role

    user = getattr(person, "user", None)
    if (
        user is None
        or RoleAssignment.objects.filter(
            user=user, role=Role.KETUA_KELOMPOK, group=group, revoked_at__isnull=True
        ).exists()
    ):
        return
    if actor_for(actor).is_office:
        role_assign(actor=actor, user=user, role=Role.KETUA_KELOMPOK, group=group)


@transaction.atomic
def officer_end(
    *, actor, officer: Officer, ended_on: datetime.date | None = None, source: str = "web"
) -> Officer:
    from gugus.accounts.models import RoleAssignment
    from gugus.accounts.services import role_revoke
    from gugus.core.roles import Role

    require(actor, CHANGE, officer.group)
    if officer.ended_on is None:
        officer.ended_on = max(ended_on or _today(), officer.started_on)
        officer.save(update_fields=["ended_on"])
        audit.record(
            actor=actor,
            action="update",
            obj=officer,
            source=source,
            changes={"ended_on": [None, str(officer.ended_on)]},
            **_region(officer.group),
        )
        user = getattr(officer.person, "user", None)
        if officer.position == Officer.Position.KETUA and user is not None:
            for grant in RoleAssignment.objects.filter(
                user=user, role=Role.KETUA_KELOMPOK, group=officer.group, revoked_at__isnull=True
            ):
                if actor_for(actor).is_office:
                    role_revoke(actor=actor, assignment=grant)
    return officer


ACTIVITY_FIELDS = (
    "kind",
    "topic",
    "date",
    "duration_jp",
    "place",
    "online_link",
    "external_facilitators",
    "learning_problem",
    "reflects_on",
    "notes",
)


def clean_activity(group: WorkingGroup, raw: dict) -> dict:
    errors: list[tuple[str, Any]] = []
    data: dict[str, Any] = {}
    data["kind"] = clean_choice(raw.get("kind"), Activity.Kind, "kind", errors)
    data["topic"] = normalize_name(clean_text(raw.get("topic")))[:200]
    if not data["topic"]:
        errors.append(("topic", _("The topic is required.")))
    date = raw.get("date")
    if date and not isinstance(date, datetime.date):
        try:
            date = datetime.date.fromisoformat(clean_text(date))
        except ValueError:
            date = None
    if not date:
        errors.append(("date", _("Give the date (YYYY-MM-DD).")))
    elif date > _today() + datetime.timedelta(days=366):
        errors.append(("date", _("Plan at most a year ahead.")))
    data["date"] = date
    try:
        data["duration_jp"] = int(raw.get("duration_jp") or 2)
        if not 1 <= data["duration_jp"] <= 40:
            raise ValueError
    except (TypeError, ValueError):
        errors.append(("duration_jp", _("The duration is 1 to 40 JP (1 JP = 45 minutes).")))
    data["place"] = clean_text(raw.get("place"))[:200]
    data["online_link"] = clean_text(raw.get("online_link"))[:200]
    if data["online_link"] and not data["online_link"].startswith(("https://", "http://")):
        errors.append(("online_link", _("The online link must start with https://.")))
    if not data["place"] and not data["online_link"]:
        errors.append(("place", _("Give the place or the online link.")))
    data["external_facilitators"] = clean_text(raw.get("external_facilitators"))[:300]
    data["learning_problem"] = clean_text(raw.get("learning_problem"))
    data["notes"] = clean_text(raw.get("notes"))
    reflects = raw.get("reflects_on")
    data["reflects_on"] = None
    if reflects:
        target = (
            reflects
            if isinstance(reflects, Activity)
            else group.activities.filter(pk=clean_text(reflects)).first()
        )
        if target is None or target.group_id != group.pk or target.kind != Activity.Kind.ON:
            errors.append(
                ("reflects_on", _("A reflection refers to an On session of the same group."))
            )
        elif date and target.date > date:
            errors.append(
                ("reflects_on", _("A reflection comes after the On session it reflects on."))
            )
        else:
            data["reflects_on"] = target
    if errors:
        raise FieldErrors(errors)
    return data


def _check_group_working(group):
    if group.status not in WORKING_STATES:
        raise DomainError(
            _("A %(status)s group cannot record activities.")
            % {"status": group.get_status_display().lower()},
            code="group_not_working",
        )


def _facilitators(group: WorkingGroup, people) -> list[Person]:
    """Facilitators from the group must be its current members (anyone else is named in
    `external_facilitators`). `people` holds persons or their ids."""
    ids = {int(getattr(p, "pk", p)) for p in people}
    members = set(
        group.memberships.filter(ended_on__isnull=True, person_id__in=ids).values_list(
            "person_id", flat=True
        )
    )
    if ids - members:
        raise FieldErrors(
            [("facilitator_ids", _("Facilitators from the group must be its members."))]
        )
    return list(Person.objects.filter(pk__in=ids))


@transaction.atomic
def activity_create(
    *, actor, group: WorkingGroup, data: dict, facilitators=(), source: str = "web"
) -> Activity:
    """Plan or record an activity; `facilitators` (persons or ids) must be members."""
    require(actor, CHANGE, group)
    _check_group_working(group)
    activity = Activity(group=group, created_by=user_of(actor), **clean_activity(group, data))
    people = _facilitators(group, facilitators)
    activity.save()
    activity.facilitators.set(people)
    audit.record(
        actor=actor,
        action="create",
        obj=activity,
        source=source,
        changes=audit.diff({}, audit.snapshot(activity, ACTIVITY_FIELDS)),
        **_region(group),
    )
    activeness.refresh_group(group)
    return activity


@transaction.atomic
def activity_update(
    *, actor, activity: Activity, data: dict, facilitators=None, source: str = "web"
) -> Activity:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    require(actor, CHANGE, activity.group)
    before = audit.snapshot(activity, ACTIVITY_FIELDS)
    current = {**before, "date": activity.date, "reflects_on": activity.reflects_on}
    for name, value in clean_activity(activity.group, {**current, **data}).items():
        setattr(activity, name, value)
    people = None if facilitators is None else _facilitators(activity.group, facilitators)
    activity.save()
    if people is not None:
        activity.facilitators.set(people)
    changes = audit.diff(before, audit.snapshot(activity, ACTIVITY_FIELDS))
    if changes:
        audit.record(
            actor=actor,
            action="update",
            obj=activity,
            source=source,
            changes=changes,
            **_region(activity.group),
        )
    activeness.refresh_group(activity.group)
    return activity


@transaction.atomic
def activity_set_status(*, actor, activity: Activity, status: str, source: str = "web") -> Activity:
    """Mark an activity held (only once its day has come) or cancelled."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    require(actor, CHANGE, activity.group)
    if status not in Activity.Status.values:
        raise FieldErrors([("status", _("Unknown status."))])
    if status == Activity.Status.HELD and activity.date > _today():
        raise DomainError(
            _("An activity is held on or after its date, not before."), code="not_yet"
        )
    if status != activity.status:
        audit.record(
            actor=actor,
            action="update",
            obj=activity,
            source=source,
            changes={"status": [activity.status, status]},
            **_region(activity.group),
        )
        activity.status = status
        activity.save(update_fields=["status", "updated_at"])
        activeness.refresh_group(activity.group)
    return activity


def attendance_refusal(activity: Activity) -> DomainError | None:
    """Why attendance cannot be taken for this activity today, or None when it can: the
    page offers the register by the same answer the service records it by."""
    if activity.status == Activity.Status.CANCELLED:
        return DomainError(_("A cancelled activity has no attendance."), code="cancelled")
    if activity.date > _today():
        return DomainError(
            _("Attendance is taken on or after the activity's date."), code="not_yet"
        )
    return None


@transaction.atomic
def attendance_record(
    *, actor, activity: Activity, statuses: dict[int, str], source: str = "web"
) -> list[Attendance]:
    """Record attendance per member (present, excused, absent). Recording it means the
    activity took place, so it is marked held."""
    activity = Activity.objects.select_for_update().select_related("group").get(pk=activity.pk)
    group = activity.group
    require(actor, CHANGE, group)
    if refusal := attendance_refusal(activity):
        raise refusal
    members = set(
        group.memberships.filter(started_on__lte=activity.date)
        .exclude(ended_on__lt=activity.date)
        .values_list("person_id", flat=True)
    )
    errors = []
    for person_id, status in statuses.items():
        if int(person_id) not in members:
            errors.append(
                ("attendance", _("Person %(id)s was not a member on that day.") % {"id": person_id})
            )
        if status not in Attendance.Status.values:
            errors.append(("attendance", _("Unknown attendance '%(value)s'.") % {"value": status}))
    if errors:
        raise FieldErrors(errors)
    existing = {a.person_id: a for a in activity.attendance.all()}
    changed = {}
    for person_id, status in statuses.items():
        row = existing.get(int(person_id))
        if row is None:
            existing[int(person_id)] = Attendance.objects.create(
                activity=activity, person_id=int(person_id), status=status
            )
            changed[str(person_id)] = [None, status]
        elif row.status != status:
            changed[str(person_id)] = [row.status, status]
            row.status = status
            row.save(update_fields=["status"])
    if changed:
        audit.record(
            actor=actor,
            action="update",
            obj=activity,
            source=source,
            changes={"attendance": changed},
            **_region(group),
        )
    if activity.status != Activity.Status.HELD:
        activity.status = Activity.Status.HELD
        activity.save(update_fields=["status", "updated_at"])
    activeness.refresh_group(group)
    return list(existing.values())


def _evidence_family(kind: str) -> tuple[str, ...]:
    if kind == Evidence.Kind.PHOTO:
        return ("image",)
    return ("image", "pdf", "office")


@transaction.atomic
def evidence_add(*, actor, activity: Activity, upload, kind: str, source: str = "web") -> Evidence:
    """Attach a photo or document, checked by its content, not just its name."""
    require(actor, CHANGE, activity.group)
    if kind not in Evidence.Kind.values:
        raise FieldErrors([("kind", _("Unknown kind of evidence."))])
    upload = check_upload(
        upload,
        field="file",
        families=_evidence_family(kind),
        expected=_("a JPEG, PNG or WebP photo")
        if kind == Evidence.Kind.PHOTO
        else _("a photo, a PDF or an Office document"),
    )
    evidence = Evidence.objects.create(
        activity=activity, kind=kind, file=upload, size=upload.size, uploaded_by=user_of(actor)
    )
    audit.record(
        actor=actor,
        action="create",
        obj=evidence,
        source=source,
        changes={"file": [None, str(evidence)], "kind": [None, kind]},
        **_region(activity.group),
    )
    return evidence
