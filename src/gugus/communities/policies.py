"""Who sees and changes working groups and their memberships."""

from django.db.models import Q

from gugus.communities.models import Membership, WorkingGroup
from gugus.core.access import VIEW, Policy, any_of, office_covers, region_q, register
from gugus.core.roles import OVERSIGHT_ROLES, Role


def _chaired(actor) -> list[int]:
    return [g.group_id for g in actor.grants_for((Role.KETUA_KELOMPOK,))]


@register
class WorkingGroupPolicy(Policy):
    model = WorkingGroup

    def visible_q(self, actor):
        return any_of(
            region_q(
                actor.grants_for(OVERSIGHT_ROLES),
                province="province",
                regency="regency",
                school="school",
            ),
            Q(pk__in=_chaired(actor)),
            Q(pk__in=Membership.objects.filter(person_id=actor.person_id).values("group_id"))
            if actor.person_id
            else Q(pk__in=[]),
        )

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        return obj.pk in _chaired(actor) or office_covers(
            actor, province_id=obj.province_id, regency_id=obj.regency_id
        )


@register
class MembershipPolicy(Policy):
    model = Membership

    def visible_q(self, actor):
        groups = WorkingGroupPolicy().visible(actor).values("pk")
        return Q(group_id__in=groups)

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        return WorkingGroupPolicy().can(actor, action, obj.group)
