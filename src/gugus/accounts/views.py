from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gugus.accounts import services
from gugus.accounts.models import ApiToken
from gugus.core.access import access, visible
from gugus.core.errors import DomainError
from gugus.core.views import not_found_on_refusal


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
