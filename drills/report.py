"""docs/reliability.md, section by section: each drill replaces its own section and leaves
the others as the last run of theirs wrote them."""

import datetime
import os
import platform
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "reliability.md"

HEAD = """# Reliability

What happens to Gugus on a bad day, measured: backups restored and compared, background
workers killed in the middle of their jobs, the database restarted under load, and hostile
files offered to every upload and import. The short versions run in `make test`; each
section below is written by the long version's command, which it names. `make reliability`
runs them all.
"""


def machine() -> str:
    system = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores"
    return f"{system}, Python {platform.python_version()}"


def write_section(title: str, lines: list[str]) -> None:
    """Replace the section headed `## title` (or append it), keeping the others."""
    text = DOC.read_text() if DOC.exists() else HEAD
    heading = f"## {title}"
    parts = text.split("\n## ")
    head, sections = parts[0], {p.split("\n", 1)[0]: p for p in parts[1:]}
    stamp = f"Run {datetime.date.today():%Y-%m-%d} on {machine()}."
    sections[title] = "\n".join([title, "", *lines, "", stamp, ""])
    order = [s.split("\n", 1)[0] for s in parts[1:]]
    if title not in order:
        order.append(title)
    body = head.rstrip("\n") + "\n"
    for name in order:
        body += "\n## " + sections[name].strip("\n") + "\n"
    DOC.write_text(body)
    print(f"{DOC}: {heading}")


def _short(message: str) -> str:
    """Temporary directories out of a message: `/tmp/gugus-drill.x/a/b.tar` is `b.tar`."""
    return re.sub(r"/tmp/\S*/([^/\s]+)", r"\1", message)


