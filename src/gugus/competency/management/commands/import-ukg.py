import sys
import time

from django.core.management.base import BaseCommand, CommandError

from gugus.competency.imports import UkgImporter, file_digest, refresh_maps_due
from gugus.competency.models import UkgEvent, UkgImport
from gugus.competency.services import ukg_event_create
from gugus.core.errors import DomainError
from gugus.core.imports import ImportFileError


class Command(BaseCommand):
    help = (
        "Import UKG results from a CSV or XLSX file (NUPTK or NIP as the key). Nothing is "
        "written unless every row is valid, unless --valid-rows is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--event", required=True, help="event code, e.g. ukg-2015")
        parser.add_argument("--year", type=int, help="creates the event when it is new")
        parser.add_argument("--name", default="", help="the new event's name")
        parser.add_argument(
            "--valid-rows", action="store_true", help="import the valid rows, report the rest"
        )

    def handle(self, *args, file, event, year, name, valid_rows, **options):
        try:
            test_event = UkgEvent.objects.filter(code=event.lower()).first()
            if test_event is None and year:
                test_event = ukg_event_create(
                    actor=None, code=event, year=year, name=name, source="cli"
                )
            elif test_event is None:
                raise CommandError(f"Unknown UKG event '{event}': give --year to create it.")
        except DomainError as e:
            raise CommandError(str(e.message)) from e
        started = time.monotonic()
        with open(file, "rb") as f:
            job = UkgImport.objects.create(
                event=test_event,
                filename=file,
                sha256=file_digest(f),
                mode=UkgImport.Mode.VALID_ROWS if valid_rows else UkgImport.Mode.ALL_OR_NOTHING,
                status=UkgImport.Status.RUNNING,
            )

            def progress(j):
                self.stderr.write(f"\r{j.rows_read:,} rows read", ending="")

            try:
                job = UkgImporter(job, progress=progress).run(f, file)
            except ImportFileError as e:
                job.status, job.message = UkgImport.Status.REJECTED, str(e)
                job.save(update_fields=["status", "message"])
                raise CommandError(str(e)) from e
        seconds = time.monotonic() - started
        self.stderr.write("")
        self.stdout.write(
            f"{job.get_status_display()}: {job.rows_read:,} rows in {seconds:.2f} s; "
            f"{job.created:,} created, {job.updated:,} updated, {job.unchanged:,} unchanged, "
            f"{job.error_count:,} errors."
        )
        started = time.monotonic()
        if refresh_maps_due(job):
            self.stdout.write(f"Maps refreshed in {time.monotonic() - started:.2f} s.")
        if job.error_count:
            self.stdout.write(f"Error report: {job.error_report.path}")
        if job.status == UkgImport.Status.REJECTED:
            sys.exit(1)
