"""The restore drill: a seeded installation backed up, restored into a fresh database and
directory, every table's count and checksum and every file's hash compared; then a damaged
archive and a changed restore, which the check must refuse.

    python drills/restore.py --db PostgreSQL --scale provinsi --out drills/out/restore-pg.json

Run by `make restore-drill` against a fresh database (scripts/reliability.sh)."""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUGUS = str(ROOT / ".venv" / "bin" / "gugus")


def run(*args, check=True) -> tuple[float, subprocess.CompletedProcess]:
    """One `gugus` command, its time and its own peak memory (wait4's rusage)."""
    started = time.monotonic()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen([GUGUS, *args], stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        done = subprocess.CompletedProcess(args, process.returncode, out.read(), err.read())
    seconds = round(time.monotonic() - started, 1)
    done.peak_mb = usage.ru_maxrss // 1024
    if check and done.returncode:
        sys.exit(f"gugus {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds, done


def peak_mb(done) -> int | None:
    return done.peak_mb


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="label of the database")
    parser.add_argument("--scale", default="provinsi")
    parser.add_argument("--files", type=int, default=5000, help="uploaded files to add")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    work = Path(os.environ["GUGUS_VAR_DIR"])
    archive = work / "backups" / "drill.tar"

    run("migrate", "-v", "0")
    seed_s, _ = run("seed", "--scale", args.scale)
    files_mb = uploads(Path(os.environ.get("GUGUS_MEDIA_ROOT", work / "media")), args.files)
    backup_s, done_backup = run("backup", "--output", str(archive))
    backup_mb = peak_mb(done_backup)
    summary = done_backup.stdout.strip()
    check_s, done = run("restore", "--check", str(archive))
    passed = done.stdout.strip().splitlines()[-1]
    check_mb = peak_mb(done)

    # A damaged copy: one byte of the database changed in the middle of the archive.
    damaged = work / "backups" / "damaged.tar"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    _, refused = run("restore", "--check", str(damaged), check=False)
    cut = work / "backups" / "cut.tar"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    _, cut_refused = run("restore", "--check", str(cut), check=False)

    result = {
        "db": args.db,
        "scale": args.scale,
        "seed_seconds": seed_s,
        "backup_seconds": backup_s,
        "backup_peak_mb": backup_mb,
        "backup_summary": summary,
        "backup_warning": done_backup.stderr.strip(),
        "added_files": args.files,
        "added_files_mb": files_mb,
        "archive_mb": round(archive.stat().st_size / 2**20, 1),
        "check_seconds": check_s,
        "check_peak_mb": check_mb,
        "check": passed,
        "damaged": _last_error(refused),
        "cut": _last_error(cut_refused),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))


def uploads(media: Path, count: int) -> float:
    """Files as evidence and receipts come: 1-200 KB of incompressible bytes, in folders
    of a hundred."""
    rng = random.Random(1)
    total = 0
    for n in range(count):
        path = media / "drill" / f"{n // 100:04d}" / f"bukti-{n}.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = rng.randbytes(rng.randint(1_000, 200_000))
        path.write_bytes(data)
        total += len(data)
    return round(total / 2**20, 1)


def _last_error(done) -> str:
    lines = done.stderr.splitlines() or done.stdout.splitlines()
    return f"exit {done.returncode}: {lines[-1] if lines else ''}"


if __name__ == "__main__":
    main()
