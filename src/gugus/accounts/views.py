from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gugus.accounts import services
from gugus.accounts.forms import PersonAccountForm
from gugus.accounts.models import ApiToken
from gugus.core.access import CHANGE, access, visible
from gugus.core.errors import DomainError
from gugus.core.views import not_found_on_refusal, submit_form
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
        {"person": person, "form": form, "account": existing, "roles": roles},
    )
