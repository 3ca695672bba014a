"""Writes to accounts: users, role assignments (audited) and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gugus.accounts.models import ApiToken, RoleAssignment, User
from gugus.accounts.policies import assignment_region, may_assign
from gugus.core import audit, clock
from gugus.core.access import CHANGE, actor_for, require, user_of
from gugus.core.errors import DomainError, Forbidden
from gugus.core.roles import (
    OFFICE_BOUND_ROLES,
    OFFICE_ROLE_LEVELS,
    OFFICE_ROLES,
    ROLE_SCOPE_LEVELS,
    Role,
    ScopeLevel,
)
from gugus.directory.offices import office_of

TOKEN_PREFIX = "ggs_"


def scope_level_for(*, province, regency, school, group) -> str:
    """The level of a scope given by exactly one target (none: national). Several targets
    are refused: a kab/kota grant carrying a province would read as both."""
    given = [t for t in (province, regency, school, group) if t is not None]
    if len(given) > 1:
        raise DomainError(
            _("A role's scope is one place: a province, a kab/kota, a school or a group."),
            code="scope_mismatch",
            field="scope",
        )
    if group is not None:
        return ScopeLevel.KELOMPOK
    if school is not None:
        return ScopeLevel.SEKOLAH
    if regency is not None:
        return ScopeLevel.KABKOTA
    if province is not None:
        return ScopeLevel.PROVINSI
    return ScopeLevel.NASIONAL


def _audit_assignment(actor, assignment: RoleAssignment, action: str, changes: dict) -> None:
    province_id, regency_id = assignment_region(assignment)
    audit.record(
        actor=actor,
        action=action,
        obj=assignment,
        changes=changes,
        province_id=province_id or "",
        regency_id=regency_id or "",
    )


def _refuse_own_roles(actor, user: User) -> None:
    """Nobody gives or takes their own roles: someone above does."""
    if user_of(actor) is not None and user_of(actor).pk == user.pk:
        raise Forbidden(_("You cannot give or take away your own roles."))


def _office_scope(role: str, office, target: dict) -> dict:
    """The scope of a role held for an office: an administrator's is the office's place; a
    supervisor's is a kab/kota or a school inside it (by default the office's kab/kota)."""
    if office is None:
        raise DomainError(
            _("An administrator or a supervisor acts for an office: name the office."),
            code="office_required",
            field="office",
        )
    given = {k: v for k, v in target.items() if v is not None}
    if role in OFFICE_ROLES:
        if office.level != OFFICE_ROLE_LEVELS[role]:
            raise DomainError(
                _("A %(role)s works at an office of that level; %(office)s is not one.")
                % {"role": Role(role).label, "office": office.name},
                code="scope_mismatch",
                field="office",
            )
        own = {ScopeLevel.PROVINSI: {"province": office.province}}.get(office.level, {})
        if office.level == ScopeLevel.KABKOTA:
            own = {"regency": office.regency}
        if given and given != own:
            raise DomainError(
                _("An administrator's scope is the office's own place."),
                code="scope_mismatch",
                field="scope",
            )
        return own
    if not given:
        given = {"regency": office.regency} if office.regency_id else {"province": office.province}
    place = given.get("school") or given.get("group")
    if place is not None:
        province_id, regency_id = place.province_id, place.regency_id
    elif given.get("regency") is not None:
        province_id, regency_id = given["regency"].province_id, given["regency"].pk
    else:
        province_id, regency_id = getattr(given.get("province"), "pk", None), None
    if office.regency_id:
        inside = regency_id == office.regency_id
    else:
        inside = office.level == ScopeLevel.NASIONAL or province_id in office.provinces_served()
    if not inside:
        raise DomainError(
            _("A supervisor's scope lies inside the office's region."),
            code="scope_mismatch",
            field="scope",
        )
    return given


@transaction.atomic
def role_assign(
    *,
    actor,
    user: User,
    role: str,
    office=None,
    province=None,
    regency=None,
    school=None,
    group=None,
) -> RoleAssignment:
    """Give `user` a role within one scope. The scope level follows from the target given;
    administrators and supervisors hold theirs for an office, whose ministry binds them."""
    _refuse_own_roles(actor, user)
    if role not in Role.values:
        raise DomainError(_("Unknown role."), field="role")
    target = {"province": province, "regency": regency, "school": school, "group": group}
    if role in OFFICE_BOUND_ROLES:
        target = {**dict.fromkeys(target), **_office_scope(role, office, target)}
    elif office is not None:
        raise DomainError(
            _("Only administrators and supervisors act for an office."),
            code="scope_mismatch",
            field="office",
        )
    province, regency, school, group = (target[k] for k in target)
    level = scope_level_for(province=province, regency=regency, school=school, group=group)
    if level not in ROLE_SCOPE_LEVELS[role]:
        allowed = ", ".join(str(ScopeLevel(v).label) for v in ROLE_SCOPE_LEVELS[role])
        raise DomainError(
            _("The role %(role)s needs a scope of: %(levels)s.")
            % {"role": Role(role).label, "levels": allowed},
            code="scope_mismatch",
            field="scope",
        )
    assignment = RoleAssignment(
        user=user,
        role=role,
        office=office,
        scope_level=level,
        province=province,
        regency=regency,
        school=school,
        group=group,
        created_by=user_of(actor),
    )
    if not may_assign(actor_for(actor), assignment):
        raise Forbidden(_("You may only give roles below your own, inside your region."))
    duplicate = RoleAssignment.objects.filter(
        user=user,
        role=role,
        office=office,
        scope_level=level,
        province=province,
        regency=regency,
        school=school,
        group=group,
        revoked_at__isnull=True,
    )
    if duplicate.exists():
        raise DomainError(_("This user already holds this role in this scope."), code="duplicate")
    assignment.save()
    if role in OFFICE_ROLES and not user.is_staff:
        user.is_staff = True  # offices work in the back-office admin too
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_gugus_actor", None)
    _audit_assignment(
        actor,
        assignment,
        "create",
        {
            "user": [None, user.username],
            "role": [None, role],
            "office": [None, office.name if office else None],
            "scope": [None, assignment.scope_label],
        },
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    _refuse_own_roles(actor, assignment.user)
    require(actor, CHANGE, assignment)
    if assignment.revoked_at is None:
        assignment.revoked_at = clock.now()
        assignment.save(update_fields=["revoked_at"])
        user = assignment.user
        still_office = user.role_assignments.filter(
            role__in=OFFICE_ROLES, revoked_at__isnull=True
        ).exists()
        if user.is_staff and not still_office and not user.is_superuser:
            user.is_staff = False
            user.save(update_fields=["is_staff"])
        _audit_assignment(
            actor,
            assignment,
            "delete",
            {
                "user": [user.username, None],
                "role": [assignment.role, None],
                "scope": [assignment.scope_label, None],
            },
        )
    return assignment


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    email: str = "",
    password: str | None = None,
    person=None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create a login; a person link must be inside the creating office's scope."""
    acting = actor_for(actor)
    if not acting.is_office:
        raise Forbidden()
    if person is not None:
        require(actor, CHANGE, person)
        if User.objects.filter(person=person).exists():
            raise DomainError(
                _("This person already has an account."), code="duplicate", field="person"
            )
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("This username is taken."), code="duplicate", field="username")
    user = User(
        username=username, email=email, person=person, first_name=first_name, last_name=last_name
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit.record(
        actor=actor,
        action="create",
        obj=user,
        changes={
            "username": [None, username],
            "person": [None, str(person.pk) if person else None],
        },
        province_id=person.province_id if person else "",
        regency_id=person.regency_id if person else "",
    )
    return user


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its key; the key is never stored and cannot be shown again."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the token a name."), field="name")
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=key[:12], key_hash=_hash(key)
    )
    return token, key


