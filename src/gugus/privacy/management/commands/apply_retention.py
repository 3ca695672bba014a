from django.core.management.base import BaseCommand

from gugus.privacy import retention


class Command(BaseCommand):
    help = (
        "Delete the personal data the retention rule no longer keeps (gugus.privacy."
        "retention): memberships and officer posts five years after the year they ended, "
        "the sign-in history and revoked tokens of accounts revoked a year ago."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args, dry_run, **options):
        counts = retention.apply(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        summary = ", ".join(f"{n:,} {key.replace('_', ' ')}" for key, n in counts.items())
        self.stdout.write(f"{verb}: {summary}.")
