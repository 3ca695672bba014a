"""Who sees and changes working groups and everything inside them.

Offices and supervisors see the groups of their region governed by their ministry (a group
is Kemenag's or Kemendikbud's, DOMAIN.md §1), and the governing offices manage them
(register, verify, suspend, dissolve); a ketua sees and manages only their own group;
members see the groups they belong to.
Memberships, officers, activities, attendance, evidence and activeness follow their group.
"""

from django.db.models import Q

from gugus.communities.models import (
    ActivenessSnapshot,
    Activity,
    Attendance,
    Evidence,
    Membership,
    Officer,
    WorkingGroup,
)
from gugus.core.access import VIEW, Policy, any_of, office_covers, region_q, register
from gugus.core.roles import OVERSIGHT_ROLES, Role

# Actions on a group only an office may take (`register`: the registration steps of
# `communities.workflow.GROUP` after submission); everything else a ketua may do too.
OFFICE_ACTIONS = {"register", "create", "manage_trainer"}


def chaired(actor) -> list[int]:
    return [g.group_id for g in actor.grants_for((Role.KETUA_KELOMPOK,))]


def may_manage(actor, group: WorkingGroup, action: str = "change") -> bool:
    if office_covers(
        actor,
        province_id=group.province_id,
        regency_id=group.regency_id,
        ministry=group.ministry,
        governing=True,
    ):
        return True
    return action not in OFFICE_ACTIONS and group.pk in chaired(actor)


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
                ministry="ministry",
            ),
            Q(pk__in=chaired(actor)),
            # One's own groups as a few ids read first: as a subquery ORed with the scope,
            # PostgreSQL scanned every group of the country for each list it filtered.
            Q(
                pk__in=list(
                    Membership.objects.filter(
                        person_id=actor.person_id, ended_on__isnull=True
                    ).values_list("group_id", flat=True)
                )
            )
            if actor.person_id
            else Q(pk__in=[]),
        )

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        return may_manage(actor, obj, action)


class _InsideGroupPolicy(Policy):
    """Objects that belong to a group: visible with the group, changed by its managers."""

    group_path = "group"

    def visible_q(self, actor):
        groups = WorkingGroupPolicy().visible(actor).values("pk")
        return Q(**{f"{self.group_path}__in": groups})

    def group_of(self, obj) -> WorkingGroup:
        return obj.group

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        return may_manage(actor, self.group_of(obj))


@register
class MembershipPolicy(_InsideGroupPolicy):
    model = Membership


@register
class OfficerPolicy(_InsideGroupPolicy):
    model = Officer


@register
class ActivityPolicy(_InsideGroupPolicy):
    model = Activity


@register
class ActivenessSnapshotPolicy(_InsideGroupPolicy):
    model = ActivenessSnapshot


@register
class AttendancePolicy(_InsideGroupPolicy):
    model = Attendance
    group_path = "activity__group"

    def group_of(self, obj):
        return obj.activity.group


@register
class EvidencePolicy(_InsideGroupPolicy):
    model = Evidence
    group_path = "activity__group"

    def group_of(self, obj):
        return obj.activity.group
