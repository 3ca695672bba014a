"""Who sees and changes schools, people and correction requests."""

from django.db.models import Q

from gugus.core.access import (
    CHANGE,
    VIEW,
    Actor,
    Policy,
    any_of,
    office_covers,
    region_q,
    register,
)
from gugus.core.roles import OFFICE_ROLES, OVERSIGHT_ROLES, Role
from gugus.directory.models import CorrectionRequest, Office, Person, PersonAccessLog, School


@register
class OfficePolicy(Policy):
    """Offices are public reference, like the regions; only a superuser changes them."""

    model = Office

    def visible_q(self, actor):
        return None

    def can(self, actor, action, obj):
        return action == VIEW


def _group_ids(actor: Actor) -> list[int]:
    return [g.group_id for g in actor.grants_for((Role.KETUA_KELOMPOK,))]


def _members(actor: Actor) -> list[int]:
    """The current members of the actor's groups, looked up once: a few dozen ids keep the
    people filter on the primary key, where a join through memberships OR-ed with the
    other rules made the database scan every person in the country."""
    if not _group_ids(actor):
        return []
    return list(
        Person.objects.filter(
            memberships__group_id__in=_group_ids(actor), memberships__ended_on__isnull=True
        )
        .order_by()
        .values_list("pk", flat=True)
        .distinct()
    )


def _school_ids(actor: Actor, roles) -> list[int]:
    return [g.school_id for g in actor.grants_for(roles) if g.school_id]


@register
class SchoolPolicy(Policy):
    """Offices, heads and supervisors see the schools of their scope, of both ministries
    (groups and PAI teachers cross the line); teachers their own; a ketua the schools of
    the group's members. Only the governing office of the school's ministry changes it."""

    model = School

    def visible_q(self, actor):
        # A person's school and the group members' schools are a few ids, read first: a
        # subquery ORed with the scope makes PostgreSQL scan the nation's schools.
        own = (
            Q(
                pk__in=list(
                    Person.objects.filter(pk=actor.person_id).values_list("school_id", flat=True)
                )
            )
            if actor.person_id
            else Q(pk__in=[])
        )
        members = Q(
            pk__in=set(
                Person.objects.filter(
                    memberships__group_id__in=_group_ids(actor),
                    memberships__ended_on__isnull=True,
                    school__isnull=False,
                ).values_list("school_id", flat=True)
            )
        )
        return any_of(
            region_q(
                actor.grants_for(OVERSIGHT_ROLES),
                province="province",
                regency="regency",
                school="pk",
            ),
            Q(pk__in=_school_ids(actor, (Role.GURU,))),
            members if _group_ids(actor) else Q(pk__in=[]),
            own,
        )

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        return office_covers(
            actor,
            province_id=obj.province_id,
            regency_id=obj.regency_id,
            ministry=obj.ministry,
            governing=True,
        )


@register
class PersonPolicy(Policy):
    """Offices, heads and supervisors see the people of their scope; a ketua sees the
    group's current members; everyone sees their own record. Only the governing office of
    the person's ministry changes them; a person asks for a correction instead."""

    model = Person

    def visible_q(self, actor):
        return any_of(
            region_q(
                actor.grants_for(OVERSIGHT_ROLES),
                province="province",
                regency="regency",
                school="school",
            ),
            Q(pk__in=_members(actor)),
            Q(pk=actor.person_id) if actor.person_id else Q(pk__in=[]),
        )

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        return office_covers(
            actor,
            province_id=obj.province_id,
            regency_id=obj.regency_id,
            ministry=obj.ministry,
            governing=True,
        )

    def change_q(self, actor):
        return region_q(
            [g for g in actor.grants_for(OFFICE_ROLES) if g.governs],
            province="province",
            regency="regency",
            ministry="ministry",
        )


@register
class CorrectionRequestPolicy(Policy):
    """The requester sees their requests; the office covering the person decides them."""

    model = CorrectionRequest

    def visible_q(self, actor):
        return any_of(
            region_q(
                actor.grants_for(OFFICE_ROLES),
                province="person__province",
                regency="person__regency",
            ),
            Q(requested_by=actor.user),
            Q(person_id=actor.person_id) if actor.person_id else Q(pk__in=[]),
        )

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        if action == "withdraw":
            return obj.requested_by_id == actor.user.pk
        if action == CHANGE:  # decide
            return office_covers(
                actor,
                province_id=obj.person.province_id,
                regency_id=obj.person.regency_id,
                ministry=obj.person.ministry,
                governing=True,
            )
        return False


@register
class PersonAccessLogPolicy(Policy):
    """Who read personal data in bulk: national administrators see every entry, a province
    or kab/kota office's administrator the entries of readers working in its region,
    everyone else only their own; nobody changes them."""

    model = PersonAccessLog

    def visible_q(self, actor):
        q = Q(user=actor.user)
        for grant in actor.grants:
            if grant.role == Role.ADMIN_PUSAT:
                return None
            if grant.role == Role.ADMIN_PROVINSI and grant.province_id:
                q |= Q(province_id=grant.province_id)
            elif grant.role == Role.ADMIN_KABKOTA and grant.regency_id:
                q |= Q(regency_id=grant.regency_id)
        return q

    def can(self, actor, action, obj):
        return action == VIEW and self.can_view(actor, obj)
