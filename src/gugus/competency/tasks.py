"""Background jobs of the competency app, run by `gugus worker`."""

import datetime

from django.utils import timezone
from django_tasks import task

from gugus.competency.imports import UkgImporter, refresh_maps_due
from gugus.competency.models import UkgImport
from gugus.core import jobs
from gugus.core.imports import ImportFileError

MAX_ATTEMPTS = 3


@task()
def run_ukg_import(job_id: int) -> str:
    """Check and write one uploaded file. A broken file is rejected with its reason; an
    unexpected failure (database restart, full disk) is retried with a growing pause."""
    job = UkgImport.objects.select_related("event").get(pk=job_id)
    if job.status in (UkgImport.Status.DONE, UkgImport.Status.REJECTED):
        refresh_maps_due(job)  # run again after its worker died before the maps
        return job.status
    job.attempts += 1
    job.status, job.phase, job.message = UkgImport.Status.RUNNING, "reading", ""
    job.save(update_fields=["attempts", "status", "phase", "message"])
    try:
        with job.file.open("rb") as file:
            job = UkgImporter(job).run(file, job.filename)
        refresh_maps_due(job)
    except ImportFileError as e:
        job.status, job.message, job.phase = UkgImport.Status.REJECTED, str(e), ""
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "phase", "finished_at"])
    except Exception as e:
        retry = job.attempts < MAX_ATTEMPTS
        job.status = UkgImport.Status.QUEUED if retry else UkgImport.Status.FAILED
        job.message, job.phase = str(e)[:500], ""
        job.save(update_fields=["status", "message", "phase"])
        if retry:
            pause = datetime.timedelta(seconds=30 * 2 ** (job.attempts - 1))
            run_ukg_import.using(run_after=timezone.now() + pause).enqueue(job_id)
        raise
    return job.status


@jobs.when_abandoned(run_ukg_import)
def _import_abandoned(job_id: int) -> None:
    UkgImport.objects.filter(pk=job_id).exclude(
        status__in=(UkgImport.Status.DONE, UkgImport.Status.REJECTED)
    ).update(status=UkgImport.Status.FAILED, message=jobs.lost_message(), phase="")
