"""Who sees and runs training events.

An event belongs to its organiser: the offices of its ministry covering its whole region
run it (a BBGP/BGP included: training is what a centre does), or, for a group's own event,
the group's ketua. Offices whose region overlaps the event's see it; a kab/kota office
nominates and sees only the participants of its kab/kota. Facilitators form the committee
that checks participants in. A participant sees their own record, certificate, mentoring
and cascades; a mentor the participants assigned to them.
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
    whole_region_q,
)
from gugus.core.roles import OFFICE_ROLES, Role, ScopeLevel
from gugus.training.models import (
    Cascade,
    Certificate,
    CheckIn,
    Evaluation,
    Event,
    Facilitator,
    Material,
    Mentoring,
    MentoringVisit,
    Participant,
    Quota,
    Session,
    Venue,
)

# Nominating participants for one kab/kota's quota.
NOMINATE = "nominate"
# Checking participants in and recording their scores: the committee.
CHECK_IN = "check_in"
# Acting on a participant's record at all: the committee, the participant, their mentor.
ACT = "act"


def _chaired_groups(actor) -> list[int]:
    return [g.group_id for g in actor.grants_for((Role.KETUA_KELOMPOK,)) if g.group_id]


def runs(actor, event: Event) -> bool:
    """The organiser: an office covering the event's whole region for its ministry, or the
    ketua of the organising group."""
    if event.group_id:
        return actor.is_superuser or event.group_id in _chaired_groups(actor)
    return covers_whole_region(actor, event)


def runs_q(actor, prefix: str = "") -> Q | None:
    offices = whole_region_q(actor, prefix)
    if offices is None:
        return None
    return Q(**{f"{prefix}group__isnull": True}) & offices | Q(
        **{f"{prefix}group_id__in": _chaired_groups(actor)}
    )


def _facilitating(actor, prefix: str = "") -> Q:
    if not actor.person_id:
        return Q(pk__in=[])
    return Q(
        **{f"{prefix}pk__in": Facilitator.objects.filter(person_id=actor.person_id).values("event")}
    )


def is_committee(actor, event: Event) -> bool:
    return runs(actor, event) or (
        bool(actor.person_id)
        and Facilitator.objects.filter(event=event, person_id=actor.person_id).exists()
    )


def nominating_regencies(actor, event: Event) -> set[str] | None:
    """The kab/kota whose quota the actor fills: every one for the organiser (None), its
    own for a kab/kota office of the event's ministry."""
    if runs(actor, event):
        return None
    return {
        g.regency_id
        for g in actor.grants_for(OFFICE_ROLES)
        if g.level == ScopeLevel.KABKOTA and g.serves(event.ministry)
    }


def can_nominate(actor, event: Event, regency_id: str) -> bool:
    regencies = nominating_regencies(actor, event)
    return regencies is None or regency_id in regencies


def _own_participations(actor) -> Q:
    if not actor.person_id:
        return Q(pk__in=[])
    return Q(person_id=actor.person_id)


@register
class EventPolicy(Policy):
    model = Event

    def visible_q(self, actor):
        own = Q(pk__in=[])
        if actor.person_id:
            mine = Participant.objects.filter(person_id=actor.person_id)
            mentored = Mentoring.objects.filter(mentor_id=actor.person_id)
            own = (
                Q(pk__in=mine.values("event"))
                | Q(pk__in=mentored.values("participant__event"))
                | _facilitating(actor)
            )
        return any_of(overlap_q(actor), runs_q(actor), own)

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        if action == CHECK_IN:
            return is_committee(actor, obj)
        if action == NOMINATE:
            regencies = nominating_regencies(actor, obj)
            return regencies is None or bool(regencies)
        return runs(actor, obj)


class _OfEvent(Policy):
    """Venues, sessions, facilitators, materials and quotas go with the event."""

    def visible_q(self, actor):
        return Q(event__in=EventPolicy().visible(actor).values("pk"))

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        return runs(actor, obj.event)


