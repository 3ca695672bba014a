"""Project-level pages that gather several apps: the home page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from gugus.core.access import actor_for
from gugus.directory.selectors import scope_summary
from gugus.insights.selectors import home_scope
from gugus.insights.todo import tasks_for


@login_required
def home(request):
    """What the person has to do next first, then their roles and their dashboard."""
    actor = actor_for(request.user)
    roles = request.user.role_assignments.filter(revoked_at__isnull=True).select_related(
        "province", "regency", "school", "group"
    )
    return render(
        request,
        "core/home.html",
        {
            "tasks": tasks_for(request.user),
            "dashboard": home_scope(request.user),
            "summary": scope_summary(actor=request.user),
            "roles": roles,
            "actor": actor,
        },
    )
