"""Reads of working groups, always through the scoping layer."""

from __future__ import annotations

import calendar
import datetime

from django.db.models import Count, Q, QuerySet

from gugus.communities import activeness
from gugus.communities.models import (
    ActivenessSnapshot,
    Activity,
    Attendance,
    Membership,
    Officer,
    WorkingGroup,
)
from gugus.communities.rules import size_warnings
from gugus.core.access import visible
from gugus.core.errors import NotFound


def group_list(
    *,
    actor,
    search: str = "",
    province: str = "",
    regency: str = "",
    kind: str = "",
    jenjang: str = "",
    subject: str = "",
    status: str = "",
    level: str = "",
) -> QuerySet[WorkingGroup]:
    qs = visible(actor, WorkingGroup).select_related("regency", "province", "subject")
    for field, value in (
        ("province_id", province),
        ("regency_id", regency),
        ("kind", kind),
        ("jenjang", jenjang),
        ("subject_id", subject),
        ("status", status),
    ):
        if value:
            qs = qs.filter(**{field: value})
    if level:
        qs = (
            qs.filter(activeness_level=level)
            if level != activeness.INACTIVE
            else qs.filter(Q(activeness_level=level) | Q(activeness_level=""))
        )
    if search:
        qs = qs.filter(name__icontains=search.strip())
    return qs.order_by("name", "id")


def current_members(group: WorkingGroup) -> QuerySet[Membership]:
    return (
        group.memberships.filter(ended_on__isnull=True)
        .select_related("person", "person__school")
        .order_by("person__name_search")
    )


def past_members(group: WorkingGroup) -> QuerySet[Membership]:
    return (
        group.memberships.filter(ended_on__isnull=False)
        .select_related("person")
        .order_by("-ended_on")
    )


def current_officers(group: WorkingGroup) -> QuerySet[Officer]:
    order = {p: i for i, p in enumerate(Officer.Position.values)}
    officers = list(group.officers.filter(ended_on__isnull=True).select_related("person"))
    return sorted(officers, key=lambda o: (order[o.position], o.person.name))


def group_summary(group: WorkingGroup) -> dict:
    """What the group page shows beside the lists: size rules, instructors, activeness."""
    members = current_members(group)
    count = members.count()
    snapshots = list(ActivenessSnapshot.objects.filter(group=group).order_by("-month")[:12])
    snapshots.reverse()
    return {
        "member_count": count,
        "size_warnings": size_warnings(group, count),
        "instructors": [m.person for m in members.filter(person__is_instruktur_nasional=True)],
        "latest": snapshots[-1] if snapshots else None,
        "snapshots": snapshots,
    }


def group_activities(group: WorkingGroup, *, year: int | None = None) -> QuerySet[Activity]:
    qs = group.activities.annotate(
        present=Count("attendance", filter=Q(attendance__status=Attendance.Status.PRESENT))
    )
    if year:
        qs = qs.filter(date__year=year)
    return qs.order_by("-date", "-id")


def activity_attendance(activity: Activity) -> list[tuple]:
    """(person, status or None) for everyone who was a member on the activity's day."""
    members = (
        Membership.objects.filter(group=activity.group_id, started_on__lte=activity.date)
        .exclude(ended_on__lt=activity.date)
        .select_related("person")
        .order_by("person__name_search")
    )
    marked = dict(activity.attendance.values_list("person_id", "status"))
    seen, rows = set(), []
    for m in members:
        if m.person_id not in seen:
            seen.add(m.person_id)
            rows.append((m.person, marked.get(m.person_id)))
    return rows


def my_groups(*, actor) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(person_id=actor.person_id)
        .select_related("group", "group__regency")
        .order_by("ended_on", "group__name")
    )


def my_attendance(*, actor, limit: int = 100) -> QuerySet[Attendance]:
    return (
        Attendance.objects.filter(person_id=actor.person_id)
        .select_related("activity", "activity__group")
        .order_by("-activity__date")[:limit]
    )


def region_activeness(*, actor, province: str = "", regency: str = "") -> dict:
    """Groups per activeness level, per kab/kota, within what the actor may see."""
    qs = visible(actor, WorkingGroup).exclude(status=WorkingGroup.Status.DISSOLVED)
    if province:
        qs = qs.filter(province_id=province)
    if regency:
        qs = qs.filter(regency_id=regency)
    rows = {}
    for row in (
        qs.values("regency_id", "regency__name", "activeness_level")
        .annotate(n=Count("id"))
        .order_by("regency__name")
    ):
        entry = rows.setdefault(
            row["regency_id"],
            {
                "code": row["regency_id"],
                "name": row["regency__name"] or "—",
                activeness.ACTIVE: 0,
                activeness.LESS_ACTIVE: 0,
                activeness.INACTIVE: 0,
            },
        )
        entry[row["activeness_level"] or activeness.INACTIVE] += row["n"]
    needing = (
        qs.filter(Q(activeness_level=activeness.INACTIVE) | Q(activeness_level=""))
        .select_related("regency")
        .order_by("activeness_score", "name")
    )
    return {"rows": list(rows.values()), "totals": activeness.level_counts(qs), "needing": needing}


def month_grid(activities, year: int, month: int) -> list[list[tuple]]:
    """A month calendar: weeks of (date or None, activities that day)."""
    by_day: dict[datetime.date, list] = {}
    for a in activities:
        by_day.setdefault(a.date, []).append(a)
    return [
        [
            (d if d.month == month else None, by_day.get(d, []) if d.month == month else [])
            for d in week
        ]
        for week in calendar.Calendar().monthdatescalendar(year, month)
    ]


# The group's registry documents by their name in URLs: field, and the download's name.
GROUP_DOCUMENTS = {"sk": ("decree_file", "sk-kelompok"), "adart": ("statutes_file", "adart")}


def group_document(group: WorkingGroup, document: str):
    """(stored file, download name) of the decree ("sk") or the statutes ("adart");
    NotFound for another name or a document not uploaded yet."""
    if document not in GROUP_DOCUMENTS:
        raise NotFound()
    field, name = GROUP_DOCUMENTS[document]
    stored = getattr(group, field)
    if not stored:
        raise NotFound()
    return stored, f"{name}-{group.pk}"
