"""Account endpoints: who am I, role assignments, tokens, sessions, the second factor and
the sign-ins."""

from __future__ import annotations

import datetime
from base64 import b32encode

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from gugus.accounts import security, services
from gugus.accounts.models import ApiToken, RoleAssignment, User
from gugus.core.access import CHANGE, access, actor_for, visible
from gugus.core.apitypes import BodyIn, Id, Int, PageOut, PageQuery, one_of, page_out
from gugus.core.errors import Forbidden
from gugus.core.roles import Role
from gugus.directory.models import Office, Person, Province, Regency, School

router = Router(tags=["accounts"])
# A role may be scoped to a working group; accounts sits below the groups app, so the
# model comes from the foreign key rather than an import.
GROUP_MODEL = RoleAssignment._meta.get_field("group").related_model


class AssignmentOut(Schema):
    id: Int
    username: str
    role: str
    title: str = Field(description="the role as people say it (pengawas sekolah or madrasah/PAI)")
    office_id: Int | None
    office: str | None
    ministry: str | None
    scope_level: str
    province_code: str | None
    regency_code: str | None
    school_npsn: str | None
    group_id: Int | None
    scope_label: str
    created_at: datetime.datetime
    revoked_at: datetime.datetime | None


class AssignmentIn(BodyIn):
    username: str
    role: one_of(Role)
    office_id: Int | None = Field(
        None, description="administrators and supervisors: the office they act for (GET /offices)"
    )
    province_code: str | None = None
    regency_code: str | None = None
    school_npsn: str | None = None
    group_id: Int | None = None


class AccountIn(BodyIn):
    username: str
    email: str = Field(description="the person sets a password through the link mailed here")
    role: one_of([r.value for r in services.PERSON_ACCOUNT_ROLES])


class AccountOut(Schema):
    username: str
    email: str
    person_id: Int
    roles: list[AssignmentOut]


class MeOut(Schema):
    username: str
    full_name: str
    person_id: Int | None
    roles: list[AssignmentOut]


def assignment_out(a: RoleAssignment) -> dict:
    return {
        "id": a.pk,
        "username": a.user.username,
        "role": a.role,
        "title": a.title,
        "office_id": a.office_id,
        "office": a.office.name if a.office_id else None,
        "ministry": a.ministry,
        "scope_level": a.scope_level,
        "province_code": a.province_id,
        "regency_code": a.regency_id,
        "school_npsn": a.school.npsn if a.school_id else None,
        "group_id": a.group_id,
        "scope_label": a.scope_label,
        "created_at": a.created_at,
        "revoked_at": a.revoked_at,
    }


def _assignments(qs):
    return qs.select_related("user", "office", "province", "regency", "school", "group")


@router.get("/me", response=MeOut)
def me(request):
    user = request.auth
    roles = _assignments(user.role_assignments.filter(revoked_at__isnull=True))
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "person_id": user.person_id,
        "roles": [assignment_out(a) for a in roles],
    }


@router.get("/role-assignments", response=PageOut[AssignmentOut])
def assignment_list(
    request, q: Query[PageQuery], username: str = "", include_revoked: bool = False
):
    qs = _assignments(visible(request.auth, RoleAssignment))
    if username:
        qs = qs.filter(user__username=username)
    if not include_revoked:
        qs = qs.filter(revoked_at__isnull=True)
    rows = qs.order_by("user__username", "role", "id")
    return page_out(request, rows, q.page, q.page_size, item=assignment_out)


@router.post("/role-assignments", response={201: AssignmentOut})
def assignment_create(request, payload: AssignmentIn):
    user = access(request.auth, User, username=payload.username)
    target = {
        "office": get_object_or_404(Office, pk=payload.office_id) if payload.office_id else None,
        "province": get_object_or_404(Province, code=payload.province_code)
        if payload.province_code
        else None,
        "regency": get_object_or_404(Regency, code=payload.regency_code)
        if payload.regency_code
        else None,
        "school": access(request.auth, School, npsn=payload.school_npsn)
        if payload.school_npsn
        else None,
        "group": access(request.auth, GROUP_MODEL, pk=payload.group_id)
        if payload.group_id
        else None,
    }
    assignment = services.role_assign(actor=request.auth, user=user, role=payload.role, **target)
    return Status(201, assignment_out(assignment))


@router.delete("/role-assignments/{assignment_id}", response=AssignmentOut)
def assignment_revoke(request, assignment_id: Id):
    assignment = access(
        request.auth,
        RoleAssignment,
        CHANGE,
        queryset=_assignments(RoleAssignment.objects),
        pk=assignment_id,
    )
    return assignment_out(services.role_revoke(actor=request.auth, assignment=assignment))


