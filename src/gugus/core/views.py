"""Cross-cutting pages: home, health check, and the helpers views share."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from gugus.core.access import actor_for, visible
from gugus.core.errors import DomainError, Forbidden, NotFound
from gugus.core.models import AuditEntry
from gugus.core.pagination import paginate

logger = logging.getLogger("gugus")


def partial_or_page(request, page: str, partial: str) -> str:
    """The template to render: htmx requests (a filter, a poll) get only the part that
    changes, everything else the whole page."""
    return partial if request.headers.get("HX-Request") == "true" else page


def saved(request, message, *, draft: str | None = None) -> None:
    """Flash a success; with `draft`, the page that shows it clears that form's draft kept
    on the device (`static/gugus/drafts.js`), since the server now holds what was typed."""
    messages.success(request, message, extra_tags=f"clear-draft:{draft}" if draft else "")


def apply_domain_errors(form, error: DomainError, field_map: dict | None = None) -> None:
    """Show a service refusal on the form: field errors where they belong, else on top."""
    field_map = field_map or {}
    if not error.details:
        form.add_error(None, str(error.message))
    for d in error.details:
        name = field_map.get(d["field"], d["field"])
        form.add_error(name if name in form.fields else None, d["message"])


def submit_form(request, form, save, field_map: dict | None = None):
    """For a valid POSTed form, run `save(cleaned_data)` and return what it saved; when
    the service refuses, show why on the form and return None."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except DomainError as e:
        apply_domain_errors(form, e, field_map)
        return None


def flash_refusal(request, error: DomainError) -> None:
    if error.details:
        for d in error.details:
            messages.error(request, d["message"])
    else:
        messages.error(request, str(error.message))


def act(request, action, success: str) -> bool:
    """Run a service call from a POSTed button; flash its success or every refusal."""
    try:
        action()
    except DomainError as e:
        flash_refusal(request, e)
        return False
    messages.success(request, success)
    return True


def attachment(body, filename: str, content_type: str) -> HttpResponse:
    """A generated file (export, report, template) offered for download under its name."""
    return HttpResponse(
        body,
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def not_found_on_refusal(func):
    """Pages answer 404 for objects outside scope, exactly as for missing ones, and for
    objects the user may see but not change (there is no page for them to use)."""

    def wrapper(request, *args, **kwargs):
        try:
            return func(request, *args, **kwargs)
        except (NotFound, Forbidden):
            raise Http404() from None

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


@require_GET
def healthz(request):
    """200 when the database answers; load balancers and `make run` poll it."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy; its text stays in the log
        logger.exception("health check: the database does not answer")
        return JsonResponse({"status": "error"}, status=503)
    return JsonResponse({"status": "ok"})


LOCKED_OUT_MESSAGE = _(
    "Too many failed sign-in attempts. Wait 15 minutes and try again, or reset your password."
)


def locked_out(request, original_response=None, credentials=None):
    """What a locked account or address sees (django-axes): 429, in the user's language,
    as JSON for the API and as the sign-in page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "locked_out", "message": str(LOCKED_OUT_MESSAGE), "details": []},
            status=429,
        )
    return render(request, "core/locked_out.html", {"message": LOCKED_OUT_MESSAGE}, status=429)


@login_required
def audit_list(request):
    if not actor_for(request.user).is_office:
        raise Http404()
    qs = visible(request.user, AuditEntry).select_related("actor")
    target_type = request.GET.get("type", "")
    if target_type:
        qs = qs.filter(target_type=target_type)
    page = paginate(qs, request.GET.get("page"), 50)
    return render(request, "core/audit_list.html", {"page": page, "type": target_type})
