"""Who sees UKG results and imports.

Results are personal data: a person sees their own; offices, supervisors and school heads
see the results of the people in their scope; a ketua sees the members of the group.
Imports are seen by whoever uploaded them; only offices import.
"""

from django.db.models import Q

from gugus.communities.models import Membership
from gugus.communities.policies import chaired
from gugus.competency.models import Result, UkgEvent, UkgImport
from gugus.core.access import VIEW, Policy, actor_for, any_of, grant_covers, region_q, register
from gugus.core.roles import OVERSIGHT_ROLES, Role


@register
class ResultPolicy(Policy):
    model = Result

    def visible_q(self, actor):
        own = Q(person_id=actor.person_id) if actor.person_id else Q(pk__in=[])
        members = Membership.objects.filter(group_id__in=chaired(actor), ended_on__isnull=True)
        return any_of(
            region_q(
                actor.grants_for(OVERSIGHT_ROLES),
                province="province_id",
                regency="regency_id",
                school="school_id",
            ),
            own,
            Q(person_id__in=members.values("person_id")),
        )

    def can(self, actor, action, obj):
        return action == VIEW and self.can_view(actor, obj)


@register
class UkgEventPolicy(Policy):
    """A UKG sitting (its code, name and year) is public to every user; the test is
    national, so only a national office creates one."""

    model = UkgEvent

    def visible_q(self, actor):
        return None

    def can(self, actor, action, obj):
        if action == VIEW:
            return True
        return bool(actor.grants_for((Role.ADMIN_PUSAT,)))


@register
class UkgImportPolicy(Policy):
    model = UkgImport

    def visible_q(self, actor):
        return Q(user_id=actor.user.pk)

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        return actor.is_office


# Below this many teachers a school's or group's figures would point at individuals.
SMALL_CELL = 5


def sees_individual_results(user, *, level: str, key: str, province_id, regency_id) -> bool:
    """Whether the user may see the results of every teacher behind a school's or a
    group's figures: an office, supervisor or head covering it, or the group's ketua."""
    actor = actor_for(user)
    if actor.is_superuser:
        return True
    school_id = int(key) if level == "sekolah" else None
    if any(
        grant_covers(g, province_id=province_id, regency_id=regency_id, school_id=school_id)
        for g in actor.grants_for(OVERSIGHT_ROLES)
    ):
        return True
    return level == "kelompok" and int(key) in chaired(actor)
