"""The real worker (`gugus worker`) killed with SIGKILL at a random moment of a real job:
a UKG import, a tally refresh, a report, a certificate batch. Another worker takes the
job up again, and afterwards everything the job writes is there exactly once and whole.

The number of kills per job is `GUGUS_KILL_ROUNDS` (2 here; `make worker-drill` runs
more and writes the outcome to docs/reliability.md through `GUGUS_KILL_REPORT`)."""

import io
import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gugus.competency import services as competency_services
from gugus.competency.models import Result, Rollup
from gugus.core.changes import mark_everything
from gugus.core.models import AuditEntry, ChangedPlace
from gugus.core.roles import Role
from gugus.directory.models import Person, Province
from gugus.insights import rollups
from gugus.insights.models import Report, Tally
from gugus.insights.services import request_report
from gugus.insights.tasks import refresh_tallies
from gugus.training import certificates, services
from gugus.training.models import Certificate
from tests.factories import PersonFactory, SchoolFactory, user_with_role

ROWS = 5000
ROUNDS = int(os.environ.get("GUGUS_KILL_ROUNDS", "2"))
SEED = int(os.environ.get("GUGUS_KILL_SEED", str(random.randrange(10**6))))
GUGUS = str(Path(sys.executable).with_name("gugus"))
OUTCOMES: list[dict] = []