@router.post("/people/{person_id}/account", response={201: AccountOut})
def person_account_create(request, person_id: Id, payload: AccountIn):
    """An office gives a person a login and a first role (the page's "Account and roles")."""
    person = access(request.auth, Person, CHANGE, pk=person_id)
    user = services.person_account_create(
        actor=request.auth,
        person=person,
        username=payload.username,
        email=payload.email,
        role=payload.role,
        domain=request.get_host(),
        use_https=request.is_secure(),
    )
    roles = _assignments(user.role_assignments.all())
    return Status(
        201,
        {
            "username": user.username,
            "email": user.email,
            "person_id": person.pk,
            "roles": [assignment_out(a) for a in roles],
        },
    )


class TokenOut(Schema):
    id: Int
    name: str
    prefix: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None


class NewTokenOut(TokenOut):
    key: str = Field(description="shown this once; Gugus keeps only its hash")


class TokenIn(BodyIn):
    name: str


@router.get("/me/tokens", response=PageOut[TokenOut])
def token_list(request, q: Query[PageQuery]):
    rows = visible(request.auth, ApiToken).filter(revoked_at__isnull=True).order_by("-created_at")
    return page_out(request, rows, q.page, q.page_size)


@router.post("/me/tokens", response={201: NewTokenOut})
def token_create(request, payload: TokenIn):
    token, key = services.api_token_create(user=request.auth, name=payload.name)
    return Status(201, {**TokenOut.from_orm(token).dict(), "key": key})


@router.delete("/me/tokens/{token_id}", response={204: None})
def token_revoke(request, token_id: Id):
    token = access(request.auth, ApiToken, pk=token_id)
    services.api_token_revoke(actor=request.auth, token=token)
    return Status(204, None)


class SignInOut(Schema):
    at: datetime.datetime
    username: str
    ok: bool
    address: str | None
    agent: str
    ended: datetime.datetime | None


class SecurityOut(Schema):
    second_factor: bool
    may_use_second_factor: bool
    setup_pending: bool
    sign_ins: list[SignInOut]


class SecondFactorSetupOut(Schema):
    secret: str = Field(description="the key, base32, for an app that cannot scan")
    otpauth_url: str = Field(description="the otpauth:// address a QR code carries")


class CodeIn(BodyIn):
    code: str = Field(description="the six digits the authenticator app shows")


def _security(user) -> dict:
    return {
        "second_factor": security.has_second_factor(user),
        "may_use_second_factor": security.may_use_second_factor(user),
        "setup_pending": security.pending_device(user) is not None,
        "sign_ins": security.sign_ins([user.username], limit=20),
    }


@router.get("/me/security", response=SecurityOut)
def security_status(request):
    """The caller's second factor and recent sign-ins."""
    return _security(request.auth)


@router.post("/me/second-factor", response={201: SecondFactorSetupOut})
def second_factor_start(request):
    """Office roles: a new key for the authenticator app; confirm it with a code."""
    device = security.second_factor_start(actor=request.auth)
    secret = b32encode(device.bin_key).decode()
    return Status(201, {"secret": secret, "otpauth_url": device.config_url})


@router.post("/me/second-factor/confirm", response=SecurityOut)
def second_factor_confirm(request, payload: CodeIn):
    """Turn the second factor on; every session of the caller is signed out."""
    security.second_factor_confirm(actor=request.auth, code=payload.code, source="api")
    return _security(request.auth)


@router.post("/me/second-factor/off", response={204: None})
def second_factor_off(request, payload: CodeIn):
    security.second_factor_off(actor=request.auth, code=payload.code, source="api")
    return Status(204, None)


@router.post("/me/sessions/revoke", response={204: None})
def own_sessions_revoke(request):
    """Sign the caller out of every browser session (API tokens are revoked apart)."""
    security.sessions_revoke(actor=request.auth, user=request.auth, source="api")
    return Status(204, None)


@router.post("/users/{user_id}/sessions/revoke", response={204: None})
def user_sessions_revoke(request, user_id: Id):
    """An office signs a user of its region out of every session."""
    user = access(request.auth, User, pk=user_id)
    security.sessions_revoke(actor=request.auth, user=user, source="api")
    return Status(204, None)


@router.post("/users/{user_id}/second-factor/reset", response={204: None})
def user_second_factor_reset(request, user_id: Id):
    """An office removes a user's second factor (a lost phone) and signs them out."""
    user = access(request.auth, User, pk=user_id)
    security.second_factor_reset(actor=request.auth, user=user, source="api")
    return Status(204, None)


@router.get("/sign-ins", response=PageOut[SignInOut])
def sign_in_list(request, q: Query[PageQuery]):
    """Offices: sign-ins of the accounts they see, successful and failed, newest first."""
    if not actor_for(request.auth).is_office:
        raise Forbidden()
    return page_out(request, security.sign_ins_seen_by(request.auth), q.page, q.page_size)
