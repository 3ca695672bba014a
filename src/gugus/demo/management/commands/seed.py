from django.core.management.base import BaseCommand, CommandError

from gugus.core.bulk import without_query_log
from gugus.demo import bulk
from gugus.demo.accounts import create_demo_accounts
from gugus.demo.competency import ResultGenerator
from gugus.demo.generator import SCALES, Generator
from gugus.demo.grants import create_demo_grants
from gugus.demo.groups import GroupGenerator
from gugus.demo.outcomes import create_demo_outcomes
from gugus.demo.partnership import create_demo_cohorts
from gugus.demo.performance import create_demo_performance
from gugus.demo.training import create_demo_training
from gugus.directory.models import School
from gugus.insights import rollups


class Command(BaseCommand):
    help = (
        "Load deterministic demo or scale data on the real regions: schools, people, groups, "
        "UKG, grants, partnership, performance and training."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when schools are already loaded"
        )
        parser.add_argument(
            "--skip-groups",
            action="store_true",
            help="only schools and people, no working groups or activities",
        )

    def handle(self, *args, scale, seed, if_empty, skip_groups, **options):
        if School.objects.exists():
            if if_empty:
                self.stdout.write("Demo data already loaded.")
                return
            raise CommandError("The database already holds schools; seed an empty database.")
        self.stdout.write(f"Generating '{scale}' data (seed {seed})…")
        with without_query_log():
            self._seed(scale, seed, skip_groups)

    def _seed(self, scale, seed, skip_groups):
        generator = Generator(SCALES[scale], seed=seed, log=self.stdout.write)
        counts = generator.run()
        if not skip_groups:
            groups = GroupGenerator(seed=seed).run([r.code for r in generator.regencies()])
            self.stdout.write(
                f"{groups.get('groups', 0):,} working groups, {groups.get('activities', 0):,} "
                f"activities, {groups.get('attendance', 0):,} attendance records."
            )
        if not skip_groups:
            results = ResultGenerator(seed=seed).run()
            self.stdout.write(f"{results:,} UKG results, with their maps.")
        if scale != "demo" and not skip_groups:
            # The demo replays its stories through the services; larger scales write rows.
            bulk.fill([r.code for r in generator.regencies()], seed=seed, log=self.stdout.write)
        if scale == "demo":
            create_demo_accounts()
            if not skip_groups:
                programmes = create_demo_grants(seed=seed)
                self.stdout.write(f"{programmes} grant programmes, one in every state.")
                cohorts = create_demo_cohorts()
                self.stdout.write(f"{cohorts} partnership cohorts, paired.")
                plans = create_demo_performance()
                self.stdout.write(f"{plans} performance plans over two semesters.")
                trained = create_demo_training()
                self.stdout.write(f"{trained} training participants (seeds 004 and 002).")
                outcomes = create_demo_outcomes(seed=seed)
                self.stdout.write(f"{outcomes:,} school outcomes (Rapor Pendidikan, 2024-2026).")
        tallies = rollups.refresh(everything=True)
        self.stdout.write(f"{tallies:,} dashboard tallies counted.")
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['schools']:,} schools and {counts['people']:,} people in "
                f"{counts['seconds']} s."
            )
        )