@register
class VenuePolicy(_OfEvent):
    model = Venue


@register
class SessionPolicy(_OfEvent):
    model = Session


@register
class FacilitatorPolicy(_OfEvent):
    model = Facilitator


@register
class MaterialPolicy(_OfEvent):
    model = Material


@register
class QuotaPolicy(_OfEvent):
    model = Quota


def _participants_q(actor, prefix: str = "") -> Q | None:
    """Participants the actor sees: all of the events they run or facilitate, those of
    their own kab/kota for a kab/kota office of the event's ministry, their own record and
    those they mentor."""
    kabkota = Q(pk__in=[])
    for g in actor.grants_for(OFFICE_ROLES):
        if g.level == ScopeLevel.KABKOTA:
            same = Q(**{f"{prefix}event__ministry": g.ministry}) if g.ministry else Q()
            kabkota |= same & Q(**{f"{prefix}regency_id": g.regency_id})
    own = Q(pk__in=[])
    if actor.person_id:
        own = (
            Q(**{f"{prefix}person_id": actor.person_id})
            | Q(**{f"{prefix}mentorings__mentor_id": actor.person_id})
            | _facilitating(actor, f"{prefix}event__")
        )
    return any_of(runs_q(actor, f"{prefix}event__"), kabkota, own)


@register
class ParticipantPolicy(Policy):
    model = Participant

    def visible_q(self, actor):
        return _participants_q(actor)

    def visible(self, actor, queryset=None):
        return super().visible(actor, queryset).distinct()

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        if action == NOMINATE:
            return can_nominate(actor, obj.event, obj.regency_id)
        if action == CHECK_IN:
            return is_committee(actor, obj.event)
        if action == ACT:
            return (
                is_committee(actor, obj.event)
                or (bool(actor.person_id) and obj.person_id == actor.person_id)
                or obj.mentorings.filter(mentor_id=actor.person_id or 0).exists()
            )
        return runs(actor, obj.event)


class _OfParticipant(Policy):
    """Parts of a participant's record are seen with it and changed by the committee."""

    def visible_q(self, actor):
        return Q(participant__in=ParticipantPolicy().visible(actor).values("pk"))

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        return is_committee(actor, obj.participant.event)


@register
class CheckInPolicy(_OfParticipant):
    model = CheckIn


@register
class EvaluationPolicy(Policy):
    """The participant's own; the organiser reads it (the pages show it without names)."""

    model = Evaluation

    def visible_q(self, actor):
        own = Q(participant__person_id=actor.person_id) if actor.person_id else Q(pk__in=[])
        return any_of(runs_q(actor, "participant__event__"), own)

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        return bool(actor.person_id) and obj.participant.person_id == actor.person_id


@register
class MentoringPolicy(_OfParticipant):
    model = Mentoring

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        # The mentor records visits; the organiser assigns and removes mentors.
        if action == CHANGE and actor.person_id and obj.mentor_id == actor.person_id:
            return True
        return runs(actor, obj.participant.event)


@register
class MentoringVisitPolicy(Policy):
    model = MentoringVisit

    def visible_q(self, actor):
        return Q(mentoring__in=MentoringPolicy().visible(actor).values("pk"))

    def can(self, actor, action, obj):
        return MentoringPolicy().can(actor, VIEW if action == VIEW else CHANGE, obj.mentoring)


@register
class CascadePolicy(_OfParticipant):
    """Recorded by the participant; seen with the participant's record."""

    model = Cascade

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        participant = obj.participant
        return runs(actor, participant.event) or (
            bool(actor.person_id) and participant.person_id == actor.person_id
        )


@register
class CertificatePolicy(_OfParticipant):
    """Seen by its holder and with the participant's record; issued and revoked by the
    organiser. Anyone may verify one through its token, which shows far less."""

    model = Certificate

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        return runs(actor, obj.participant.event)
