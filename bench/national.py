"""Every domain at one scale on one database: the seed step by step (time, rows, the
process's peak memory), the database's size, the main pages and lists of every office
level and role with their queries, and the jobs that recount.

    python bench/national.py --db PostgreSQL --scale nasional \
        --out bench/out/scale-nasional-postgresql.json

The offices and people timed are the same at every scale: the Dinas of Kota Pekalongan
(33.75), the Jawa Tengah province office (33), a school head, a group chair and a teacher
of Kota Pekalongan. `kabupaten` holds Kota Pekalongan alone, `provinsi` Jawa Tengah,
`nasional` the country; so the growth table (`bench/report.py`) compares the same pages
showing the same records while the nation around them grows. A page whose time grows
with the nation rather than with what it shows is a bug.
"""

import argparse
import gc
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.people import bench_users  # noqa: E402
from bench.run import time_requests  # noqa: E402

REGENCY, PROVINCE = "33.75", "33"


def peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def seed(scale_name: str) -> dict:
    """`gugus seed --scale` one step at a time, as the command runs them."""
    from django.db import connection

    from gugus.core.bulk import without_query_log
    from gugus.demo import bulk
    from gugus.demo.competency import ResultGenerator
    from gugus.demo.generator import SCALES, Generator
    from gugus.demo.groups import GroupGenerator
    from gugus.insights import rollups

    generator = Generator(SCALES[scale_name], seed=1, log=lambda _m: None)
    codes = [r.code for r in generator.regencies()]
    steps = {
        "schools and people": lambda: generator.run(),
        "groups, members and activities": lambda: GroupGenerator(seed=1).run(codes),
        "UKG results": lambda: {"results": ResultGenerator(seed=1).run()},
        "grants": lambda: bulk.GrantGenerator(seed=1).run(codes),
        "partnership": lambda: bulk.CohortGenerator(seed=1).run(codes),
        "performance": lambda: bulk.PerformanceGenerator(seed=1).run(codes),
        "training": lambda: bulk.TrainingGenerator(seed=1).run(codes),
        "dashboard tallies": lambda: {"tallies": rollups.refresh(everything=True)},
    }
    figures = {}
    for name, step in steps.items():
        started = time.perf_counter()
        with without_query_log():
            counts = step()
        seconds = time.perf_counter() - started
        rows = sum(v for k, v in counts.items() if k not in ("seconds", "rows"))
        figures[name] = {
            "seconds": round(seconds, 1),
            "rows": rows,
            "rows_per_second": round(rows / seconds) if seconds else None,
            "peak_rss_mb": peak_mb(),
        }
        print(name, figures[name], flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return figures


def database_bytes() -> int:
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
    name = Path(settings.DATABASES["default"]["NAME"])
    return sum(p.stat().st_size for p in name.parent.glob(name.name + "*"))


def people_and_pages() -> tuple[dict, dict]:
    """The bench's users, and the pages each one opens."""
    from django.db.models.functions import Mod

    from gugus.communities.models import Officer, WorkingGroup
    from gugus.directory.models import Person, Province, Regency
    from gugus.grants.models import GrantProgramme, Proposal
    from gugus.partnership.models import Cohort
    from gugus.performance.models import Plan
    from gugus.training.models import Event

    regency = Regency.objects.get(code=REGENCY)
    province = Province.objects.get(code=PROVINCE)
    head = (
        Person.objects.filter(regency=regency, position="kepala", ministry="kemendikbud")
        .annotate(adopted=Mod("school_id", 10))
        .filter(adopted=0)
        .order_by("id")
        .first()
    )
    teacher = Person.objects.filter(school=head.school, position="guru").order_by("id").first()
    group = (
        WorkingGroup.objects.filter(regency=regency, status="active", ministry="kemendikbud")
        .order_by("-activeness_score", "pk")
        .first()
    )
    chair = Officer.objects.filter(group=group, position="ketua").first().person

    users = bench_users(regency, head=head, teacher=teacher, group=group, chair=chair)
    programme = GrantProgramme.objects.filter(regency=regency, ministry="kemendikbud").first()
    proposal = Proposal.objects.filter(programme=programme).order_by("-status", "pk").first()
    cohort = Cohort.objects.filter(province=province).first()
    event = Event.objects.filter(province=province, status="closed").first()
    plan = Plan.objects.filter(school=head.school, role="guru").order_by("-period", "pk").first()
    pages = {
        "national office": {
            "dashboard: nation": "/dasbor/N/",
            "map API: nation": "/api/v1/insights/regions/N?map=ukg_mean",
            "grant programmes": "/bantuan/",
            "training events": "/pelatihan/",
        },
        "province office": {
            "dashboard: province": f"/dasbor/P:{PROVINCE}/",
            "group directory": "/kelompok/",
            "competency map": "/kompetensi/",
            "partnership cohorts": "/kemitraan/",
            "a cohort": f"/kemitraan/{cohort.pk}/",
            "a cohort's pairs (API)": f"/api/v1/cohorts/{cohort.pk}/pairs",
            "a training event": f"/pelatihan/{event.pk}/",
            "training events (API)": "/api/v1/training/events",
            "performance plans": "/kinerja/",
        },
        "district office": {
            "people list": "/ptk/",
            "people (API, 25)": "/api/v1/people?page_size=25",
            "schools list": "/sekolah/",
            "group directory": "/kelompok/",
            "groups (API, 25)": "/api/v1/groups?page_size=25",
            "activeness": "/keaktifan/",
            "dashboard: kab/kota": f"/dasbor/K:{REGENCY}/",
            "grant programmes": "/bantuan/",
            "a programme": f"/bantuan/{programme.pk}/",
            "a proposal": f"/usulan/{proposal.pk}/",
            "a proposal's money": f"/usulan/{proposal.pk}/keuangan/",
            "programmes (API)": "/api/v1/programmes",
            "training nominations": "/pelatihan/usulan/",
            "performance plans": "/kinerja/",
            "plans (API, 25)": "/api/v1/plans?page_size=25",
        },
        "school head": {
            "performance plans": "/kinerja/",
            "a teacher's plan": f"/kinerja/{plan.pk}/",
            "dashboard: a school": f"/dasbor/sekolah/{head.school.npsn}/",
        },
        "supervisor": {"performance plans": "/kinerja/"},
        "group chair": {"a group's page": f"/kelompok/{group.pk}/"},
        "teacher": {"my UKG": "/saya/ukg/", "my training": "/pelatihan/saya/"},
    }
    for role in users:
        pages[role] = {"home page": "/", **pages[role]}
    return users, pages


def time_pages(users: dict, pages: dict, repeat: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment

    setup_test_environment()
    # The seed left millions of objects behind in this process; a web worker holds none.
    # Freeze them so that no page pays for the collector walking them (p95 spikes of
    # 100-250 ms on pages whose median is 20 ms).
    gc.collect()
    gc.freeze()
    figures = {}
    with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["*"], DEBUG=False):
        for role, user in users.items():
            client = Client()
            client.force_login(user)
            if not figures:
                figures["trivial view"] = time_requests(client, "/bench/trivial", repeat)
            for name, url in pages[role].items():
                label = f"{role}: {name}"
                figures[label] = time_requests(client, url, repeat)
                with CaptureQueriesContext(connection) as queries:
                    client.get(url)
                figures[label]["queries"] = len(queries)
                figures[label]["url"] = url
    base = figures["trivial view"]["median_ms"]
    for figure in figures.values():
        figure["ratio_to_trivial"] = round(figure["median_ms"] / base, 1)
    return figures


def time_jobs() -> dict:
    """The daily recounts: every group's activeness, every dashboard tally; and one kab/kota's
    tallies, as the worker recounts after a write."""
    from gugus.communities import activeness
    from gugus.core.models import ChangedPlace
    from gugus.insights import rollups

    jobs = {}
    for name, job in (
        ("activeness of every group", activeness.refresh_all),
        ("every dashboard tally", lambda: rollups.refresh(everything=True)),
    ):
        started = time.perf_counter()
        job()
        jobs[name] = {"seconds": round(time.perf_counter() - started, 2)}
    ChangedPlace.objects.create(scope=f"K:{REGENCY}")
    started = time.perf_counter()
    rollups.refresh()
    jobs["one kab/kota's tallies"] = {"seconds": round(time.perf_counter() - started, 2)}
    return jobs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="label of the database")
    parser.add_argument("--scale", default="nasional")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    os.environ["DJANGO_SETTINGS_MODULE"] = "gugus.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from gugus.directory.models import Person, School

    call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
    started = time.perf_counter()
    steps = seed(args.scale)
    seed_seconds = time.perf_counter() - started
    size = database_bytes()
    users, pages = people_and_pages()
    figures = time_pages(users, pages, args.repeat)
    jobs = time_jobs()
    out = {
        "kind": "scale",
        "db": args.db,
        "scale": args.scale,
        "python": platform.python_version(),
        "machine": f"{os.cpu_count()} cores",
        "date": time.strftime("%Y-%m-%d"),
        "schools": School.objects.count(),
        "people": Person.objects.count(),
        "seed": steps,
        "seed_seconds": round(seed_seconds, 1),
        "seed_rows": sum(step["rows"] for step in steps.values()),
        "peak_rss_mb": peak_mb(),
        "database_bytes": size,
        "figures": figures,
        "jobs": jobs,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2))
    print(json.dumps({k: v for k, v in out.items() if k != "figures"}, indent=2))


if __name__ == "__main__":
    main()
