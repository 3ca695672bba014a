"""Writes to the group registry: a group's record and documents (decree, statutes), what
it lacks before submission, and its registration steps (`communities.workflow.GROUP`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gugus.communities.models import (
    Officer,
    WorkingGroup,
)
from gugus.communities.rules import governing_ministry, group_shape_errors
from gugus.communities.workflow import GROUP
from gugus.core import audit, clock
from gugus.core.access import CHANGE, CREATE, require
from gugus.core.cleaning import clean_choice, clean_date, clean_region, clean_text, normalize_name
from gugus.core.errors import DomainError, FieldErrors
from gugus.core.uploads import check_upload
from gugus.directory.models import Jenjang, Ministry, School, Subject

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
    claimed = clean_text(raw.get("ministry"))
    if claimed:
        claimed = clean_choice(claimed, Ministry, "ministry", errors)
    data["province"], data["regency"] = clean_region(
        raw.get("province"),
        raw.get("regency"),
        errors,
        required=_("Give the district/city (or the province for a province-wide group)."),
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
    data["decree_date"] = clean_date(raw.get("decree_date"), "decree_date", errors)
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
    data["ministry"] = governing_ministry(probe)
    if claimed and claimed != data["ministry"]:
        raise FieldErrors(
            [
                (
                    "ministry",
                    _("This group is governed by %(ministry)s, by its type, level and subject.")
                    % {"ministry": Ministry(data["ministry"]).label},
                )
            ]
        )
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
        **group.audit_region,
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
        "ministry": "",  # derived again from the new type, level and subject
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
            **group.audit_region,
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
    require(actor, GROUP.step(action).permission, group)
    step = GROUP.check(group, action)
    target = step.target
    if step.needs_note and not note.strip():
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
        **group.audit_region,
    )
    return group
