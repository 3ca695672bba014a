"""Bulk certificates: seed 004's phase II (342 participants, all completing) written by the
real background worker.

    DATABASE_URL=sqlite:////tmp/c.sqlite3 .venv/bin/python bench/certificates.py \
        --db SQLite --out bench/out/certificates-sqlite.json
    scripts/with-postgres.sh .venv/bin/python bench/certificates.py \
        --db PostgreSQL --out bench/out/certificates-postgresql.json

Builds the demo's training events (`gugus.demo.training`), lets every phase II participant
complete (all sessions attended, post-test 90), closes nothing more: the event is closed by
the demo. Then the organiser asks for the certificates, which queues one batch, and
`gugus db_worker --batch` (a separate process, as in production) issues the missing numbers
and writes every PDF with its QR code. Reports the worker's wall time, time per
certificate and peak memory (the child process's maximum RSS), and the PDFs' total size.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT / "src"))


def prepare() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gugus.settings")
    os.environ.setdefault("GUGUS_DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from gugus.accounts.models import User
    from gugus.core import clock
    from gugus.demo.training import create_demo_training
    from gugus.training import certificates
    from gugus.training.models import Certificate, CheckIn, Event, Participant

    create_demo_training()
    event = Event.objects.get(kind="pelatihan", phase=2)
    people = list(Participant.objects.filter(event=event, status="nominated"))
    sessions = list(event.sessions.all())
    have = set(CheckIn.objects.filter(session__event=event).values_list("participant", "session"))
    CheckIn.objects.bulk_create(
        CheckIn(participant=p, session=s, method="list")
        for p in people
        for s in sessions
        if (p.pk, s.pk) not in have
    )
    Participant.objects.filter(pk__in=[p.pk for p in people]).update(post_score=90)
    Certificate.objects.filter(participant__event=event).update(file="")
    organiser = User.objects.get(username="admin.bbgp.jatim")
    with clock.as_of(event.ends_on):
        certificates.batch_request(actor=organiser, event=event)
    return len(people)


def run_worker() -> tuple[float, float]:
    """The worker's wall seconds and peak RSS (MB), as a separate process."""
    started = time.perf_counter()
    subprocess.run(
        [str(BIN / "gugus"), "db_worker", "--batch", "--no-startup-delay", "--interval", "0.1"],
        check=True,
        env=os.environ,
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    participants = prepare()
    seconds, peak_mb = run_worker()
    from gugus.training.models import Certificate, CertificateBatch

    batch = CertificateBatch.objects.get()
    files = [c.file for c in Certificate.objects.filter(participant__event=batch.event)]
    total_bytes = sum(f.size for f in files if f)
    result = {
        "db": args.db,
        "participants": participants,
        "written": batch.done,
        "status": batch.status,
        "seconds": round(seconds, 1),
        "ms_per_certificate": round(1000 * seconds / max(batch.done, 1)),
        "peak_mb": round(peak_mb),
        "pdf_kb": round(total_bytes / 1024 / max(batch.done, 1), 1),
        "date": datetime.date.today().isoformat(),
        "python": platform.python_version(),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
