import time

from django.core.management.base import BaseCommand

from gugus.communities import activeness


class Command(BaseCommand):
    help = (
        "Recompute every working group's monthly activeness. Run it daily (for example from "
        "cron): a group that stops meeting must fall in level as months pass, even though "
        "nothing changes in its records."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months", type=int, default=12, help="how many past months to (re)compute per group"
        )

    def handle(self, *args, months, **options):
        started = time.monotonic()
        written = activeness.refresh_all(months=months)
        self.stdout.write(
            f"{written:,} monthly measurements in {time.monotonic() - started:.1f} s."
        )
