"""Who sees and manages users and their role assignments."""

from django.db.models import Q

from gugus.accounts.models import ApiToken, RoleAssignment, User
from gugus.core.access import VIEW, Actor, Policy, any_of, grant_covers, register
from gugus.core.roles import OFFICE_ROLES, ROLE_RANK, Role, ScopeLevel


def assignment_region(a: RoleAssignment) -> tuple[str | None, str | None]:
    """(province, regency) of an assignment's scope target; (None, None) for national."""
    for target in (a.group, a.school):
        if target is not None:
            return target.province_id, target.regency_id
    if a.regency_id:
        return a.regency.province_id, a.regency_id
    return a.province_id, None


def _assignment_region_q(actor: Actor, prefix: str = "") -> Q | None:
    q = Q(pk__in=[])
    for g in actor.grants_for(OFFICE_ROLES):
        if g.level == ScopeLevel.NASIONAL:
            return None
        if g.level == ScopeLevel.PROVINSI:
            q |= (
                Q(**{f"{prefix}province_id": g.province_id})
                | Q(**{f"{prefix}regency__province_id": g.province_id})
                | Q(**{f"{prefix}school__province_id": g.province_id})
                | Q(**{f"{prefix}group__province_id": g.province_id})
            )
        elif g.level == ScopeLevel.KABKOTA:
            q |= (
                Q(**{f"{prefix}regency_id": g.regency_id})
                | Q(**{f"{prefix}school__regency_id": g.regency_id})
                | Q(**{f"{prefix}group__regency_id": g.regency_id})
            )
    return q


def may_assign(actor: Actor, assignment: RoleAssignment) -> bool:
    """An office hands out (or revokes) only roles ranked below its own, inside its
    region and for its own ministry (a Dinas does not appoint a madrasah supervisor),
    and never its own; national administrators are appointed by a superuser.
    `grant_covers` reads each grant by its level, so a stray field cannot widen it."""
    if actor.is_superuser:
        return True
    if assignment.user_id == actor.user.pk:
        return False
    province_id, regency_id = assignment_region(assignment)
    ministry = assignment.ministry
    for g in actor.grants_for(OFFICE_ROLES):
        if not g.governs:
            continue  # a BBGP/BGP develops teachers; the Dinas appoints them
        if not grant_covers(g, province_id=province_id, regency_id=regency_id, ministry=ministry):
            continue
        if assignment.scope_level == ScopeLevel.NASIONAL and g.level != ScopeLevel.NASIONAL:
            continue
        if ROLE_RANK[assignment.role] > ROLE_RANK[g.role]:
            return True
    return False


@register
class RoleAssignmentPolicy(Policy):
    model = RoleAssignment

    def visible_q(self, actor):
        return any_of(_assignment_region_q(actor), Q(user=actor.user))

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        return may_assign(actor, obj)


@register
class UserPolicy(Policy):
    """Offices see the users holding roles in their region (and users linked to people
    there); everyone sees themselves. A user is changed only by an office whose region
    covers every role the user holds, so one district cannot lock out another's staff."""

    model = User

    def visible_q(self, actor):
        region = _assignment_region_q(actor, prefix="role_assignments__")
        people = Q(pk__in=[])
        for g in actor.grants_for(OFFICE_ROLES):
            if g.level == ScopeLevel.PROVINSI:
                people |= Q(person__province_id=g.province_id)
            elif g.level == ScopeLevel.KABKOTA:
                people |= Q(person__regency_id=g.regency_id)
        return any_of(region, people, Q(pk=actor.user.pk))

    def visible(self, actor, queryset=None):
        return super().visible(actor, queryset).distinct()

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        if obj.pk == actor.user.pk:
            # Anyone may sign themselves out everywhere; own roles and status are changed
            # by someone above.
            return action == "revoke_sessions"
        if obj.is_superuser:
            return False
        active = list(obj.role_assignments.filter(revoked_at__isnull=True))
        if not actor.grants_for(OFFICE_ROLES):
            return False
        if obj.person_id and not any(
            grant_covers(g, province_id=obj.person.province_id, regency_id=obj.person.regency_id)
            for g in actor.grants_for(OFFICE_ROLES)
        ):
            return False
        if not active and not obj.person_id:
            return bool(actor.grants_for((Role.ADMIN_PUSAT,)))
        return all(may_assign(actor, a) for a in active)


@register
class ApiTokenPolicy(Policy):
    """Tokens are personal: only their owner sees or revokes them."""

    model = ApiToken

    def visible_q(self, actor):
        return Q(user=actor.user)

    def can(self, actor, action, obj):
        return obj.user_id == actor.user.pk
