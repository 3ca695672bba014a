from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from gugus.accounts import security, services
from gugus.accounts.forms import CodeForm, PersonAccountForm
from gugus.accounts.models import ApiToken, User
from gugus.core.access import CHANGE, access, actor_for, visible
from gugus.core.errors import DomainError
from gugus.core.pagination import paginate
from gugus.core.views import act, not_found_on_refusal, submit_form
from gugus.directory.models import Person


@login_required
def token_list(request):
    new_key = None
    if request.method == "POST":
        try:
            _token, new_key = services.api_token_create(
                user=request.user, name=request.POST.get("name", "")
            )
        except DomainError as e:
            messages.error(request, str(e.message))
    tokens = visible(request.user, ApiToken).filter(revoked_at__isnull=True)
    return render(request, "accounts/token_list.html", {"tokens": tokens, "new_key": new_key})


@login_required
@require_POST
@not_found_on_refusal
def token_revoke(request, pk):
    token = access(request.user, ApiToken, pk=pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token has been revoked."))
    return redirect("token_list")


@login_required
@not_found_on_refusal
def person_account(request, pk):
    """An office gives a person a login and a first role; the person sets the password."""
    person = access(request.user, Person, CHANGE, pk=pk)
    existing = getattr(person, "user", None)
    form = PersonAccountForm(request.POST or None) if existing is None else None
    user = form and submit_form(
        request,
        form,
        lambda data: services.person_account_create(
            actor=request.user,
            person=person,
            domain=request.get_host(),
            use_https=request.is_secure(),
            **data,
        ),
    )
    if user:
        messages.success(
            request,
            _("The account has been created and a link to set the password has been sent."),
        )
        return redirect("person_account", pk=person.pk)
    roles = existing.role_assignments.filter(revoked_at__isnull=True) if existing else []
    return render(
        request,
        "accounts/person_account.html",
        {
            "person": person,
            "form": form,
            "account": existing,
            "roles": roles,
            "second_factor": existing and security.has_second_factor(existing),
            "sign_ins": security.sign_ins([existing.username], limit=10) if existing else [],
        },
    )


@login_required
def account_security(request):
    """The signed-in user's sessions, second factor and sign-in history."""
    user = request.user
    form = CodeForm(request.POST or None)
    step = request.POST.get("step", "")
    if request.method == "POST":
        if step == "revoke" and act(
            request,
            lambda: security.sessions_revoke(actor=user, user=user),
            _("You have been signed out of every other session."),
        ):
            update_session_auth_hash(request, user)
            return redirect("account_security")
        if step == "start" and act(
            request, lambda: security.second_factor_start(actor=user), _("Scan the code.")
        ):
            return redirect("account_security")
        if step == "confirm":
            device = submit_form(
                request, form, lambda d: security.second_factor_confirm(actor=user, code=d["code"])
            )
            if device:
                otp_login(request, device)
                request.user.refresh_from_db(fields=["session_generation"])
                update_session_auth_hash(request, request.user)
                messages.success(request, _("The second factor is on."))
                return redirect("account_security")
        if step == "off" and submit_form(
            request, form, lambda d: security.second_factor_off(actor=user, code=d["code"]) or True
        ):
            request.session[security.NEEDS_SECOND_FACTOR] = False
            messages.success(request, _("The second factor is off."))
            return redirect("account_security")
    pending = security.pending_device(user)
    return render(
        request,
        "accounts/security.html",
        {
            "form": form,
            "step": step,
            "may_use": security.may_use_second_factor(user),
            "has_second_factor": security.has_second_factor(user),
            "pending": pending,
            "qr": segno.make(pending.config_url, error="m").svg_data_uri(scale=5, border=2)
            if pending
            else None,
            "secret": b32encode(pending.bin_key).decode() if pending else "",
            "sign_ins": security.sign_ins([user.username], limit=20),
        },
    )


def second_factor_verify(request):
    """After the password: the code from the app, then on to where the user was going."""
    if not request.user.is_authenticated:
        return redirect("login")
    target = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = ""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None or request.user.is_verified():
        return redirect(target or "home")
    form = CodeForm(request.POST or None)
    if submit_form(request, form, lambda d: security.check_code(device, d["code"]) or True):
        otp_login(request, device)
        return redirect(target or "home")
    return render(request, "accounts/second_factor.html", {"form": form, "next": target})


@login_required
@require_POST
@not_found_on_refusal
def user_sessions_revoke(request, pk):
    """An office signs a user of its region out everywhere."""
    user = access(request.user, User, security.REVOKE_SESSIONS, pk=pk)
    if (
        act(
            request,
            lambda: security.sessions_revoke(actor=request.user, user=user),
            _("The user has been signed out everywhere."),
        )
        and user.pk == request.user.pk
    ):
        update_session_auth_hash(request, user)
    return _back_to_account(user)


@login_required
@require_POST
@not_found_on_refusal
def user_second_factor_reset(request, pk):
    user = access(request.user, User, CHANGE, pk=pk)
    act(
        request,
        lambda: security.second_factor_reset(actor=request.user, user=user),
        _("The second factor was removed and the user signed out everywhere."),
    )
    return _back_to_account(user)


def _back_to_account(user):
    return redirect("person_account", pk=user.person_id) if user.person_id else redirect("home")


@login_required
def sign_in_audit(request):
    """Sign-ins of the users an office sees (`UserPolicy`), newest first."""
    if not actor_for(request.user).is_office:
        raise Http404()
    page = paginate(security.sign_ins_seen_by(request.user), request.GET.get("page"), 50)
    return render(request, "accounts/sign_in_audit.html", {"page": page})
