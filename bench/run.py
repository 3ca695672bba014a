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
    from gugus.communities import activeness
    from gugus.communities.models import WorkingGroup
    from gugus.core.access import visible
    from gugus.demo.generator import SCALES, Generator
    from gugus.demo.groups import GroupGenerator
    from gugus.directory.models import Person, Province, Regency

    call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
    started = time.perf_counter()
    counts = Generator(SCALES[args.scale], seed=1, log=lambda _m: None).run()
    seed_seconds = time.perf_counter() - started
    scale_regencies = [r.code for r in Generator(SCALES[args.scale]).regencies()]
    started = time.perf_counter()
    group_counts = GroupGenerator(seed=1).run(scale_regencies)
    group_seed_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    scale = SCALES[args.scale]
    if scale.provinces:
        province = Province.objects.get(code=scale.provinces[0])
    elif scale.regencies:
        province = Regency.objects.get(code=scale.regencies[0]).province
    else:
        province = Province.objects.get(code="33")  # nasional: time Jawa Tengah's office
    regency = Regency.objects.filter(code__in=scale_regencies).order_by("-population").first()
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
                "people API (25 per page)": "/api/v1/people?page_size=25",
                "people API, name search": f"/api/v1/people?page_size=25&q={common_name}",
                "schools list page": "/sekolah/",
            }
            a_group = (
                visible(user, WorkingGroup)
                .filter(status="active")
                .order_by("-activeness_score", "pk")
                .first()
            )
            cases.update(
                {
                    "group directory page": "/kelompok/",
                    "group directory, inactive groups": "/kelompok/?level=tidak_aktif",
                    "groups API (25 per page)": "/api/v1/groups?page_size=25",
                    "a group's page": f"/kelompok/{a_group.pk}/",
                    "region activeness page": "/keaktifan/",
                }
            )
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

    # Activeness: every group at once (the daily job), and one group at a time (what a
    # recorded activity costs), the latter timed like a request.
    group_ids = list(WorkingGroup.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    snapshots = activeness.refresh_all()
    refresh_seconds = time.perf_counter() - started
    per_group = []
    for gid in group_ids[: args.repeat]:
        started = time.perf_counter()
        activeness.refresh([gid])
        per_group.append((time.perf_counter() - started) * 1000)
    base = results["province office"]["figures"]["trivial view"]["median_ms"]
    recompute = {
        "groups": len(group_ids),
        "snapshots": snapshots,
        "all_groups_seconds": round(refresh_seconds, 1),
        "groups_per_second": round(len(group_ids) / refresh_seconds),
        "one_group": {
            "median_ms": round(statistics.median(per_group), 2),
            "p95_ms": round(percentile(per_group, 0.95), 2),
            "n": len(per_group),
            "ratio_to_trivial": round(statistics.median(per_group) / base, 1),
        },
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
        "groups_seed": {
            **group_counts,
            "wall_seconds": round(group_seed_seconds, 1),
            "rows_per_second": round(sum(group_counts.values()) / group_seed_seconds),
        },
        "activeness": recompute,
        "requests": results,
        "database": str(settings.DATABASES["default"]["NAME"]),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2))
    print(
        json.dumps(
            {"seed": out["seed"], "groups": out["groups_seed"], "activeness": out["activeness"]}
        )
    )


if __name__ == "__main__":
    main()
