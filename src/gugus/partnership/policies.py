"""Who sees and runs partnership cohorts.

A cohort belongs to the offices of its ministry: those whose scope overlaps its region see
it, those covering its whole region run it (a BBGP/BGP included: the partnership is a
development programme, not the registry). A teacher sees the cohorts they take part in,
their own record and the teachers they are paired with; scores of others stay with the
offices. A visit is seen by its teachers and changed (rundown, attendance) by its host and
the offices running the cohort; an action plan is written by its partner.
"""

from django.db.models import Q

from gugus.core.access import (
    CHANGE,
    VIEW,
    Policy,
    any_of,
    covers_whole_region,
    overlap_q,
    register,
)
from gugus.partnership.models import (
    ActionPlan,
    Cohort,
    ObservationNote,
    Pair,
    PairExclusion,
    Participant,
    RundownItem,
    Tier,
    Visit,
    VisitAttendance,
)

# Writing an observation note on a visit: its teachers and the offices running the cohort.
NOTE = "note"


def runs(actor, cohort: Cohort) -> bool:
    """An office of the cohort's ministry whose scope covers the cohort's whole region."""
    return covers_whole_region(actor, cohort)


@register
class CohortPolicy(Policy):
    model = Cohort

    def visible_q(self, actor):
        own = (
            Q(pk__in=Participant.objects.filter(person_id=actor.person_id).values("cohort_id"))
            if actor.person_id
            else Q(pk__in=[])
        )
        return any_of(overlap_q(actor), own)

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
        offices = overlap_q(actor, "cohort__")
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
        return any_of(overlap_q(actor, "cohort__"), own)

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
        return overlap_q(actor, "cohort__")

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        return runs(actor, obj.cohort)


def _mine(actor):
    return Participant.objects.filter(person_id=actor.person_id)


@register
class VisitPolicy(Policy):
    model = Visit

    def visible_q(self, actor):
        own = Q(pk__in=[])
        if actor.person_id:
            mine = _mine(actor)
            own = (
                Q(host__in=mine)
                | Q(partner__in=mine)
                | Q(
                    direction=Visit.Direction.OJL,
                    host__in=Pair.objects.filter(partner__in=mine).values("host"),
                )
            )
        return any_of(overlap_q(actor, "cohort__"), own)

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        if runs(actor, obj.cohort):
            return True
        if action == NOTE:
            return (
                self.can_view(actor, obj)
                and bool(actor.person_id)
                and (
                    obj.host.person_id == actor.person_id
                    or _mine(actor).filter(pk=obj.partner_id).exists()
                    or Pair.objects.filter(host_id=obj.host_id, partner__in=_mine(actor)).exists()
                )
            )
        return bool(actor.person_id) and obj.host.person_id == actor.person_id


class _OfVisit(Policy):
    """Parts of a visit go with the visit."""

    def visible_q(self, actor):
        return Q(visit__in=VisitPolicy().visible(actor).values("pk"))

    def can(self, actor, action, obj):
        return VisitPolicy().can(actor, VIEW if action == VIEW else CHANGE, obj.visit)


@register
class RundownItemPolicy(_OfVisit):
    model = RundownItem


@register
class VisitAttendancePolicy(_OfVisit):
    model = VisitAttendance


@register
class ObservationNotePolicy(_OfVisit):
    model = ObservationNote


@register
class ActionPlanPolicy(Policy):
    """The partner's own; read by their host and the cohort's offices."""

    model = ActionPlan

    def visible_q(self, actor):
        own = (
            Q(participant__person_id=actor.person_id)
            | Q(participant__host_pair__host__person_id=actor.person_id)
            if actor.person_id
            else Q(pk__in=[])
        )
        return any_of(overlap_q(actor, "participant__cohort__"), own)

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        participant = obj.participant
        return runs(actor, participant.cohort) or (
            bool(actor.person_id) and participant.person_id == actor.person_id
        )
