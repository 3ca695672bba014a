"""A job whose worker died is given back to the queue; one that keeps killing its workers
is given up and its page told why."""

import datetime
import os
import subprocess

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gugus.core import jobs
from gugus.core.models import WorkerBeat
from gugus.insights.models import Report
from gugus.insights.tasks import write_report


def _claimed_by(worker_id: str, *, runs: int = 1) -> DBTaskResult:
    report = Report.objects.create(scope="P:34", kind="bulanan", period="2026-03")
    result = write_report.enqueue(report.pk)
    job = DBTaskResult.objects.get(pk=result.id)
    job.worker_ids = [f"earlier-{n}" for n in range(runs - 1)]
    job.claim(worker_id)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING)
    return job


def _beat(worker_id: str, *, pid: int, host: str = jobs.HOST, age: float = 0) -> WorkerBeat:
    at = timezone.now() - datetime.timedelta(seconds=age)
    return WorkerBeat.objects.create(
        worker_id=worker_id,
        host=host,
        pid=pid,
        process_start=jobs.process_start(pid) or 1,
        started_at=at,
        beat_at=at,
    )


def _gone_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_the_job_of_a_worker_whose_process_is_gone_is_queued_again(db):
    _beat("gone", pid=_gone_pid())
    _beat("alive", pid=os.getpid())
    lost, kept = _claimed_by("gone"), _claimed_by("alive")

    assert jobs.reclaim() == [str(lost.pk)]

    lost.refresh_from_db()
    kept.refresh_from_db()
    assert (lost.status, lost.started_at) == (TaskResultStatus.READY, None)
    assert kept.status == TaskResultStatus.RUNNING
    assert jobs.reclaim() == []  # nothing twice


def test_a_worker_on_another_machine_is_dead_only_after_its_beats_stop(db, settings):
    settings.GUGUS_WORKER_STALE_SECONDS = 60
    _beat("there-quiet", pid=1, host="mesin-lain", age=61)
    _beat("there-busy", pid=1, host="mesin-lain", age=5)
    quiet, busy = _claimed_by("there-quiet"), _claimed_by("there-busy")

    assert jobs.reclaim() == [str(quiet.pk)]

    busy.refresh_from_db()
    assert busy.status == TaskResultStatus.RUNNING


def test_a_job_claimed_by_a_worker_that_left_no_row_is_queued_again(db):
    job = _claimed_by("never-registered")

    jobs.reclaim()

    job.refresh_from_db()
    assert job.status == TaskResultStatus.READY


@pytest.mark.usefixtures("indonesian")
def test_a_job_that_lost_three_workers_is_given_up_and_its_report_says_why(db, settings):
    settings.LANGUAGE_CODE = "id"
    job = _claimed_by("gone", runs=jobs.MAX_RUNS)

    jobs.reclaim()

    job.refresh_from_db()
    report = Report.objects.get()
    assert job.status == TaskResultStatus.FAILED
    assert report.status == Report.Status.FAILED
    assert report.error == "Pekerja latar berhenti 3 kali saat mengerjakan tugas ini."