def restore_section(runs: list[dict]) -> None:
    lines = [
        "Each installation seeded (`gugus seed --scale SCALE`), given uploaded files of",
        "1-200 KB, backed up with `gugus backup`, then checked with `gugus restore --check`:",
        "restored into a new database and a temporary directory, every table's row count",
        "and SHA-256 and every file's hash compared with the manifest. Then the same archive",
        "with one byte changed in its middle, and cut in half: both must be refused before",
        "anything is written. `make restore-drill` (`scripts/reliability.sh restore`;",
        "`RELIABILITY_DBS`, `RESTORE_SCALE`, `RESTORE_FILES` narrow it).",
        "",
        "| database | scale | rows | files | archive MB | backup s | backup peak MB | "
        "check s | check peak MB | result |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in runs:
        rows = r["check"].split("(")[1].split(" rows")[0]
        files = r["check"].split(" and ")[1].split(" of ")[0]
        result = "passed" if r["check"].startswith("Restore check passed") else r["check"]
        lines.append(
            f"| {r['db']} | {r['scale']} | {rows} | {files} | {r['archive_mb']} | "
            f"{r['backup_seconds']} | {r['backup_peak_mb']} | {r['check_seconds']} | "
            f"{r['check_peak_mb']} | {result} |"
        )
    lines += [
        "",
        "The SQLite archive holds the database file as it is; PostgreSQL's `pg_dump` custom",
        "format is compressed. Refused, as they must be (the archive's path shortened):",
        "",
    ]
    for r in runs:
        lines.append(f"- {r['db']}, one byte changed: {_short(r['damaged'])}")
        lines.append(f"- {r['db']}, cut in half: {_short(r['cut'])}")
    warnings = [f"- {r['db']}: {r['backup_warning']}" for r in runs if r["backup_warning"]]
    if warnings:
        lines += ["", "Warnings of the backup:", "", *warnings]
    write_section("Backup and restore (drills/restore.py)", lines)


def workers_section(runs: list[dict]) -> None:
    lines = [
        "`tests/reliability/test_worker_killed.py` with more rounds: a real `gugus worker`",
        "process claims a real job; after a random part of the job's measured duration it is",
        "killed with SIGKILL and another worker started. The job must end successful, with",
        "everything it writes there exactly once and whole: every UKG result, one audit entry",
        "and the maps; every tally equal to a recount from scratch; both report files",
        "readable; each certificate numbered once, audited once, its PDF whole. A kill that",
        "fell after the job's end is counted apart. `make worker-drill`",
        "(`scripts/reliability.sh workers`; `KILL_ROUNDS`, `RELIABILITY_DBS`).",
        "",
        "| database | job | undisturbed s | kills | mid-job | afterwards whole and once |",
        "|---|---|---:|---:|---:|---|",
    ]
    for run in runs:
        name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[run["vendor"]]
        for job in run["jobs"]:
            lines.append(
                f"| {name} | {job['job']} | {job['seconds']} | {job['kills']} | "
                f"{job['mid_job']} | yes |"
            )
    seeds = ", ".join(f"{r['vendor']} {r['seed']}" for r in runs)
    lines += ["", f"Random seeds (`GUGUS_KILL_SEED` repeats a run): {seeds}."]
    write_section("Workers killed mid-job (tests/reliability/test_worker_killed.py)", lines)


def hostile_section(runs: list[dict]) -> None:
    lines = [
        "`tests/reliability/test_hostile_files.py`, run by `make hostile-drill`",
        "(`scripts/reliability.sh hostile`) on each database: every import (`POST",
        "/api/v1/imports`, each kind with its own header, so only the hostility can refuse",
        "it) and the UKG import are offered files in UTF-16 and Latin-1, with NUL bytes,",
        "with a cell of 2 MB, a workbook cut short, an HTML page named `.xlsx`, an image",
        "named `.csv`, a program, a zip bomb (a 200 KB workbook unpacking to 300 MB) and",
        "files over the size limits. Each is refused with the message below (what the office",
        "reads, in Indonesian) and nothing is written: the schools, people, groups,",
        "memberships and UKG results are counted before and after.",
        "",
        "| database | file | imports tried | refused with |",
        "|---|---|---:|---|",
    ]
    for run in runs:
        name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[run["vendor"]]
        by_file: dict[str, dict[str, list[str]]] = {}
        for r in run["refusals"]:
            by_file.setdefault(r["file"], {}).setdefault(r["message"], []).append(r["import"])
        for file, messages in sorted(by_file.items()):
            for message, imports in messages.items():
                shown = message if len(message) < 140 else message[:137] + "..."
                lines.append(f"| {name} | {file} | {len(imports)} | {shown} |")
    total = sum(len(r["refusals"]) for r in runs)
    lines += ["", f"{total} hostile offers, every one refused, nothing written."]
    write_section("Hostile files (tests/reliability/test_hostile_files.py)", lines)


def soak_section(runs: list[dict]) -> None:
    lines = [
        "`make soak` (`scripts/soak.sh`: a fresh `make prod` on free ports, then",
        "`drills/soak.py`; `SOAK_SECONDS` and `SOAK_USERS`, 600 and 40 by default, the run",
        "below gives its own in the table): mixed",
        "traffic through nginx and TLS (locust, headless) of every role: teachers (their",
        "account, tokens, correction requests) and group chairs (activities read and",
        "recorded) through the API; a school head, a supervisor and the kab/kota, province",
        "and national offices signed in on the page, reading their pages.",
        "Halfway, PostgreSQL is restarted (`pg_ctl restart -m fast`: every connection cut).",
        "The restart window runs from the stop until the server answers again, plus two",
        "seconds. Every write answered 201 is looked for in the database afterwards.",
        "",
        "| | |",
        "|---|---:|",
    ]
    for r in runs:
        writes = r["writes"]
        acknowledged = sum(w["acknowledged"] for w in writes.values())
        found = sum(w["found"] for w in writes.values())
        lines += [
            f"| users, seconds | {r['users']}, {r['seconds']} |",
            f"| requests served | {r['requests']:,} ({r['requests_per_second']}/s) |",
            f"| restart at, lasting | {r['restart_at_second']} s, {r['restart_seconds']} s |",
            f"| requests inside the window, of them failed | {r['requests_inside_window']}, "
            f"{r['errors_inside_window']} |",
            f"| failed outside the window | {r['errors_outside_window']} |",
            f"| writes acknowledged / found | {acknowledged:,} / {found:,} |",
            f"| gunicorn and worker restarted | {'no' if r['processes_unchanged'] else 'YES'} |",
        ]
        lines += [
            "",
            "Writes by kind: "
            + ", ".join(
                f"{kind} {w['acknowledged']} acknowledged, {w['found']} found"
                for kind, w in writes.items()
            )
            + ".",
        ]
    write_section("The database restarted under load (drills/soak.py)", lines)


if __name__ == "__main__":
    import json
    import sys

    kind, *files = sys.argv[1:]
    if kind in ("workers", "hostile"):
        data = [json.loads(line) for f in files for line in Path(f).read_text().splitlines()]
    else:
        data = [json.loads(Path(f).read_text()) for f in files]
    sections = {
        "restore": restore_section,
        "workers": workers_section,
        "soak": soak_section,
        "hostile": hostile_section,
    }
    sections[kind](data)
