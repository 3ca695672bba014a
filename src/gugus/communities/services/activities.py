"""Writes to a group's activities: planning and recording them (facilitators must be
members), their status, attendance and evidence. Each change refreshes the group's
measured activeness."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gugus.communities import activeness
from gugus.communities.models import (
    Activity,
    Attendance,
    Evidence,
    WorkingGroup,
)
from gugus.communities.workflow import WORKING_STATES
from gugus.core import audit, clock
from gugus.core.access import CHANGE, require, user_of
from gugus.core.cleaning import clean_choice, clean_date, clean_text, normalize_name
from gugus.core.errors import DomainError, FieldErrors
from gugus.core.uploads import check_upload
from gugus.directory.models import Person

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
    date = clean_date(raw.get("date"), "date", errors, required=_("Give the date (YYYY-MM-DD)."))
    if date and date > clock.today() + datetime.timedelta(days=366):
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
        **group.audit_region,
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
            **activity.group.audit_region,
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
    if status == Activity.Status.HELD and activity.date > clock.today():
        raise DomainError(
            _("An activity is held on or after its date, not before."), code="not_yet"
        )
    if status == Activity.Status.HELD and (refusal := _on_without_classroom(activity)):
        raise refusal
    if status != activity.status:
        audit.record(
            actor=actor,
            action="update",
            obj=activity,
            source=source,
            changes={"status": [activity.status, status]},
            **activity.group.audit_region,
        )
        activity.status = status
        activity.save(update_fields=["status", "updated_at"])
        activeness.refresh_group(activity.group)
    return activity


def _on_without_classroom(activity: Activity) -> DomainError | None:
    """An On is practice in one's own classroom: it counts as held only with evidence from
    there (observation notes, student work or a photo)."""
    if activity.kind != Activity.Kind.ON:
        return None
    if activity.evidence.filter(kind__in=Evidence.CLASSROOM).exists():
        return None
    return DomainError(
        _(
            "An On is held once its classroom evidence is uploaded: observation notes, "
            "student work or a photo."
        ),
        code="no_classroom_evidence",
        field="status",
    )


def attendance_refusal(activity: Activity) -> DomainError | None:
    """Why attendance cannot be taken for this activity today, or None when it can: the
    page offers the register by the same answer the service records it by. Recording
    attendance marks the activity held, so an On needs its classroom evidence first."""
    if activity.status == Activity.Status.CANCELLED:
        return DomainError(_("A cancelled activity has no attendance."), code="cancelled")
    if refusal := _on_without_classroom(activity):
        return refusal
    if activity.date > clock.today():
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
            **group.audit_region,
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
        **activity.group.audit_region,
    )
    return evidence
