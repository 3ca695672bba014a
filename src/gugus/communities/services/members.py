"""Writes to who is in a group: members joining and leaving, within the membership rules
of the group's type, and officers appointed and ended (the ketua gets the ketua role)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gugus.accounts.models import RoleAssignment
from gugus.accounts.services import role_assign, role_revoke
from gugus.communities.models import (
    Membership,
    Officer,
    WorkingGroup,
)
from gugus.communities.rules import membership_refusals
from gugus.core import audit, clock
from gugus.core.access import CHANGE, actor_for, require
from gugus.core.errors import DomainError, FieldErrors
from gugus.core.roles import Role
from gugus.directory.models import Person


@transaction.atomic
def membership_add(
    *,
    actor,
    group: WorkingGroup,
    person: Person,
    started_on: datetime.date | None = None,
    source: str = "web",
) -> Membership:
    """Add a member if the type's rules allow; refusals explain every unmet rule."""
    require(actor, CHANGE, group)
    reasons = membership_refusals(group, person)
    if reasons:
        raise DomainError(
            " ".join(reasons),
            code="not_eligible",
            details=[{"field": "person", "message": r} for r in reasons],
        )
    if group.memberships.filter(person=person, ended_on__isnull=True).exists():
        raise DomainError(
            _("%(name)s is already a member.") % {"name": person.name}, code="duplicate"
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                group=group, person=person, started_on=started_on or clock.today()
            )
    except IntegrityError:
        raise DomainError(
            _("%(name)s is already a member.") % {"name": person.name}, code="duplicate"
        ) from None
    audit.record(
        actor=actor,
        action="create",
        obj=membership,
        source=source,
        changes={"group": [None, group.pk], "person": [None, person.pk]},
        **group.audit_region,
    )
    return membership


@transaction.atomic
def membership_end(
    *, actor, membership: Membership, ended_on: datetime.date | None = None, source: str = "web"
) -> Membership:
    """End a membership (history is kept); the person's offices in the group end too."""
    membership = (
        Membership.objects.select_for_update().select_related("group").get(pk=membership.pk)
    )
    require(actor, CHANGE, membership.group)
    if membership.ended_on is not None:
        raise DomainError(_("This membership has already ended."), code="already_ended")
    ended_on = ended_on or clock.today()
    if ended_on < membership.started_on:
        raise FieldErrors([("ended_on", _("A membership cannot end before it starts."))])
    membership.ended_on = ended_on
    membership.save(update_fields=["ended_on"])
    for office in membership.group.officers.filter(
        person=membership.person_id, ended_on__isnull=True
    ):
        officer_end(actor=actor, officer=office, ended_on=ended_on, source=source)
    audit.record(
        actor=actor,
        action="update",
        obj=membership,
        source=source,
        changes={"ended_on": [None, str(ended_on)]},
        **membership.group.audit_region,
    )
    return membership


@transaction.atomic
def officer_appoint(
    *,
    actor,
    group: WorkingGroup,
    person: Person,
    position: str,
    section: str = "",
    started_on: datetime.date | None = None,
    source: str = "web",
) -> Officer:
    """Appoint an officer, ending whoever held the post. Officers other than the patron
    must be members. A ketua with a login gets the chair's role over the group."""
    require(actor, CHANGE, group)
    if position not in Officer.Position.values:
        raise FieldErrors([("position", _("Unknown position."))])
    is_member = group.memberships.filter(person=person, ended_on__isnull=True).exists()
    if position != Officer.Position.PEMBINA and not is_member:
        raise DomainError(
            _("%(name)s must be a member of the group to hold this office.")
            % {"name": person.name},
            code="not_member",
            field="person",
        )
    if position == Officer.Position.BIDANG and not section.strip():
        raise FieldErrors([("section", _("Name the section."))])
    started_on = started_on or clock.today()
    if position != Officer.Position.BIDANG:
        for current in group.officers.filter(position=position, ended_on__isnull=True):
            officer_end(actor=actor, officer=current, ended_on=started_on, source=source)
    officer = Officer.objects.create(
        group=group,
        person=person,
        position=position,
        section=section.strip(),
        started_on=started_on,
    )
    audit.record(
        actor=actor,
        action="create",
        obj=officer,
        source=source,
        changes={"position": [None, position], "person": [None, person.pk]},
        **group.audit_region,
    )
    if position == Officer.Position.KETUA:
        _grant_chair(actor, group, person)
    return officer


def _grant_chair(actor, group, person) -> None:
    user = getattr(person, "user", None)
    if (
        user is None
        or RoleAssignment.objects.filter(
            user=user, role=Role.KETUA_KELOMPOK, group=group, revoked_at__isnull=True
        ).exists()
    ):
        return
    if actor_for(actor).is_office:
        role_assign(actor=actor, user=user, role=Role.KETUA_KELOMPOK, group=group)


@transaction.atomic
def officer_end(
    *, actor, officer: Officer, ended_on: datetime.date | None = None, source: str = "web"
) -> Officer:
    require(actor, CHANGE, officer.group)
    if officer.ended_on is None:
        officer.ended_on = max(ended_on or clock.today(), officer.started_on)
        officer.save(update_fields=["ended_on"])
        audit.record(
            actor=actor,
            action="update",
            obj=officer,
            source=source,
            changes={"ended_on": [None, str(officer.ended_on)]},
            **officer.group.audit_region,
        )
        user = getattr(officer.person, "user", None)
        if officer.position == Officer.Position.KETUA and user is not None:
            for grant in RoleAssignment.objects.filter(
                user=user, role=Role.KETUA_KELOMPOK, group=officer.group, revoked_at__isnull=True
            ):
                if actor_for(actor).is_office:
                    role_revoke(actor=actor, assignment=grant)
    return officer
