"""Writes of the insights app: asking for a report, and the scheduled reports."""

from __future__ import annotations

from django.db import transaction

from gugus.core import audit
from gugus.core.access import actor_for
from gugus.core.errors import NotFound
from gugus.insights import policies, reports, selectors
from gugus.insights.models import Report
from gugus.insights.tasks import write_report

RUNNING = (Report.Status.QUEUED, Report.Status.RUNNING)


def request_report(*, actor, scope: str, kind: str, period: str, source: str = "web") -> Report:
    """Queue a report of a region the actor may see (404 otherwise); an identical report
    still being written is returned rather than queued twice."""
    place = selectors.place_for(scope)
    if place is None or not policies.covers(actor_for(actor), scope):
        raise NotFound()
    period = reports.clean_period(kind, period)
    with transaction.atomic():
        waiting = Report.objects.filter(scope=scope, kind=kind, period=period, status__in=RUNNING)
        if found := waiting.first():
            return found
        report = Report.objects.create(
            scope=scope, kind=kind, period=period, requested_by=actor_for(actor).user
        )
        audit.record(
            actor=actor,
            action="request_report",
            obj=report,
            changes={"kind": [None, kind], "period": [None, period]},
            source=source,
            **report.audit_region,
        )
        transaction.on_commit(lambda: write_report.enqueue(report.pk))
    return report


def queue_scheduled(kind: str, period: str | None = None) -> int:
    """Queue the period's report of every region that has an office or supervisor (the
    month or semester just ended unless given); returns how many were queued."""
    period = reports.clean_period(kind, period or reports.last_period(kind))
    made = 0
    for scope in reports.scheduled_scopes():
        if Report.objects.filter(scope=scope, kind=kind, period=period).exists():
            continue
        with transaction.atomic():
            report = Report.objects.create(scope=scope, kind=kind, period=period)
            transaction.on_commit(lambda pk=report.pk: write_report.enqueue(pk))
        made += 1
    return made
