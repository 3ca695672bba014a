"""Reads of performance management, always through the scoping layer: a person's
semester and what to do next, a head's teachers by stage, completion by school and stage
for supervisors and offices, and the export toward e-Kinerja."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery, Value
from django.utils.translation import gettext_lazy as _

from gugus.communities.models import Activity
from gugus.core import clock
from gugus.core.access import CHANGE, actor_for, can, visible
from gugus.core.roles import Role, ScopeLevel
from gugus.directory.models import School
from gugus.performance.models import Plan, Stage
from gugus.performance.policies import SUPERVISE
from gugus.training import transcript

STEP_LABELS = {
    "plan": _("Write the plan"),
    "await_plan": _("Waiting for the plan"),
    "submit": _("Send the plan for agreement"),
    "review": _("Agree or return the plan"),
    "wait": _("Wait for the superior's agreement"),
    "stage": _("Next stage: %(stage)s"),
    "observe": _("Observe the lesson against the rubric"),
    "rate": _("Rate the cycle's three aspects"),
    "assess": _("Assess work results and behaviour"),
    "done": _("Assessed"),
}


def current_stage(plan: Plan) -> Stage | None:
    """The first stage of the plan's cycle not done yet."""
    cycle = getattr(plan, "cycle", None)
    if cycle is None:
        return None
    return next((s for s in cycle.stages.all() if s.done_at is None), None)


def next_step(user, plan: Plan) -> tuple[str, str]:
    """What the reader does next on this plan: a code and its words."""
    mine = can(user, CHANGE, plan)
    superior = can(user, SUPERVISE, plan)
    status = plan.status
    if status in (Plan.Status.DRAFT, Plan.Status.RETURNED):
        return (
            ("submit", str(STEP_LABELS["submit"]))
            if mine
            else (
                "wait",
                str(STEP_LABELS["await_plan"]),
            )
        )
    if status == Plan.Status.SUBMITTED:
        return (
            ("review", str(STEP_LABELS["review"]))
            if superior
            else ("wait", str(STEP_LABELS["wait"]))
        )
    if status == Plan.Status.ASSESSED:
        return "done", str(STEP_LABELS["done"])
    stage = current_stage(plan)
    if stage is not None:
        if stage.kind == Stage.Kind.OBSERVATION and superior:
            return "observe", str(STEP_LABELS["observe"])
        return "stage", str(STEP_LABELS["stage"]) % {"stage": stage.get_kind_display()}
    cycle = plan.cycle
    if None in (cycle.reflect, cycle.learn, cycle.change):
        return "rate", str(STEP_LABELS["rate"])
    return "assess", str(STEP_LABELS["assess"])


def plans_with_progress(user, period):
    """The plans the reader may see in the semester, with their cycle and stages read at
    once (a head's thirty teachers cost the same few queries as one)."""
    return (
        visible(user, Plan)
        .filter(period=period)
        .select_related("period", "person", "school", "practice", "cycle")
        .prefetch_related(Prefetch("cycle__stages", queryset=Stage.objects.order_by("kind")))
        .order_by("school__name", "role", "person__name", "pk")
    )


def position_of(plan: Plan) -> str:
    """Where a plan stands: a plan status, or the number of its current stage."""
    stage = current_stage(plan)
    return _position(plan.status, stage.kind if stage else None)


def _position(status: str, stage_kind: int | None) -> str:
    if status != Plan.Status.AGREED:
        return status
    return f"stage{stage_kind}" if stage_kind else "cycle_done"


def is_late(plan: Plan, today: datetime.date) -> bool:
    """A step left undone after its window closed: the plan not agreed once planning
    closed, the cycle unfinished once implementation closed, no rating once assessment
    closed."""
    return _late(plan.status, current_stage(plan) is not None, plan.period, today)


