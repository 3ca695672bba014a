"""Background jobs of training, run by `gugus worker`."""

from django_tasks import task

from gugus.core import clock, jobs
from gugus.training import certificates
from gugus.training.models import CertificateBatch


@task()
def write_certificates(batch_id: int) -> str:
    """Issue and write an event's certificates; a failure is kept on the batch for the
    page, and running the batch again picks up where it stopped."""
    batch = CertificateBatch.objects.select_related("event", "requested_by").get(pk=batch_id)
    if batch.status == CertificateBatch.Status.DONE:
        return batch.status
    try:
        batch = certificates.batch_run(batch)
    except Exception as e:
        CertificateBatch.objects.filter(pk=batch_id).update(
            status=CertificateBatch.Status.FAILED, error=str(e)[:500], finished_at=clock.now()
        )
        raise
    return batch.status


@jobs.when_abandoned(write_certificates)
def _batch_abandoned(batch_id: int) -> None:
    CertificateBatch.objects.filter(pk=batch_id).exclude(
        status=CertificateBatch.Status.DONE
    ).update(
        status=CertificateBatch.Status.FAILED, error=jobs.lost_message(), finished_at=clock.now()
    )
