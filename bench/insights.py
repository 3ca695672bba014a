"""Dashboard and home-page benchmarks on one database, at a scale (`nasional` in
`make bench`):

    python bench/insights.py --db SQLite --scale nasional --out bench/out/insights-sqlite.json

1. Seed schools and people, working groups with a year of activities and attendance, and
   UKG results for every teacher (the demo generators).
2. Count every dashboard tally from the records (`gugus refresh_insights`): its time and
   the tallies written; then one kab/kota's recount, as the worker does after a write.
3. Time each dashboard (nation, a province, a kab/kota, a group, a school; the map API)
   and the home page of each role against a trivial view, median and p95, with the
   queries each page makes.
"""

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.people import bench_users  # noqa: E402
from bench.run import time_requests  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--scale", default="nasional")
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--out", required=True)
    parser.add_argument(
        "--seeded",
        help="the JSON of an earlier run on this same database: time the pages again "
        "without seeding and recounting (its seed and recount figures are kept)",
    )
    args = parser.parse_args()

    os.environ["DJANGO_SETTINGS_MODULE"] = "gugus.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment

    from gugus.accounts.models import User
    from gugus.communities.models import Officer, WorkingGroup
    from gugus.core.models import ChangedPlace
    from gugus.demo.competency import ResultGenerator
    from gugus.demo.generator import SCALES, Generator
    from gugus.demo.groups import GroupGenerator
    from gugus.directory.models import Person, Regency
    from gugus.insights import rollups
    from gugus.insights.models import Tally

    earlier = json.loads(Path(args.seeded).read_text()) if args.seeded else None
    if earlier:
        regencies = [r.code for r in Generator(SCALES[args.scale]).regencies()]
        regency = Regency.objects.filter(code__in=regencies).order_by("-population").first()
        User.objects.filter(username__startswith="bench.").delete()
    else:
        call_command("migrate", verbosity=0)
        scale = SCALES[args.scale]
        started = time.perf_counter()
        counts = Generator(scale, seed=1, log=lambda _m: None).run()
        regencies = [r.code for r in Generator(scale).regencies()]
        GroupGenerator(seed=1).run(regencies)
        results = ResultGenerator(seed=1).run()
        seed_seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        started = time.perf_counter()
        tallies = rollups.refresh(everything=True)
        full_seconds = time.perf_counter() - started
        regency = Regency.objects.filter(code__in=regencies).order_by("-population").first()
        ChangedPlace.objects.create(scope=f"K:{regency.code}")
        started = time.perf_counter()
        rollups.refresh()
        one_seconds = time.perf_counter() - started

    province = regency.province
    group = (
        WorkingGroup.objects.filter(regency=regency, status="active", ministry="kemendikbud")
        .order_by("-activeness_score", "pk")
        .first()
    )
    head = Person.objects.filter(regency=regency, position="kepala", ministry="kemendikbud").first()
    teacher = Person.objects.filter(school=head.school, position="guru").first()
    chair = Officer.objects.filter(group=group, position="ketua").first().person

    users = bench_users(regency, head=head, teacher=teacher, group=group, chair=chair)
    pages = {
        "dashboard: nation": "/dasbor/N/",
        "dashboard: province": f"/dasbor/P:{province.code}/",
        "dashboard: kab/kota": f"/dasbor/K:{regency.code}/",
        "dashboard: a group": f"/dasbor/kelompok/{group.pk}/",
        "dashboard: a school": f"/dasbor/sekolah/{head.school.npsn}/",
        "map API: nation": "/api/v1/insights/regions/N?map=ukg_mean",
        "records behind a number: the nation's teachers": "/dasbor/N/teachers/",
        "records behind a number: a kab/kota's teachers": f"/dasbor/K:{regency.code}/teachers/",
    }

    setup_test_environment()
    figures = {}
    with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["*"], DEBUG=False):
        national = Client()
        national.force_login(users["national office"])
        figures["trivial view"] = time_requests(national, "/bench/trivial", args.repeat)
        for name, url in pages.items():
            figures[name] = time_requests(national, url, args.repeat)
            with CaptureQueriesContext(connection) as queries:
                national.get(url)
            figures[name]["queries"] = len(queries)
        for role, u in users.items():
            client = Client()
            client.force_login(u)
            name = f"home page: {role}"
            figures[name] = time_requests(client, "/", args.repeat)
            with CaptureQueriesContext(connection) as queries:
                client.get("/")
            figures[name]["queries"] = len(queries)
    base = figures["trivial view"]["median_ms"]
    for figure in figures.values():
        figure["ratio_to_trivial"] = round(figure["median_ms"] / base, 1)
        figure["p95_ratio"] = round(figure["p95_ms"] / base, 1)

    if earlier:
        counts = {"schools": earlier["schools"], "people": earlier["people"]}
        results, tallies = earlier["results"], earlier["tallies"]
        seed_seconds = earlier["seed_seconds"]
        full_seconds = earlier["full_refresh_seconds"]
        one_seconds = earlier["one_regency_refresh_seconds"]
    out = {
        "kind": "insights",
        "db": args.db,
        "scale": args.scale,
        "python": platform.python_version(),
        "schools": counts["schools"],
        "people": counts["people"],
        "groups": WorkingGroup.objects.count(),
        "results": results,
        "seed_seconds": round(seed_seconds, 1),
        "tallies": tallies,
        "tally_rows": Tally.objects.count(),
        "full_refresh_seconds": round(full_seconds, 1),
        "one_regency_refresh_seconds": round(one_seconds, 2),
        "regency": regency.name,
        "date": time.strftime("%Y-%m-%d"),
        "figures": figures,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
