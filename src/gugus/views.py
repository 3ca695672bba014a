"""Project-level pages that gather several apps: the home page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from gugus.core.access import actor_for
from gugus.directory.selectors import scope_summary


@login_required
def home(request):
    actor = actor_for(request.user)
    roles = request.user.role_assignments.filter(revoked_at__isnull=True).select_related(
        "province", "regency", "school", "group"
    )
    return render(
        request,
        "core/home.html",
        {
            "summary": scope_summary(actor=request.user),
            "roles": roles,
            "actor": actor,
        },
    )
