"""Who sees and runs partnership cohorts.

A cohort belongs to the offices of its ministry: those whose scope overlaps its region see
it, those covering its whole region run it (a BBGP/BGP included: the partnership is a
development programme, not the registry). A teacher sees the cohorts they take part in,
their own record and the teachers they are paired with; scores of others stay with the
offices.
"""

from django.db.models import Q

from gugus.core.access import VIEW, Policy, any_of, register
from gugus.core.roles import OFFICE_ROLES, ScopeLevel
from gugus.partnership.models import Cohort, Pair, PairExclusion, Participant, Tier


def _overlap_q(actor, prefix: str = "") -> Q | None:
    """Cohorts whose region overlaps an office grant of the actor, of the same ministry."""
    q = Q(pk__in=[])
    for g in actor.grants_for(OFFICE_ROLES):
        same = Q(**{f"{prefix}ministry": g.ministry}) if g.ministry else Q()
        national = Q(**{f"{prefix}province__isnull": True, f"{prefix}regency__isnull": True})
        if g.level == ScopeLevel.NASIONAL:
            if not same:
                return None
            q |= same
        elif g.level == ScopeLevel.PROVINSI:
            q |= same & (
                national
                | Q(**{f"{prefix}province_id": g.province_id})
                | Q(**{f"{prefix}regency__province_id": g.province_id})
            )
        elif g.level == ScopeLevel.KABKOTA:
            province = g.regency_id.split(".")[0]
            q |= same & (
                national
                | Q(**{f"{prefix}province_id": province, f"{prefix}regency__isnull": True})
                | Q(**{f"{prefix}regency_id": g.regency_id})
            )
    return q


def runs(actor, cohort: Cohort) -> bool:
    """An office of the cohort's ministry whose scope covers the cohort's whole region."""
    if actor.is_superuser:
        return True
    for g in actor.grants_for(OFFICE_ROLES):
        if not g.serves(cohort.ministry):
            continue
        if g.level == ScopeLevel.NASIONAL:
            return True
        province = cohort.province_id or (
            cohort.regency_id.split(".")[0] if cohort.regency_id else None
        )
        if g.level == ScopeLevel.PROVINSI and province and g.province_id == province:
            return True
        if g.level == ScopeLevel.KABKOTA and cohort.regency_id == g.regency_id:
            return True
    return False


@register
class CohortPolicy(Policy):
    model = Cohort

    def visible_q(self, actor):
        own = (
            Q(pk__in=Participant.objects.filter(person_id=actor.person_id).values("cohort_id"))
            if actor.person_id
            else Q(pk__in=[])
        )
        return any_of(_overlap_q(actor), own)

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        return runs(actor, obj)


def _paired_with(actor) -> Q:
    """The participants paired with the actor's own participations."""
    mine = Participant.objects.filter(person_id=actor.person_id)
    return Q(partners__partner__in=mine) | Q(host_pair__host__in=mine)


@register
class ParticipantPolicy(Policy):
    model = Participant

    def visible_q(self, actor):
        own = (
            Q(person_id=actor.person_id) | _paired_with(actor) if actor.person_id else Q(pk__in=[])
        )
        offices = _overlap_q(actor, "cohort__")
        return any_of(offices, own)

    def visible(self, actor, queryset=None):
        return super().visible(actor, queryset).distinct()

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        return runs(actor, obj.cohort)


@register
class PairPolicy(Policy):
    model = Pair

    def visible_q(self, actor):
        own = (
            Q(host__person_id=actor.person_id) | Q(partner__person_id=actor.person_id)
            if actor.person_id
            else Q(pk__in=[])
        )
        return any_of(_overlap_q(actor, "cohort__"), own)

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        return runs(actor, obj.cohort)


@register
class TierPolicy(Policy):
    model = Tier

    def visible_q(self, actor):
        return Q(cohort__in=CohortPolicy().visible(actor).values("pk"))

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        return runs(actor, obj.cohort)


@register
class PairExclusionPolicy(Policy):
    model = PairExclusion

    def visible_q(self, actor):
        return _overlap_q(actor, "cohort__")

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        return runs(actor, obj.cohort)
