"""The soak: mixed traffic of every role against a running `make prod` for a bounded
time, PostgreSQL restarted once in the middle, then every write the app acknowledged
looked for in the database.

    python drills/soak.py --prod-dir var/prod --seconds 600 --users 40 \\
        --out drills/out/soak.json

Errors are counted inside and outside the restart window (from the moment PostgreSQL is
told to stop until it answers again, plus `--grace` seconds); the app must recover by
itself: gunicorn and the worker are not restarted, and must still be the same processes
afterwards."""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.prod.conftest import production_environment  # noqa: E402

PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)[-1]


def as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.getuid() == 0 else args


def prepare(env: dict, *what: str) -> dict:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "prod" / "prepare.py"), *what],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def pids(prod_dir: Path) -> dict:
    run = prod_dir / "run"
    return {p.stem: p.read_text().strip() for p in sorted(run.glob("*.pid"))}


def restart_postgres(prod_dir: Path, window: dict) -> None:
    """`pg_ctl restart -m fast`: every connection is cut; the server comes back with the
    options it was started with."""
    data = prod_dir / "pg" / "data"
    window["start"] = time.time()
    subprocess.run(
        as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "restart"]),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PGCTLTIMEOUT": "60"},
    )
    window["end"] = time.time()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--prod-dir", type=Path, required=True)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--grace", type=float, default=2.0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    prod_dir = args.prod_dir.resolve()
    env = production_environment(prod_dir)
    url = f"https://127.0.0.1:{env['GUGUS_HTTPS_PORT']}"
    world = prepare(env, "soak", str(max(args.users, 8)), "4")
    before = pids(prod_dir)
    with tempfile.TemporaryDirectory(prefix="gugus-soak-") as scratch:
        files = {k: Path(scratch) / f"{k}.json" for k in ("world", "events", "acks")}
        files["world"].write_text(json.dumps(world))
        for key in ("events", "acks"):
            files[key].touch()
        window: dict = {}
        timer = threading.Timer(args.seconds / 2, restart_postgres, (prod_dir, window))
        locust_env = {
            **os.environ,
            "SOAK_WORLD": str(files["world"]),
            "SOAK_EVENTS": str(files["events"]),
            "SOAK_ACKS": str(files["acks"]),
            "REQUESTS_CA_BUNDLE": str(prod_dir / "tls" / "cert.pem"),
        }
        started = time.time()
        timer.start()
        subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "locust"),
                "-f",
                str(ROOT / "drills" / "soak_locustfile.py"),
                "--headless",
                "--host",
                url,
                "-u",
                str(args.users),
                "-r",
                str(max(args.users // 5, 1)),
                "-t",
                f"{args.seconds}s",
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=locust_env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=open(Path(scratch) / "locust.log", "w"),  # noqa: SIM115
        )
        crashes = (Path(scratch) / "locust.log").read_text().count("Traceback")
        timer.join()
        events = [json.loads(x) for x in files["events"].read_text().splitlines() if x]
        found = prepare(env, "found", str(files["acks"]))
    after = pids(prod_dir)
    low, high = window["start"], window["end"] + args.grace
    inside = [e for e in events if low <= e["t"] <= high]
    outside = [e for e in events if not low <= e["t"] <= high]
    failures_outside: dict[str, int] = {}
    for e in outside:
        if not e["ok"]:
            key = f"{e['name']} ({e['status']})"
            failures_outside[key] = failures_outside.get(key, 0) + 1
    by_name: dict[str, dict] = {}
    for e in events:
        counts = by_name.setdefault(e["name"], {})
        counts[str(e["status"])] = counts.get(str(e["status"]), 0) + 1
    result = {
        "seconds": args.seconds,
        "users": args.users,
        "requests": len(events),
        "requests_per_second": round(len(events) / (time.time() - started), 1),
        "restart_at_second": round(window["start"] - started, 1),
        "restart_seconds": round(window["end"] - window["start"], 2),
        "errors_inside_window": sum(not e["ok"] for e in inside),
        "requests_inside_window": len(inside),
        "errors_outside_window": sum(failures_outside.values()),
        "failures_outside_window": failures_outside,
        "last_error_after_restart_s": round(
            max((e["t"] for e in events if not e["ok"]), default=low) - window["end"], 2
        ),
        "writes": found,
        "statuses": by_name,
        "processes_unchanged": before == after,
        "load_script_crashes": crashes,
        "processes": after,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
