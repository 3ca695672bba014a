"""What each person has to do next, for the home page: one list gathered from every app's
own rules (the workflows' "waiting for", the performance cycle's next step, the grant
deadlines), each item with how many and the page where it is done. Items are read through
the scoping layer, so a person is only ever told of work they may do.

- ketua: past activities still to record, held activities without attendance, grant
  applications closing, reports due and every proposal step waiting for them;
- teacher: their plan's next step, trainings coming and partnership visits;
- head and pengawas: plans waiting for their agreement, observations to hold, reports to
  verify;
- office: groups to verify, proposals to review, corrections, open nominations of their
  kab/kota and reports overdue.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from gugus.communities.models import Activity, Attendance, Officer, WorkingGroup
from gugus.core import clock
from gugus.core.access import actor_for, can, visible
from gugus.core.roles import OFFICE_ROLES, Role
from gugus.directory.models import CorrectionRequest, Person, Position
from gugus.grants import selectors as grant_selectors
from gugus.grants.models import GrantProgramme, Proposal
from gugus.partnership.models import Participant as Partner
from gugus.partnership.models import Visit
from gugus.performance import selectors as performance_selectors
from gugus.performance import services as performance_services
from gugus.performance.models import Plan, Stage
from gugus.performance.policies import SUPERVISE
from gugus.training.models import Event
from gugus.training.models import Participant as Trainee
from gugus.training.policies import nominating_regencies

SOON = datetime.timedelta(days=30)
# Who writes a performance plan each semester (DOMAIN.md §6): teachers and heads.
PLANNERS = (Position.GURU, Position.GURU_BK, Position.KEPALA)
SHOWN = 5  # items listed under a count; the link opens the rest


@dataclass
class Task:
    label: str
    count: int
    url: str
    due: datetime.date | None = None
    items: list | None = None  # (text, url) of the first few


def tasks_for(user) -> list[Task]:
    """Everything waiting for the user, the most pressing first (dated items by date)."""
    actor = actor_for(user)
    today = clock.today()
    found: list[Task] = []
    group_ids = _chaired_groups(actor)
    if group_ids:
        found += _chair(group_ids, today)
    found += _proposals(user)
    if actor.is_office:
        found += _office(user, actor, today)
    found += _supervision(user, actor)
    if actor.person_id:
        found += _own(user, actor.person_id, today)
    return sorted(
        (t for t in found if t.count),
        key=lambda t: (t.due is None, t.due or today, t.label),
    )


def _chaired_groups(actor) -> list[int]:
    ids = {g.group_id for g in actor.grants_for([Role.KETUA_KELOMPOK]) if g.group_id}
    if actor.person_id:
        ids |= set(
            Officer.objects.filter(
                person_id=actor.person_id, position="ketua", ended_on__isnull=True
            ).values_list("group_id", flat=True)
        )
    return sorted(ids)


def _chair(group_ids: list[int], today) -> list[Task]:
    past = Activity.objects.filter(
        group_id__in=group_ids, status=Activity.Status.PLANNED, date__lt=today
    ).order_by("date")
    unrecorded = Activity.objects.filter(
        group_id__in=group_ids, status=Activity.Status.HELD
    ).exclude(Exists(Attendance.objects.filter(activity=OuterRef("pk"))))
    tasks = [
        _listed(_("Activities past their date, still to record as held"), past, today),
        _listed(_("Activities held without attendance"), unrecorded.order_by("-date"), None),
    ]
    groups = WorkingGroup.objects.filter(pk__in=group_ids)
    closing = GrantProgramme.objects.filter(
        status=GrantProgramme.Status.OPEN, apply_until__gte=today, apply_until__lte=today + SOON
    ).exclude(Exists(Proposal.objects.filter(programme=OuterRef("pk"), group__in=groups)))
    for programme in closing.order_by("apply_until")[:SHOWN]:
        if any(grant_selectors.in_programme_region(g, programme) for g in groups):
            tasks.append(
                Task(
                    _("Grant applications close: %(name)s") % {"name": programme.name},
                    1,
                    reverse("programme_detail", args=[programme.pk]),
                    due=programme.apply_until,
                )
            )
    due = Proposal.objects.filter(
        group__in=groups,
        status=Proposal.Status.FUNDED,
        programme__period_end__lte=today + SOON,
    ).select_related("programme", "group")
    for proposal in due[:SHOWN]:
        tasks.append(
            Task(
                _("Accountability report (LPJ) due: %(group)s") % {"group": proposal.group.name},
                1,
                reverse("proposal_detail", args=[proposal.pk]),
                due=proposal.programme.period_end,
            )
        )
    return tasks


def _listed(label, qs, due) -> Task:
    rows = list(qs.select_related("group")[: SHOWN + 1])
    count = len(rows) if len(rows) <= SHOWN else qs.count()
    first = rows[0] if rows else None
    return Task(
        label,
        count,
        reverse("activity_detail", args=[first.pk]) if first else "",
        due=first.date if first and due else None,
        items=[
            (
                f"{a.date:%d/%m/%Y} · {a.topic} · {a.group.name}",
                reverse("activity_detail", args=[a.pk]),
            )
            for a in rows[:SHOWN]
        ],
    )


def _activity_url(activity) -> str:
    return reverse("activity_detail", args=[activity.pk])


def _proposal_url(proposal) -> str:
    return reverse("proposal_detail", args=[proposal.pk])


def _proposals(user) -> list[Task]:
    """Every proposal step waiting for this user (prepare, report, review, verify), as the
    grant workflow's own "waiting for" table says."""
    waiting = grant_selectors.awaiting(user)
    by_step = Counter(todo for _p, todo in waiting)
    tasks = []
    for todo, n in by_step.items():
        proposals = [p for p, t in waiting if t == todo]
        tasks.append(
            Task(
                str(todo),
                n,
                reverse("proposal_detail", args=[proposals[0].pk]),
                items=[
                    (
                        f"{p.group.name} · {p.programme.name}",
                        reverse("proposal_detail", args=[p.pk]),
                    )
                    for p in proposals[:SHOWN]
                ],
            )
        )
    return tasks


