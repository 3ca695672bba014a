"""Who sees which region's figures and reports: offices and supervisors, for the regions
their grants cover (both ministries side by side: the figures are counts, not anyone's
record, and each list behind a number is narrowed again by its own policy). A school's
outcomes are seen with the school."""

from __future__ import annotations

from django.db.models import Q

from gugus.core.access import VIEW, Policy, register, visible
from gugus.core.roles import OVERSIGHT_ROLES, ScopeLevel
from gugus.directory.models import School
from gugus.insights.models import Report, SchoolOutcome

REGION_LEVELS = (ScopeLevel.NASIONAL, ScopeLevel.PROVINSI, ScopeLevel.KABKOTA)


def region_grants(actor) -> list:
    return [g for g in actor.grants_for(OVERSIGHT_ROLES) if g.level in REGION_LEVELS]


def scopes_q(actor, field: str = "scope") -> Q | None:
    """The places (``N``, ``P:35``, ``K:35.78``, ``S:35``) the actor's grants cover, as a
    filter on `field`; None for all of them."""
    if actor.is_superuser:
        return None
    q = Q(pk__in=[])
    for g in region_grants(actor):
        if g.level == ScopeLevel.NASIONAL:
            return None
        if g.level == ScopeLevel.PROVINSI:
            q |= Q(**{field: f"P:{g.province_id}"}) | Q(**{field: f"S:{g.province_id}"})
            q |= Q(**{f"{field}__startswith": f"K:{g.province_id}."})
        else:
            q |= Q(**{field: f"K:{g.regency_id}"})
    return q


def covers(actor, scope: str) -> bool:
    if actor.is_superuser:
        return True
    for g in region_grants(actor):
        if g.level == ScopeLevel.NASIONAL:
            return True
        code = scope.partition(":")[2]
        if g.level == ScopeLevel.PROVINSI and scope != "N" and code[:2] == g.province_id:
            return True
        if g.level == ScopeLevel.KABKOTA and scope == f"K:{g.regency_id}":
            return True
    return False


@register
class ReportPolicy(Policy):
    model = Report

    def visible_q(self, actor):
        return scopes_q(actor)

    def can(self, actor, action, obj):
        return action == VIEW and covers(actor, obj.scope)


@register
class SchoolOutcomePolicy(Policy):
    model = SchoolOutcome

    def visible_q(self, actor):
        return Q(school__in=visible(actor, School))

    def can(self, actor, action, obj):
        return action == VIEW and self.can_view(actor, obj)
