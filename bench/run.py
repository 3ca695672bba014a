"""Benchmarks on one database: seed throughput and page/API latency at a given scale.

    python bench/run.py --db sqlite --scale provinsi --out bench/out/sqlite.json

Timings go through Django's full request stack in-process (middleware, session, scoping,
templates) and are reported with the same run's trivial view as the yardstick, because
absolute times on a shared machine drift; ratios do not.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def time_requests(client, url, repeat, warmup=5, **headers):
    for _i in range(warmup):
        assert client.get(url, **headers).status_code == 200, url
    samples = []
    for _i in range(repeat):
        start = time.perf_counter()
        response = client.get(url, **headers)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(percentile(samples, 0.95), 2),
        "n": repeat,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="label of the database (sqlite/postgresql)")
    parser.add_argument("--scale", default="provinsi")
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    os.environ["DJANGO_SETTINGS_MODULE"] = "gugus.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from gugus.accounts.models import RoleAssignment, User
    from gugus.demo.generator import SCALES, Generator
    from gugus.directory.models import Person, Province, Regency

    call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
    started = time.perf_counter()
    counts = Generator(SCALES[args.scale], seed=1, log=lambda _m: None).run()
    seed_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    scale = SCALES[args.scale]
    province = Province.objects.get(code=scale.provinces[0]) if scale.provinces else None
    regency = Regency.objects.filter(province=province).order_by("-population").first()
    admin = User.objects.create_user("bench.admin", password="x")
    RoleAssignment.objects.create(
        user=admin, role="admin_provinsi", scope_level="provinsi", province=province
    )
    district_admin = User.objects.create_user("bench.kab", password="x")
    RoleAssignment.objects.create(
        user=district_admin, role="admin_kabkota", scope_level="kabkota", regency=regency
    )

    setup_test_environment()
    results = {}
    with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["*"], DEBUG=False):
        for label, user in (("province office", admin), ("district office", district_admin)):
            client = Client()
            client.force_login(user)
            common_name = (
                Person.objects.filter(province=province)
                .values_list("name", flat=True)
                .first()
                .split()[0]
            )
            cases = {
                "trivial view": "/bench/trivial",
                "people list page": "/ptk/",
                "people list page, name search": f"/ptk/?q={common_name}",
                "people list page, page 40": "/ptk/?page=40",
                "people API (25 per page)": "/api/v1/people",
                "people API, name search": f"/api/v1/people?q={common_name}",
                "schools list page": "/sekolah/",
            }
            figures = {name: time_requests(client, url, args.repeat) for name, url in cases.items()}
            base = figures["trivial view"]["median_ms"]
            for figure in figures.values():
                figure["ratio_to_trivial"] = round(figure["median_ms"] / base, 1)
            results[label] = {
                "scope": str(province if user is admin else regency),
                "people_in_scope": Person.objects.filter(province=province).count()
                if user is admin
                else Person.objects.filter(regency=regency).count(),
                "figures": figures,
            }

    out = {
        "db": args.db,
        "engine": connection.vendor,
        "scale": args.scale,
        "python": platform.python_version(),
        "machine": f"{os.cpu_count()} cores",
        "seed": {
            **counts,
            "wall_seconds": round(seed_seconds, 1),
            "rows_per_second": round(counts["rows"] / seed_seconds),
        },
        "requests": results,
        "database": str(settings.DATABASES["default"]["NAME"]),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2))
    print(json.dumps(out["seed"]))


if __name__ == "__main__":
    main()
