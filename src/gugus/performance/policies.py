"""Who sees and acts on performance plans.

A plan is seen by its person, by the head of its school, by the supervisors and offices
whose scope covers the school and who act for its ministry. A teacher writes their own
plan; their superior agrees it, observes and assesses: the school's head for a teacher,
a supervisor (or office) of the school's ministry for a head. Semesters are national:
the national office sets and extends their windows.
"""

from django.db.models import Q

from gugus.core.access import (
    VIEW,
    Policy,
    any_of,
    grant_covers,
    office_covers,
    region_q,
    register,
)
from gugus.core.roles import OFFICE_ROLES, OVERSIGHT_ROLES, Role, ScopeLevel
from gugus.performance.models import Cycle, ObservationRating, Period, Plan, PlanItem, Stage


def is_national_office(actor) -> bool:
    """Semesters and the catalogues are national: kept by the national office."""
    return actor.is_superuser or any(
        g.level == ScopeLevel.NASIONAL for g in actor.grants_for(OFFICE_ROLES)
    )


# The superior's actions: agree or return the plan, run the observation, assess.
SUPERVISE = "supervise"


def is_superior(actor, plan: Plan) -> bool:
    """The head of the plan's school for a teacher; for a head, a supervisor or office of
    the school's ministry covering it."""
    if actor.is_superuser:
        return True
    place = {
        "province_id": plan.province_id,
        "regency_id": plan.regency_id,
        "school_id": plan.school_id,
        "ministry": plan.ministry,
    }
    if plan.role == Plan.Role.GURU:
        return (
            any(
                g.level == ScopeLevel.SEKOLAH and g.school_id == plan.school_id
                for g in actor.grants_for([Role.KEPALA_SEKOLAH])
            )
            and plan.person_id != actor.person_id
        )
    return any(grant_covers(g, **place) for g in actor.grants_for([Role.PENGAWAS])) or (
        office_covers(
            actor,
            province_id=plan.province_id,
            regency_id=plan.regency_id,
            ministry=plan.ministry,
        )
    )


@register
class PlanPolicy(Policy):
    model = Plan

    def visible_q(self, actor):
        return any_of(
            region_q(
                actor.grants_for(OVERSIGHT_ROLES),
                province="province",
                regency="regency",
                school="school",
                ministry="ministry",
            ),
            Q(person_id=actor.person_id) if actor.person_id else Q(pk__in=[]),
        )

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        if action == SUPERVISE:
            return is_superior(actor, obj)
        return bool(actor.person_id) and obj.person_id == actor.person_id


class _OfPlan(Policy):
    """Parts of a plan go with the plan."""

    path = "plan"

    def visible_q(self, actor):
        return Q(**{f"{self.path}__in": PlanPolicy().visible(actor).values("pk")})

    def plan_of(self, obj) -> Plan:
        return obj.plan

    def can(self, actor, action, obj):
        return PlanPolicy().can(actor, action, self.plan_of(obj))


@register
class PlanItemPolicy(_OfPlan):
    model = PlanItem


@register
class CyclePolicy(_OfPlan):
    model = Cycle


@register
class StagePolicy(_OfPlan):
    model = Stage
    path = "cycle__plan"

    def plan_of(self, obj):
        return obj.cycle.plan


@register
class ObservationRatingPolicy(StagePolicy):
    model = ObservationRating


@register
class PeriodPolicy(Policy):
    model = Period

    def visible_q(self, actor):
        return None

    def can(self, actor, action, obj):
        return action == VIEW or is_national_office(actor)
