"""Background jobs that survive their worker.

django-tasks' database backend marks a job RUNNING when a worker claims it and never looks
at it again: a worker killed mid-job (out of memory, a deploy, a power cut) would leave the
job RUNNING for ever and the page polling it waiting. `gugus worker` keeps a `WorkerBeat`
row while it lives and, every `GUGUS_WORKER_RECLAIM_SECONDS`, gives the jobs of dead
workers back to the queue (`reclaim`). A worker is dead when it ran on this machine and
its process is gone, or ran elsewhere and has not beaten for `GUGUS_WORKER_STALE_SECONDS`.

Running a job again is safe because every job is written to be: a UKG import commits its
results, outcome and audit entry together and starts over otherwise; a certificate batch
skips certificates already written and `issue` returns the one already numbered; a report
is marked done only with both files saved; a tally refresh forgets its marks in the
transaction that writes the counts. A job that has killed `MAX_RUNS` workers is not tried
again: it is marked failed, and the handler its app registered with `when_abandoned` marks
the app's own row (the import, the batch, the report) failed for its page.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gugus.core.models import WorkerBeat

logger = logging.getLogger("gugus.jobs")

MAX_RUNS = 3
HOST = socket.gethostname()[:255]
_abandoned: dict[str, Callable] = {}


def beat_seconds() -> float:
    return settings.GUGUS_WORKER_BEAT_SECONDS


def stale_seconds() -> float:
    return settings.GUGUS_WORKER_STALE_SECONDS


def reclaim_seconds() -> float:
    return settings.GUGUS_WORKER_RECLAIM_SECONDS


def when_abandoned(task) -> Callable:
    """Register what to do when `task` is given up after killing `MAX_RUNS` workers: the
    handler gets the job's arguments and marks the app's row failed."""

    def register(handler: Callable) -> Callable:
        _abandoned[task.module_path] = handler
        return handler

    return register


def lost_message() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("The background worker stopped %(n)s times while doing this job.") % {
            "n": MAX_RUNS
        }


def process_start(pid: int) -> int | None:
    """When the process started (clock ticks since boot), or None if it is gone or a
    zombie; 0 where /proc is not available."""
    stat = Path(f"/proc/{pid}/stat")
    if not Path("/proc/self/stat").exists():
        return 0
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    if fields[0] in ("Z", "X"):
        return None
    return int(fields[19])


def is_alive(beat: WorkerBeat, now: datetime.datetime) -> bool:
    if beat.host == HOST and beat.process_start:
        return process_start(beat.pid) == beat.process_start
    return now - beat.beat_at < datetime.timedelta(seconds=stale_seconds())


def register_worker(worker_id: str) -> WorkerBeat:
    now = timezone.now()
    pid = os.getpid()
    beat, _created = WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": HOST,
            "pid": pid,
            "process_start": process_start(pid) or 0,
            "started_at": now,
            "beat_at": now,
        },
    )
    return beat


def unregister_worker(worker_id: str) -> None:
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


class Heartbeat(threading.Thread):
    """Beside the worker's jobs: refreshes the worker's row every `beat_seconds` and
    reclaims the jobs of dead workers at start and every `reclaim_seconds`, even while a
    long job runs. A database that is away (restarting) only delays both."""

    def __init__(self, worker_id: str, backend_name: str = "default"):
        super().__init__(name="gugus-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.backend_name = backend_name
        self.stopping = threading.Event()

    def run(self) -> None:
        next_reclaim = 0.0
        try:
            while True:
                try:
                    WorkerBeat.objects.filter(worker_id=self.worker_id).update(
                        beat_at=timezone.now()
                    )
                    if time.monotonic() >= next_reclaim:
                        reclaim(self.backend_name)
                        next_reclaim = time.monotonic() + reclaim_seconds()
                except DatabaseError:
                    logger.warning("Heartbeat missed: the database did not answer.")
                    connection.close()
                if self.stopping.wait(min(beat_seconds(), reclaim_seconds())):
                    break
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()


def reclaim(backend_name: str = "default") -> list[str]:
    """Give the jobs of dead workers back to the queue, or up on them after `MAX_RUNS`;
    returns the ids of the jobs touched. Safe to run from several workers at once: each
    change is conditional on the job still being the one seen."""
    now = timezone.now()
    beats = list(WorkerBeat.objects.all())
    alive = {b.worker_id for b in beats if is_alive(b, now)}
    touched = _give_back(backend_name, lambda worker: worker not in alive)
    dead_for_a_day = now - datetime.timedelta(days=1)
    WorkerBeat.objects.exclude(worker_id__in=alive).filter(beat_at__lt=dead_for_a_day).delete()
    return touched


def release(worker_id: str, backend_name: str = "default") -> list[str]:
    """A worker whose job broke off because the database went away gives it back itself:
    alive, it would never be reclaimed."""
    return _give_back(backend_name, lambda worker: worker == worker_id)


def _give_back(backend_name: str, lost: Callable[[str | None], bool]) -> list[str]:
    now = timezone.now()
    touched = []
    running = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, backend_name=backend_name
    )
    for job in running:
        if not lost(job.worker_ids[-1] if job.worker_ids else None):
            continue
        same = DBTaskResult.objects.filter(
            pk=job.pk, status=TaskResultStatus.RUNNING, started_at=job.started_at
        )
        if len(job.worker_ids) < MAX_RUNS:
            if same.update(status=TaskResultStatus.READY, started_at=None, run_after=now):
                logger.warning("Job %s (%s) lost its worker: queued again.", job.pk, job.task_path)
                touched.append(str(job.pk))
            continue
        with transaction.atomic():
            given_up = same.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="gugus.core.jobs.WorkerLost",
                traceback=lost_message(),
            )
            with contextlib.suppress(Exception):
                job.task  # noqa: B018 (imports the job's module, which registers its handler)
            handler = _abandoned.get(job.task_path)
            if given_up and handler:
                args, kwargs = job.args_kwargs["args"], job.args_kwargs["kwargs"]
                handler(*args, **kwargs)
        if given_up:
            logger.error("Job %s (%s) given up after %s workers.", job.pk, job.task_path, MAX_RUNS)
            touched.append(str(job.pk))
    return touched
