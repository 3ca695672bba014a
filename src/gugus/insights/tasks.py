"""Background jobs of the insights app, run by `gugus db_worker`."""

import datetime

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gugus.insights import rollups

# Changes within this pause are counted together: a day of attendance ticked one member at
# a time costs one refresh, not thirty.
PAUSE = datetime.timedelta(seconds=10)


@task()
def refresh_tallies() -> int:
    """Recount the places marked changed."""
    return rollups.refresh()


def ask_for_refresh() -> None:
    """Queue a refresh unless one is already waiting to run."""
    waiting = DBTaskResult.objects.filter(
        task_path=refresh_tallies.module_path, status=TaskResultStatus.READY
    )
    if not waiting.exists():
        refresh_tallies.using(run_after=timezone.now() + PAUSE).enqueue()