pytestmark = pytest.mark.usefixtures("regions")


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Workers:
    """`gugus worker` processes against the test database, as `make prod` runs them."""

    def __init__(self, settings):
        self.env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "GUGUS_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "GUGUS_DEBUG": "1",
            "GUGUS_WORKER_BEAT_SECONDS": "0.2",
            "GUGUS_WORKER_RECLAIM_SECONDS": "0.2",
            **({"GUGUS_TODAY": settings.GUGUS_TODAY} if settings.GUGUS_TODAY else {}),
        }
        self.running: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        process = subprocess.Popen(
            [
                GUGUS,
                "worker",
                "--queue-name",
                "*",
                "--interval",
                "0.05",
                "--no-startup-delay",
                "--no-reload",
                "-v",
                "0",
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.running.append(process)
        return process

    def stop_all(self):
        for process in self.running:
            if process.poll() is None:
                process.kill()
            process.wait()


@pytest.fixture
def workers(settings):
    started = Workers(settings)
    yield started
    started.stop_all()


def _wait(condition, timeout=90.0, what="the job"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.005)
    raise AssertionError(f"{what} did not finish within {timeout} s")


def _run_once(workers, task_result_id) -> float:
    """Run the job undisturbed; how long it took from its claim to its end."""
    workers.start()
    job = DBTaskResult.objects.filter(pk=task_result_id)
    _wait(lambda: job.get().status != TaskResultStatus.READY, what="the claim")
    claimed = time.monotonic()
    _wait(lambda: job.get().status == TaskResultStatus.SUCCESSFUL, what="the job")
    workers.stop_all()
    return time.monotonic() - claimed


def _kill_during(workers, task_result_id, rng, duration: float) -> bool:
    """Start a worker, wait until it has claimed the job, SIGKILL it at a random point of
    the job's expected `duration`; a second worker must finish the job. True if the kill
    fell while the job was running."""
    first = workers.start()
    job = DBTaskResult.objects.filter(pk=task_result_id)
    _wait(lambda: job.get().status != TaskResultStatus.READY, what="the claim")
    time.sleep(rng.uniform(0, 0.9 * duration))
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed_mid_job = job.get().status == TaskResultStatus.RUNNING
    workers.start()
    _wait(
        lambda: job.get().status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED),
        what="the job after the kill",
    )
    done = job.get()
    assert done.status == TaskResultStatus.SUCCESSFUL, done.traceback
    assert len(done.worker_ids) == 1 + killed_mid_job
    workers.stop_all()
    return killed_mid_job


def _drill(workers, kind: str, seed: int, start_job, check) -> None:
    """A first run undisturbed measures the job; then `ROUNDS` runs killed at random
    points of it. `start_job(n)` queues the n-th job (returning its task id); `check(n)`
    asserts that everything it wrote is there once and whole."""
    rng = random.Random(seed)
    duration = _run_once(workers, start_job(0))
    check(0)
    kills = []
    for n in range(1, ROUNDS + 1):
        kills.append(_kill_during(workers, start_job(n), rng, duration))
        check(n)
    OUTCOMES.append(
        {"job": kind, "seconds": round(duration, 2), "kills": len(kills), "mid_job": sum(kills)}
    )
    assert any(kills), f"no kill fell inside the job ({duration:.2f} s)"


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    if path := os.environ.get("GUGUS_KILL_REPORT"):
        data = {"vendor": connection.vendor, "seed": SEED, "rounds": ROUNDS, "jobs": OUTCOMES}
        with open(path, "a") as f:
            f.write(json.dumps(data) + "\n")


def _pdf_whole(data: bytes) -> bool:
    return data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")


def test_a_ukg_import_killed_anywhere_writes_every_result_once(workers):
    office = user_with_role(Role.ADMIN_PUSAT)
    school = SchoolFactory()
    teachers = Person.objects.bulk_create(PersonFactory.build_batch(ROWS, school=school))
    jobs = {}

    def start_job(n):
        scores = [(50 + (i + n) % 50, 60 + i % 40) for i in range(len(teachers))]
        rows = "\n".join(
            f"{t.nuptk};{0.3 * p + 0.7 * f:.2f};{p};{f}"
            for t, (p, f) in zip(teachers, scores, strict=True)
        )
        upload = SimpleUploadedFile(
            "ukg.csv", f"nuptk;nilai;pedagogik;profesional\n{rows}".encode()
        )
        jobs[n] = competency_services.ukg_import_start(
            actor=office, event=f"ukg-{n}", year=2015, upload=upload, filename="ukg.csv"
        )
        return DBTaskResult.objects.get(args_kwargs__args=[jobs[n].pk]).pk

    def check(n):
        job = jobs[n]
        job.refresh_from_db()
        assert (job.status, job.phase, job.created, job.error_count) == ("done", "", ROWS, 0)
        assert Result.objects.filter(event=job.event).count() == ROWS
        assert AuditEntry.objects.filter(action="import_scores", target_id=str(job.pk)).count() == 1
        assert Rollup.objects.filter(event=job.event).exists()

    _drill(workers, f"UKG import ({ROWS:,} rows) and its maps", SEED, start_job, check)


def test_a_tally_refresh_killed_anywhere_leaves_the_figures_counted_the_long_way(workers, world):
    def start_job(_n):
        Tally.objects.all().delete()
        mark_everything()
        return refresh_tallies.enqueue().id

    def check(_n):
        assert not ChangedPlace.objects.exists()
        written = set(Tally.objects.values_list("scope", "ministry", "measure", "period", "value"))
        rollups.refresh(everything=True)
        recounted = set(
            Tally.objects.values_list("scope", "ministry", "measure", "period", "value")
        )
        assert written == recounted and recounted

    _drill(workers, "tally refresh (every figure)", SEED + 1, start_job, check)


def test_a_report_killed_anywhere_ends_with_both_files_whole(workers, world):
    office = user_with_role(Role.ADMIN_PROVINSI, province=Province.objects.get(code="34"))
    reports = {}

    def start_job(n):
        reports[n] = request_report(
            actor=office, scope="P:34", kind="bulanan", period=f"2025-{n % 12 + 1:02d}"
        )
        return DBTaskResult.objects.get(args_kwargs__args=[reports[n].pk]).pk

    def check(n):
        report = reports[n]
        report.refresh_from_db()
        assert report.status == Report.Status.DONE
        assert _pdf_whole(report.pdf.read())
        assert zipfile.ZipFile(io.BytesIO(report.xlsx.read())).testzip() is None

    _drill(workers, "monthly report (PDF and XLSX)", SEED + 2, start_job, check)


def test_a_certificate_batch_killed_anywhere_issues_each_certificate_once(
    workers, bbgp, event, clock, kota_heads
):
    people = [p for heads in kota_heads.values() for p in heads]
    participants = [services.nominate(actor=bbgp, event=event, person=p) for p in people]
    services.event_step(actor=bbgp, event=event, step="start")
    for session in event.sessions.all():
        clock.set(session.date.isoformat())
        for p in participants:
            services.check_in(actor=bbgp, session=session, token=p.checkin_token)
    for p in participants:
        services.scores_record(actor=bbgp, participant=p, data={"post_score": "80"})
    event = services.event_step(actor=bbgp, event=event, step="close")
    workers.env["GUGUS_TODAY"] = clock.today.isoformat()

    def start_job(_n):
        Certificate.objects.update(file="")  # every PDF is written again
        batch = certificates.batch_request(actor=bbgp, event=event)
        return DBTaskResult.objects.get(args_kwargs__args=[batch.pk]).pk

    def check(_n):
        numbers = sorted(Certificate.objects.values_list("number", flat=True))
        assert len(numbers) == len(set(numbers)) == len(participants)
        assert AuditEntry.objects.filter(action="certificate_issue").count() == len(participants)
        for certificate in Certificate.objects.all():
            assert _pdf_whole(certificate.file.read()), certificate.number

    _drill(workers, f"certificate batch ({len(participants)} PDFs)", SEED + 3, start_job, check)
