from django.core.management.base import BaseCommand, CommandError

from gugus.core.errors import DomainError
from gugus.insights import services
from gugus.insights.models import Report


class Command(BaseCommand):
    help = (
        "Queue the monthly (or semester) report of every region that has an office or "
        "supervisor, for the month (semester) just ended; the background worker writes "
        "them. Run it on the first day of each month from cron or a systemd timer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--semester", action="store_true", help="semester reports")
        parser.add_argument("--period", help="another period: 2026-10, or 2026-2 for a semester")

    def handle(self, *args, semester, period, **options):
        kind = Report.Kind.SEMESTER if semester else Report.Kind.MONTHLY
        try:
            made = services.queue_scheduled(kind, period)
        except DomainError as e:
            raise CommandError(str(e.message)) from e
        self.stdout.write(f"{made} reports queued.")