def _office(user, actor, today) -> list[Task]:
    tasks = []
    if any(g.governs for g in actor.grants_for(OFFICE_ROLES)) or actor.is_superuser:
        groups = visible(user, WorkingGroup).filter(status=WorkingGroup.Status.SUBMITTED)
        tasks.append(
            Task(
                _("Groups waiting for verification"),
                groups.count(),
                reverse("group_list") + "?status=submitted",
            )
        )
    corrections = visible(user, CorrectionRequest).filter(status=CorrectionRequest.Status.PENDING)
    tasks.append(
        Task(_("Correction requests waiting"), corrections.count(), reverse("correction_list"))
    )
    nominating = visible(user, Event).filter(
        status=Event.Status.NOMINATING, nominations_close__gte=today
    )
    own = [
        e for e in nominating.order_by("nominations_close")[:20] if nominating_regencies(actor, e)
    ]
    if own:
        tasks.append(
            Task(
                _("Trainings open for your nominations"),
                len(own),
                reverse("training_nominations"),
                due=own[0].nominations_close,
            )
        )
    overdue = visible(user, Proposal).filter(
        status=Proposal.Status.FUNDED, programme__period_end__lt=today
    )
    tasks.append(Task(_("Grant reports overdue"), overdue.count(), reverse("programme_list")))
    return tasks


def _supervision(user, actor) -> list[Task]:
    """Heads and supervisors: the current semester's plans they supervise, waiting for
    agreement or for the observation they hold."""
    if not actor.grants_for([Role.KEPALA_SEKOLAH, Role.PENGAWAS]):
        return []
    period = performance_services.period_for()
    plans = [
        p
        for p in performance_selectors.supervised(user, period).filter(
            status__in=(Plan.Status.SUBMITTED, Plan.Status.AGREED)
        )[:500]
        if can(user, SUPERVISE, p)
    ]
    to_agree = [p for p in plans if p.status == Plan.Status.SUBMITTED]
    to_observe = [
        p
        for p in plans
        if p.status == Plan.Status.AGREED
        and (stage := performance_selectors.current_stage(p)) is not None
        and stage.kind == Stage.Kind.OBSERVATION
    ]
    return [
        _plans(_("Performance plans waiting for your agreement"), to_agree),
        _plans(_("Observations to hold"), to_observe),
    ]


def _plans(label, plans) -> Task:
    return Task(
        label,
        len(plans),
        reverse("plan_detail", args=[plans[0].pk]) if plans else "",
        items=[(p.person.name, reverse("plan_detail", args=[p.pk])) for p in plans[:SHOWN]],
    )


def _own(user, person_id: int, today) -> list[Task]:
    tasks = []
    plan = (
        Plan.objects.filter(person_id=person_id, period=performance_services.period_for())
        .select_related("cycle")
        .first()
    )
    position = Person.objects.filter(pk=person_id).values_list("position", flat=True).first()
    if plan is None and position in PLANNERS:
        tasks.append(Task(_("Write this semester's performance plan"), 1, reverse("semester")))
    elif plan is not None:
        code, words = performance_selectors.next_step(user, plan)
        if code not in ("wait", "done"):
            tasks.append(Task(words, 1, reverse("plan_detail", args=[plan.pk])))
    coming = Trainee.objects.filter(
        person_id=person_id,
        status=Trainee.Status.NOMINATED,
        event__ends_on__gte=today,
    ).select_related("event")
    for trainee in coming.order_by("event__starts_on")[:SHOWN]:
        tasks.append(
            Task(
                _("Training: %(title)s") % {"title": trainee.event.title},
                1,
                reverse("my_training"),
                due=trainee.event.starts_on,
            )
        )
    mine = Partner.objects.filter(person_id=person_id).exclude(status=Partner.Status.EXCLUDED)
    visit = (
        Visit.objects.filter(Q(host__in=mine) | Q(partner__in=mine), start__gte=today)
        .order_by("start")
        .first()
    )
    if visit:
        tasks.append(Task(_("Partnership visit"), 1, reverse("my_partnership"), due=visit.start))
    return tasks
