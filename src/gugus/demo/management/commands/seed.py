from django.core.management.base import BaseCommand, CommandError

from gugus.demo.accounts import DEMO_REGENCY, create_demo_accounts
from gugus.demo.generator import SCALES, Generator, create_demo_groups
from gugus.directory.models import School


class Command(BaseCommand):
    help = "Load deterministic demo or scale data (schools, people) on the real regions."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when schools are already loaded"
        )

    def handle(self, *args, scale, seed, if_empty, **options):
        if School.objects.exists():
            if if_empty:
                self.stdout.write("Demo data already loaded.")
                return
            raise CommandError("The database already holds schools; seed an empty database.")
        self.stdout.write(f"Generating '{scale}' data (seed {seed})…")
        counts = Generator(SCALES[scale], seed=seed, log=self.stdout.write).run()
        if scale == "demo":
            create_demo_groups(DEMO_REGENCY)
            create_demo_accounts()
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['schools']:,} schools and {counts['people']:,} people in "
                f"{counts['seconds']} s."
            )
        )
