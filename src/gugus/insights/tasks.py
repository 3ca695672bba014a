"""Background jobs of the insights app, run by `gugus worker`."""

import datetime

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gugus.core import jobs
from gugus.insights import reports, rollups
from gugus.insights.models import Report

# Changes within this pause are counted together: a day of attendance ticked one member at
# a time costs one refresh, not thirty.
PAUSE = datetime.timedelta(seconds=10)


@task(queue_name="insights", priority=-10)
def refresh_tallies() -> int:
    """Recount the places marked changed, on a queue of its own: a job someone waits for
    (a report, an import, certificates) never queues behind it."""
    return rollups.refresh()


def ask_for_refresh() -> None:
    """Queue a refresh unless one is already waiting to run."""
    waiting = DBTaskResult.objects.filter(
        task_path=refresh_tallies.module_path, status=TaskResultStatus.READY
    )
    if not waiting.exists():
        refresh_tallies.using(run_after=timezone.now() + PAUSE).enqueue()


@task()
def write_report(report_id: int) -> str:
    """Write one report's PDF and workbook; a failure is kept on the report, with its
    reason, for the page to show."""
    report = Report.objects.get(pk=report_id)
    if report.status == Report.Status.DONE:
        return report.status
    try:
        reports.write(report)
    except Exception as e:
        Report.objects.filter(pk=report_id).update(
            status=Report.Status.FAILED, error=str(e)[:500], finished_at=timezone.now()
        )
        raise
    return Report.Status.DONE


@jobs.when_abandoned(write_report)
def _report_abandoned(report_id: int) -> None:
    Report.objects.filter(pk=report_id).exclude(status=Report.Status.DONE).update(
        status=Report.Status.FAILED, error=jobs.lost_message(), finished_at=timezone.now()
    )