def _late(status: str, stage_open: bool, period, today: datetime.date) -> bool:
    if status == Plan.Status.ASSESSED:
        return False
    if today > period.assess_closes:
        return True
    if status != Plan.Status.AGREED:
        return today > period.plan_closes
    return today > period.run_closes and stage_open


class SchoolRow(NamedTuple):
    """A school as completion names it: thousands of model instances cost more than
    counting their plans did."""

    pk: int
    npsn: str
    name: str


def completion(user, period) -> list[dict]:
    """Per school, the schools furthest behind first: how many plans, how many late (a
    window closed with their step undone), how many assessed, and the predikat given.
    Counted by the database per school; where each plan stands (`with_positions`) is
    worked out for the schools shown only, since it reads every plan's stages."""
    today = clock.today()
    plans = visible(user, Plan).filter(period=period).order_by()
    # Whether a cycle is unfinished matters for lateness only once implementation closed.
    asks_stages = period.run_closes < today <= period.assess_closes
    if asks_stages:
        plans = plans.annotate(
            stage_open=Exists(Stage.objects.filter(cycle__plan=OuterRef("pk"), done_at=None))
        )
    else:
        plans = plans.annotate(stage_open=Value(False))
    rows: dict[int, dict] = {}
    for school_id, status, stage_open, predikat, n in plans.values_list(
        "school_id", "status", "stage_open", "predikat"
    ).annotate(n=Count("pk")):
        row = rows.setdefault(
            school_id,
            {"counts": Counter(), "predikat": Counter(), "total": 0, "assessed": 0, "late": 0},
        )
        row["total"] += n
        row["late"] += n if _late(status, stage_open, period, today) else 0
        if status == Plan.Status.ASSESSED:
            row["assessed"] += n
            row["predikat"][predikat] += n
    for pk, npsn, name in School.objects.filter(pk__in=list(rows)).values_list(
        "pk", "npsn", "name"
    ):
        rows[pk]["school"] = SchoolRow(pk, npsn, name)
    for row in rows.values():
        row["predikat"] = sorted(row["predikat"].items())  # a Counter reads 0 for .items
    return sorted(
        rows.values(), key=lambda r: (-r["late"], r["assessed"] / r["total"], r["school"].name)
    )


def with_positions(user, period, rows: list[dict]) -> list[dict]:
    """Fill in where the plans of these schools stand (each step, each stage)."""
    open_stage = (
        Stage.objects.filter(cycle__plan=OuterRef("pk"), done_at__isnull=True)
        .order_by("kind")
        .values("kind")[:1]
    )
    by_school = {row["school"].pk: row for row in rows}
    counted = (
        visible(user, Plan)
        .filter(period=period, school_id__in=list(by_school))
        .order_by()
        .annotate(stage_now=Subquery(open_stage))
        .values_list("school_id", "status", "stage_now")
        .annotate(n=Count("pk"))
    )
    for school_id, status, stage_now, n in counted:
        by_school[school_id]["counts"][_position(status, stage_now)] += n
    return rows


def supervised(user, period):
    """The plans of the semester the reader may supervise, other than their own: a
    head's teachers, and the heads a supervisor or office oversees. Narrowed in the query
    to those kinds (a province office pages through its heads' plans, never reading its
    teachers'); the policy confirms each plan shown (`can(user, SUPERVISE, plan)`)."""
    actor = actor_for(user)
    plans = plans_with_progress(user, period).exclude(person_id=actor.person_id)
    if actor.is_superuser:
        return plans
    heads = actor.grants_for([Role.KEPALA_SEKOLAH])
    headed = [g.school_id for g in heads if g.level == ScopeLevel.SEKOLAH]
    return plans.filter(Q(role=Plan.Role.GURU, school_id__in=headed) | Q(role=Plan.Role.KEPALA))


POSITIONS = [
    ("draft", _("Draft")),
    ("returned", _("Returned")),
    ("submitted", _("Waiting for agreement")),
    *[(f"stage{k}", label) for k, label in Stage.Kind.choices],
    ("cycle_done", _("Cycle done")),
    ("assessed", _("Assessed")),
]