def api_token_revoke(*, actor, token: ApiToken) -> None:
    require(actor, CHANGE, token)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def api_token_authenticate(key: str) -> User | None:
    if not key or not key.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def default_scope_for(*, role: str, person) -> dict:
    """The natural scope of a role given to a person: their school for teachers and heads,
    their kab/kota for supervisors and resource persons; a supervisor belongs to the
    kab/kota office of their ministry (a Dinas or a Kantor Kemenag)."""
    if role in (Role.GURU, Role.KEPALA_SEKOLAH):
        if person.school_id is None:
            raise DomainError(
                _("This person has no school; give a role that does not need one."),
                field="role",
            )
        return {"school": person.school}
    if role == Role.PENGAWAS:
        return {"office": office_of(person.ministry, regency=person.regency)}
    if role == Role.NARASUMBER:
        return {"regency": person.regency}
    raise DomainError(_("This role cannot be given from a person's page."), field="role")


# The roles an office gives from a person's page; the rest need a chosen scope.
PERSON_ACCOUNT_ROLES = (Role.GURU, Role.KEPALA_SEKOLAH, Role.PENGAWAS, Role.NARASUMBER)


def _mail_password_link(user: User, *, domain: str, use_https: bool) -> None:
    reset = PasswordResetForm({"email": user.email})
    if reset.is_valid():
        reset.save(domain_override=domain, use_https=use_https)


@transaction.atomic
def person_account_create(
    *,
    actor,
    person,
    username: str,
    email: str,
    role: str,
    domain: str,
    use_https: bool = True,
) -> User:
    """Give a person a login and their first role in one step, all or nothing. The person
    sets their own password through the link mailed to `email` once the account is saved
    (`domain` is the address the link points at: the site the office is using)."""
    try:
        validate_email(email := (email or "").strip())
    except ValidationError:
        raise DomainError(_("Enter a valid e-mail address."), field="email") from None
    username = (username or "").strip()
    if not username:
        raise DomainError(_("Give a username."), field="username")
    first, _sep, last = person.name.split(",")[0].partition(" ")
    # A random password nobody knows: Django only mails reset links to usable passwords.
    user = user_create(
        actor=actor,
        username=username,
        email=email,
        person=person,
        first_name=first,
        last_name=last,
        password=secrets.token_urlsafe(24),
    )
    role_assign(actor=actor, user=user, role=role, **default_scope_for(role=role, person=person))
    transaction.on_commit(lambda: _mail_password_link(user, domain=domain, use_https=use_https))
    return user
