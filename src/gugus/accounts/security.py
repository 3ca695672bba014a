"""Sessions and the second factor: signing a user out everywhere, the TOTP second factor an
office user may turn on (django-otp), and the sign-in history.

A session is valid while its hash matches the user's password and `session_generation`
(`User._get_session_auth_hash`); raising the generation signs the user out of every other
session at their next request. A user with a confirmed TOTP device is asked for a code
after the password (`accounts.middleware.SecondFactorMiddleware`); the session remembers
the need from the moment of sign-in, so no request pays a query for it."""

from __future__ import annotations

import re

from axes.models import AccessFailureLog, AccessLog
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from gugus.accounts.models import User
from gugus.core import audit
from gugus.core.access import CHANGE, actor_for, require, user_of, visible
from gugus.core.errors import DomainError, FieldErrors

REVOKE_SESSIONS = "revoke_sessions"
NEEDS_SECOND_FACTOR = "gugus_needs_second_factor"
DEVICE_NAME = "Gugus"


@receiver(user_logged_in)
def _remember_the_second_factor(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[NEEDS_SECOND_FACTOR] = user_has_device(user, confirmed=True)


def sessions_revoke(*, actor, user: User, source: str = "web") -> User:
    """Sign `user` out of every session (their own choice, or an office's for a lost
    device); a page keeps the caller's own session with `update_session_auth_hash`."""
    require(actor, REVOKE_SESSIONS, user)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        user.refresh_from_db(fields=["session_generation"])
        audit.record(
            actor=actor,
            action=REVOKE_SESSIONS,
            obj=user,
            source=source,
            changes={"session_generation": [user.session_generation - 1, user.session_generation]},
        )
    return user


def may_use_second_factor(actor) -> bool:
    return actor_for(actor).is_office


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_start(*, actor) -> TOTPDevice:
    """A new, unconfirmed TOTP device whose secret the page shows as a QR code."""
    user = user_of(actor)
    if not may_use_second_factor(actor):
        raise DomainError(
            _("The second factor is for accounts with an office role."), code="not_office"
        )
    if has_second_factor(user):
        raise DomainError(_("Your second factor is already on."), code="second_factor_on")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def pending_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def check_code(device: TOTPDevice, code: str) -> None:
    """The six digits from the app, spaces allowed, or a refusal naming the field;
    django-otp makes each further try after a wrong code wait longer (`verify_is_allowed`),
    so a code cannot be guessed."""
    digits = re.sub(r"\s", "", code or "")
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        message = _("Too many wrong codes: wait a few seconds, then type the current one.")
        raise FieldErrors([("code", message)])
    if not (re.fullmatch(r"\d{6}", digits) and device.verify_token(digits)):
        raise FieldErrors([("code", _("The code is wrong or has expired; try the current one."))])


def second_factor_confirm(*, actor, code: str, source: str = "web") -> TOTPDevice:
    """Turn the second factor on once the app shows a code that matches; every other
    session of the user is signed out."""
    user = user_of(actor)
    device = pending_device(user)
    if device is None:
        raise DomainError(_("Start by scanning a new code."), code="no_pending_device")
    check_code(device, code)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(actor=actor, action="second_factor_on", obj=user, source=source, changes={})
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    return device


def second_factor_off(*, actor, code: str, source: str = "web") -> None:
    user = user_of(actor)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise DomainError(_("Your second factor is not on."), code="second_factor_off")
    check_code(device, code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        audit.record(actor=actor, action="second_factor_off", obj=user, source=source, changes={})


def second_factor_reset(*, actor, user: User, source: str = "web") -> None:
    """An office removes the second factor of a user who lost their phone, and signs them
    out everywhere; the user turns it on again with a new phone."""
    require(actor, CHANGE, user)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        audit.record(actor=actor, action="second_factor_reset", obj=user, source=source, changes={})


def sign_ins_seen_by(actor, limit: int = 1000) -> list[dict]:
    """The sign-ins of the accounts an office sees (`UserPolicy`), as a subquery: a
    national office sees millions of accounts, never loaded into a list."""
    return sign_ins(visible(actor, User).values("username"), limit=limit)


def sign_ins(usernames, limit: int | None = 50) -> list[dict]:
    """Successful and failed sign-ins of these accounts, newest first."""
    rows = [
        {
            "at": log.attempt_time,
            "username": log.username,
            "ok": True,
            "address": log.ip_address,
            "agent": log.user_agent,
            "ended": log.logout_time,
        }
        for log in AccessLog.objects.filter(username__in=usernames).order_by("-attempt_time")[
            :limit
        ]
    ]
    rows += [
        {
            "at": log.attempt_time,
            "username": log.username,
            "ok": False,
            "address": log.ip_address,
            "agent": log.user_agent,
            "ended": None,
        }
        for log in AccessFailureLog.objects.filter(username__in=usernames).order_by(
            "-attempt_time"
        )[:limit]
    ]
    rows.sort(key=lambda r: r["at"], reverse=True)
    return rows[:limit] if limit else rows
