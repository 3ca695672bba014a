from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gugus.core import backups


class Command(BaseCommand):
    help = (
        "Restore a backup made by `gugus backup`, then compare every table's count and "
        "checksum and every file's hash with its manifest. --check restores into a "
        "throwaway database and directory instead, leaving production untouched."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--check",
            action="store_true",
            help="restore into a temporary database and directory, compare, and remove them",
        )
        parser.add_argument(
            "--database-url", help="the database to restore into (default: the configured one)"
        )
        parser.add_argument(
            "--media-root", type=Path, help="the directory for the files (default MEDIA_ROOT)"
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="overwrite a database that has tables and move a non-empty directory aside",
        )

    def handle(self, *args, archive, check, database_url, media_root, replace, **options):
        if not archive.is_file():
            raise CommandError(f"{archive} does not exist.")
        configured = backups.Database.from_settings()
        try:
            manifest = backups.read_manifest(archive)
            self.stdout.write(
                f"{archive}: {manifest.vendor} backup of {manifest.created}, Gugus "
                f"{manifest.gugus}, {len(manifest.tables)} tables, {len(manifest.files):,} files."
            )
            if check:
                with backups.scratch_target(configured) as (db, media):
                    result = backups.restore(archive, db=db, media_root=media)
            else:
                db = backups.Database.from_url(database_url) if database_url else configured
                media = media_root or Path(settings.MEDIA_ROOT)
                result = backups.restore(archive, db=db, media_root=media, replace=replace)
        except backups.BackupError as e:
            raise CommandError(str(e)) from e
        for problem in result.problems:
            self.stderr.write(problem)
        summary = (
            f"{result.tables} of {len(manifest.tables)} tables ({result.rows:,} rows) and "
            f"{result.files:,} of {len(manifest.files):,} files match the manifest."
        )
        if not result.ok:
            raise CommandError(f"Restore check failed: {summary}")
        self.stdout.write(f"Restore check passed: {summary}")
