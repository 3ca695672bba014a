"""Deadline day: the observation-submit and assessment-submit paths under load, as when
every head submits at the last moment (DOMAIN.md §6).

    scripts/with-postgres.sh .venv/bin/python bench/deadline.py --out bench/out/deadline.json

Prepares `--users` schools, each with a head holding an API token, a teacher whose cycle
waits for the observation and a teacher whose cycle waits for the assessment; serves
Gugus with gunicorn (`--workers` sync workers, production settings) on a loopback port;
warms it with a short run that is not reported; then runs locust headless, bounded in
users and time (the users arrive over ten seconds), at each pace (seconds between a
user's turns): the deadline users (each a head reading and submitting an observation
and an assessment for their own teachers) and the same number of users asking the
trivial /healthz view as often. Reports throughput, p50/p95/p99 latency and errors per path, and the
throughput against the trivial view's.

With `--target URL` it loads a Gugus that is already running instead (`make prod`: nginx,
TLS and gunicorn), preparing the schools in the database that the environment names:

    set -a; . var/prod/gugus.env; set +a
    .venv/bin/python bench/deadline.py --target https://127.0.0.1:8443 \
        --ca var/prod/tls/cert.pem --out bench/out/deadline-prod.json
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT / "src"))


def prepare(users: int) -> list[dict]:
    """The schools, heads, teachers and plans of the run, written through the ORM."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gugus.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from gugus.accounts.models import RoleAssignment, User
    from gugus.accounts.services import api_token_create
    from gugus.core.roles import Role
    from gugus.directory.models import District, Person, Position, School
    from gugus.performance.models import (
        Cycle,
        ObservationRating,
        Plan,
        Rubric,
        Stage,
    )
    from gugus.performance.services import period_for

    today = datetime.date.today()
    period = period_for(today)
    # A rehearsal semester: every window open today, as after an office's extensions.
    for field in ("plan_opens", "run_opens", "assess_opens"):
        setattr(period, field, min(getattr(period, field), today))
    for field in ("plan_closes", "run_closes", "assess_closes"):
        setattr(period, field, max(getattr(period, field), today))
    period.save()
    rubric = Rubric.objects.order_by("-published_at").first()
    indicators = list(rubric.indicators.all())
    district = District.objects.filter(regency_id="34.71").first()
    accounts = []
    # A second run on the same database (a running `make prod`) adds schools of its own.
    first = School.objects.filter(name__startswith="SD Uji Beban ").count()
    for n in range(first, first + users):
        school = School.objects.create(
            npsn=f"9{n:07d}",
            name=f"SD Uji Beban {n}",
            jenjang="sd",
            status="negeri",
            ministry="kemendikbud",
            district=district,
            regency_id=district.regency_id,
            province_id=district.regency.province_id,
        )
        place = {
            "school": school,
            "regency_id": school.regency_id,
            "province_id": school.province_id,
            "ministry": school.ministry,
        }
        head = Person.objects.create(name=f"Kepala {n}", position=Position.KEPALA, **place)
        head_user = User.objects.create(username=f"kepala-beban-{n}", person=head)
        RoleAssignment.objects.create(
            user=head_user, role=Role.KEPALA_SEKOLAH, scope_level="sekolah", school=school
        )
        _token, key = api_token_create(user=head_user, name="beban")
        plans = []
        for kind in ("observe", "assess"):
            person = Person.objects.create(name=f"Guru {kind} {n}", position=Position.GURU, **place)
            plan = Plan.objects.create(
                period=period,
                person=person,
                role="guru",
                school=school,
                province_id=school.province_id,
                regency_id=school.regency_id,
                ministry=school.ministry,
                status="agreed",
            )
            cycle = Cycle.objects.create(
                plan=plan,
                rubric=rubric,
                **({"reflect": 3, "learn": 2, "change": 2} if kind == "assess" else {}),
            )
            done = {1, 2, 3, 4, 5} if kind == "assess" else {1}
            Stage.objects.bulk_create(
                Stage(
                    cycle=cycle, kind=k, done_at=django.utils.timezone.now() if k in done else None
                )
                for k in range(1, 6)
            )
            ObservationRating.objects.bulk_create(
                ObservationRating(
                    cycle=cycle, indicator=i, rating="efektif" if kind == "assess" else ""
                )
                for i in indicators
            )
            plans.append(plan.pk)
        accounts.append({"token": key, "observe": plans[0], "assess": plans[1]})
    return accounts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port: int, workers: int, env: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "gugus.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _i in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not answer /healthz")


def load(user_class: str, host: str, users: int, seconds: int, env: dict, out: Path) -> dict:
    prefix = out / user_class
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            user_class,
            "--headless",
            "-u",
            str(users),
            "-r",
            str(max(1, users // 5)),
            "-t",
            f"{seconds}s",
            "--host",
            host,
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "5",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        check=False,
    )
    rows = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
            }
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--paces",
        default="10,5",
        help="seconds between a user's turns, one run each: the deadline pace, then faster",
    )
    parser.add_argument("--target", help="the URL of a running Gugus to load instead")
    parser.add_argument("--ca", help="the certificate that the target's TLS is checked against")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    accounts = prepare(args.users)
    work = Path(tempfile.mkdtemp(prefix="gugus-deadline-"))
    (work / "accounts.json").write_text(json.dumps(accounts))
    env = {
        key: value for key, value in os.environ.items() if key not in ("GUGUS_DEBUG", "GUGUS_TODAY")
    }
    env |= {"GUGUS_BENCH_ACCOUNTS": str(work / "accounts.json")}
    if args.ca:
        env["REQUESTS_CA_BUNDLE"] = str(Path(args.ca).resolve())
    if args.target:
        host, server = args.target.rstrip("/"), None
    else:
        env |= {
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "GUGUS_SSL_REDIRECT": "0",
            "GUGUS_PROXY_COUNT": "0",
            "PYTHONPATH": str(ROOT / "src"),
        }
        port = free_port()
        host, server = f"http://127.0.0.1:{port}", serve(port, args.workers, env)
    runs = []
    try:
        # Warm the workers (imports, connections) with a short run that is not reported.
        env["GUGUS_BENCH_WAIT"] = "1"
        load("DeadlineUser", host, 20, 10, env, work)
        for pace in [float(p) for p in args.paces.split(",")]:
            env["GUGUS_BENCH_WAIT"] = str(pace)
            deadline = load("DeadlineUser", host, args.users, args.seconds, env, work)
            trivial = load("TrivialUser", host, args.users, args.seconds, env, work)
            total, base = deadline.get("Aggregated", {}), trivial.get("Aggregated", {})
            runs.append(
                {
                    "pace": pace,
                    "paths": {k: v for k, v in deadline.items() if k != "Aggregated"},
                    "total": total,
                    "trivial": base,
                    "throughput_ratio": round(total["rps"] / base["rps"], 2)
                    if base.get("rps")
                    else None,
                }
            )
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
    result = {
        "db": "PostgreSQL",
        "served_by": "nginx (TLS) and gunicorn, `make prod`" if args.target else "gunicorn",
        "date": datetime.date.today().isoformat(),
        "python": platform.python_version(),
        "cores": os.cpu_count(),
        "users": args.users,
        "seconds": args.seconds,
        "workers": args.workers
        if not args.target
        else int(os.environ.get("GUGUS_WEB_WORKERS", 2 * (os.cpu_count() or 1) + 1)),
        "runs": runs,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
