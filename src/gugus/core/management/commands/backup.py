from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gugus.core import backups, clock


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files into one archive with a manifest of "
        "every table's row count and checksum and every file's hash."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="the archive to write (default var/backups/gugus-DATE.tar)"
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="afterwards keep only the newest N archives in the archive's directory",
        )

    def handle(self, *args, output, keep, **options):
        output = output or backups.default_path(clock.now())
        try:
            manifest = backups.backup(output)
        except backups.BackupError as e:
            raise CommandError(str(e)) from e
        rows = sum(t["rows"] for t in manifest.tables.values())
        size = sum(f["size"] for f in manifest.files.values())
        self.stdout.write(
            f"{output}: {len(manifest.tables)} tables, {rows:,} rows, "
            f"{len(manifest.files):,} files ({size:,} bytes), "
            f"{output.stat().st_size:,} bytes in all."
        )
        if manifest.missing_files:
            self.stderr.write(
                f"{len(manifest.missing_files)} files named by records were already missing "
                "from the storage (listed under missing_files in the manifest)."
            )
        for gone in backups.prune(output.parent, keep) if keep else []:
            self.stdout.write(f"Removed the older {gone}.")