def predikat_distribution(user, period) -> dict[str, int]:
    return dict(
        visible(user, Plan)
        .filter(period=period, status=Plan.Status.ASSESSED)
        .order_by()
        .values_list("predikat")
        .annotate(n=Count("pk"))
    )


def export_rows(user, period) -> list[dict]:
    """The assessed plans toward e-Kinerja: civil servants only (a NIP; PPPK carry theirs
    too), with the period, both ratings and the predikat."""
    rows = []
    for plan in (
        visible(user, Plan)
        .filter(period=period, status=Plan.Status.ASSESSED)
        .exclude(person__nip__isnull=True)
        .exclude(person__nip="")
        .select_related("person", "school")
        .order_by("school__npsn", "person__name", "pk")
    ):
        rows.append(
            {
                "nip": plan.person.nip,
                "name": plan.person.name,
                "npsn": plan.school.npsn,
                "period": f"{period.year}-{period.half}",
                "role": plan.role,
                "work_results": plan.work_results,
                "work_behaviour": plan.work_behaviour,
                "predikat": plan.predikat,
            }
        )
    return rows


@dataclass(frozen=True)
class Evidence:
    """Something Gugus already records that fits a competency-development item."""

    item: str  # PointItem.code
    label: str
    date: datetime.date
    reference: str  # "activity:12", "visit:3"


# Which competency-development item each kind of transcript entry is evidence for.
TRANSCRIPT_ITEMS = {
    "pelatihan": "pelatihan-mandiri",
    "pendampingan": "pelatihan-mandiri",
    "kegiatan-kelompok": "kegiatan-kelompok",
    "in-on-in": "in-on-in",
    "kemitraan": "kemitraan",
}


def evidence_for(plan: Plan) -> list[Evidence]:
    """The semester's records of the person that count toward the plan: the entries of
    their JP transcript (`training.transcript`: trainings completed, mentoring, group
    activities and In-On-In attended, partnership days) and the activities they led as
    facilitator."""
    period = plan.period
    start, end = period.plan_opens, max(period.assess_closes, period.run_closes)
    found = [
        Evidence(TRANSCRIPT_ITEMS[e.kind], f"{e.title} ({e.jp} JP)", e.date, e.reference)
        for e in transcript.entries(plan.person_id, start, end)
    ]
    for activity in Activity.objects.filter(
        facilitators=plan.person_id, date__range=(start, end)
    ).select_related("group"):
        found.append(
            Evidence(
                "narasumber",
                f"{activity.topic} · {activity.group.name}",
                activity.date,
                f"activity:{activity.pk}",
            )
        )
    return sorted(found, key=lambda e: (e.date, e.reference))


def quota_warning(plan: Plan, predikat: str = "baik") -> str | None:
    """With `GUGUS_PREDIKAT_QUOTA` (percent per predikat, e.g. at most 70 % Baik), the
    assessor's warning when the school's assessed plans of the semester already reach it.
    A warning only: the rating stays the assessor's."""
    limit = settings.GUGUS_PREDIKAT_QUOTA.get(predikat)
    if not limit:
        return None
    assessed = Plan.objects.filter(
        period_id=plan.period_id, school_id=plan.school_id, status=Plan.Status.ASSESSED
    ).exclude(pk=plan.pk)
    total = assessed.count() + 1
    rated = assessed.filter(predikat=predikat).count() + 1
    share = 100 * rated / total
    if share <= limit:
        return None
    label = dict(Plan._meta.get_field("predikat").choices)[predikat]
    return str(
        _(
            "Rating this plan %(label)s makes %(rated)d of %(total)d assessed plans of the "
            "school %(label)s (%(share)d%%), above the quota of %(limit)d%%."
        )
        % {"label": label, "rated": rated, "total": total, "share": share, "limit": limit}
    )
