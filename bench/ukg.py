"""UKG benchmarks on one database: the validated import against the database's own bulk
load of the same file, memory as the file grows, and the competency map at scale.

    python bench/ukg.py --db SQLite --scale nasional --rows 1000000 --out bench/out/ukg-sqlite.json

1. Seed schools and people at the scale (no groups).
2. Write CSV files of 100,000 and `--rows` results (NUPTK, decimal commas, as offices have
   them) for the first teachers.
3. Raw bulk load of the same files (`sqlite3 .import` or `COPY` into a plain table).
4. `gugus import-ukg` on each file in its own process: the import's time (read, check,
   write; the maps' refresh after it is reported apart) and peak memory (RSS).
5. Results for every teacher (`demo.competency`), maps refreshed, then map pages timed for
   the nation, a province and a kab/kota against a trivial view.
"""

import argparse
import csv
import json
import os
import platform
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.run import time_requests  # noqa: E402

IMPORTER = """
import os, resource, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "gugus.settings"
import django
django.setup()
from django.core.management import call_command
start = time.perf_counter()
call_command("import-ukg", sys.argv[1], "--event", sys.argv[2], "--year", "2015")
print("BENCH", time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def write_file(path: Path, nuptks: list[str], rng: random.Random) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(["NUPTK", "Nilai Akhir", "Pedagogik", "Profesional"])
        for nuptk in nuptks:
            # Scores within 0-100 first, so the total agrees with its parts (UKG 2015's
            # published weights, which the import checks).
            ped, prof = (round(min(max(rng.gauss(m, 10), 0), 100), 2) for m in (49, 55))
            total = 0.3 * ped + 0.7 * prof
            writer.writerow([nuptk, *(f"{v:.2f}".replace(".", ",") for v in (total, ped, prof))])


def raw_load(path: Path, table: str) -> float:
    """The database's own bulk path for the same file, into a plain table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            f"CREATE TABLE {table} (nuptk varchar(16), total varchar(10), "
            "pedagogik varchar(10), profesional varchar(10))"
        )
    start = time.perf_counter()
    if connection.vendor == "sqlite":
        connection.close()
        subprocess.run(
            [
                "sqlite3",
                connection.settings_dict["NAME"],
                ".mode csv",
                ".separator ;",
                f".import --skip 1 {path} {table}",
            ],
            check=True,
        )
    else:
        with (
            connection.cursor() as cursor,
            path.open("rb") as f,
            cursor.cursor.copy(
                f"COPY {table} FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)"
            ) as copy,
        ):
            while data := f.read(1 << 20):
                copy.write(data)
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {table}")
    return seconds


def validated_import(path: Path, event: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", IMPORTER, str(path), event],
        capture_output=True,
        text=True,
        env=os.environ,
    )
    if done.returncode:
        raise SystemExit(f"The import of {path} failed:\n{done.stdout}{done.stderr[-2000:]}")
    out = done.stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH"))
    _label, _total, rss_kb = line.split()
    summary = next(x for x in out.splitlines() if " rows in " in x)
    seconds = float(re.search(r"rows in ([\d.]+) s", summary).group(1))
    maps = re.search(r"Maps refreshed in ([\d.]+) s", out)
    return {
        "seconds": round(seconds, 2),
        "maps_seconds": round(float(maps.group(1)), 2) if maps else None,
        "peak_rss_mb": round(int(rss_kb) / 1024, 1),
        "summary": summary,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--scale", default="nasional")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--out", required=True)
    parser.add_argument(
        "--imports-only", action="store_true", help="stop after the imports (no map step)"
    )
    args = parser.parse_args()

    os.environ["DJANGO_SETTINGS_MODULE"] = "gugus.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from gugus.accounts.models import RoleAssignment, User
    from gugus.competency.models import Result, UkgEvent, UkgImport
    from gugus.core.roles import OfficeKind
    from gugus.demo.competency import ResultGenerator
    from gugus.demo.generator import SCALES, Generator
    from gugus.directory.models import Person
    from gugus.directory.offices import standard_office

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    counts = Generator(SCALES[args.scale], seed=1, log=lambda _m: None).run()
    seed_seconds = round(time.perf_counter() - started, 1)
    nuptks = list(
        Person.objects.filter(nuptk__isnull=False, position="guru")
        .order_by("id")
        .values_list("nuptk", flat=True)[: args.rows]
    )
    work = Path(os.environ.get("GUGUS_VAR_DIR", "/tmp")) / "ukg-bench"
    work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(1)
    imports = []
    for n in sorted({min(100_000, len(nuptks)), len(nuptks)}):
        path = work / f"ukg-{n}.csv"
        write_file(path, nuptks[:n], rng)
        raw = raw_load(path, "raw_ukg_bench")
        first = validated_import(path, f"bench-{n}")
        again = validated_import(path, f"bench-{n}")
        imports.append(
            {
                "rows": n,
                "file_mb": round(path.stat().st_size / 1e6, 1),
                "raw_load_seconds": round(raw, 2),
                "import": first,
                "rows_per_second": round(n / first["seconds"]),
                "ratio_to_raw_load": round(first["seconds"] / raw, 2),
                "reimport": again,
            }
        )
        path.unlink()
    print("imports", json.dumps(imports), flush=True)
    if args.imports_only:
        write_out(args, connection, counts, imports, seed_seconds=seed_seconds)
        return
    # Raw deletes: a million results through the ORM's collector held gigabytes.
    Result.objects.all()._raw_delete(connection.alias)
    UkgImport.objects.all().delete()
    UkgEvent.objects.filter(code__startswith="bench-").delete()

    started = time.perf_counter()
    results = ResultGenerator(seed=1).run()
    results_seconds = round(time.perf_counter() - started, 1)

    office = User.objects.create_user("bench.pusat", password="x")
    RoleAssignment.objects.create(
        user=office,
        role="admin_pusat",
        scope_level="nasional",
        office=standard_office(OfficeKind.DITJEN_GTK),
    )
    regency = Person.objects.order_by("id").values_list("regency_id", flat=True).first()
    province = regency.split(".")[0]
    setup_test_environment()
    figures = {}
    with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["*"], DEBUG=False):
        client = Client()
        client.force_login(office)
        for label, url in (
            ("trivial view", "/bench/trivial"),
            ("map: nation", "/kompetensi/"),
            ("map: province", f"/kompetensi/?wilayah={province}"),
            ("map: kab/kota", f"/kompetensi/?wilayah={regency}"),
            ("map API: nation", "/api/v1/competency/map"),
        ):
            figures[label] = time_requests(client, url, args.repeat)
    base = figures["trivial view"]["median_ms"]
    for figure in figures.values():
        figure["ratio_to_trivial"] = round(figure["median_ms"] / base, 1)
        figure["p95_ratio_to_trivial"] = round(figure["p95_ms"] / base, 1)

    write_out(
        args,
        connection,
        counts,
        imports,
        seed_seconds=seed_seconds,
        results=results,
        results_seconds=results_seconds,
        map=figures,
    )


def write_out(args, connection, counts, imports, **more) -> None:
    Path(args.out).write_text(
        json.dumps(
            {
                "db": args.db,
                "vendor": connection.vendor,
                "scale": args.scale,
                "python": platform.python_version(),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores",
                "people": counts["people"],
                "imports": imports,
                **more,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
