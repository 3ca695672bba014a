"""Writes of the competency app: test events and imports of results."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from gugus.competency.imports import file_digest
from gugus.competency.models import UkgEvent, UkgImport
from gugus.core import audit
from gugus.core.access import CREATE, require, user_of
from gugus.core.errors import FieldErrors
from gugus.directory.services import _text

ALLOWED_SUFFIXES = (".csv", ".xlsx")


def event_for(code: str, year: int | None = None, name: str = "") -> UkgEvent:
    """The event with this code, created when a year is given."""
    code = _text(code).lower()
    event = UkgEvent.objects.filter(code=code).first()
    if event:
        return event
    if not year:
        raise FieldErrors([("event", _("Unknown UKG event '%(code)s'.") % {"code": code})])
    return UkgEvent.objects.create(code=code, year=year, name=name or f"UKG {year}")


@transaction.atomic
def ukg_import_start(
    *, actor, event: UkgEvent, upload, filename: str, mode: str = "all", source: str = "web"
) -> UkgImport:
    """Keep the file and queue its import; the page follows the job's progress."""
    from gugus.competency.tasks import run_ukg_import

    job = UkgImport(user=user_of(actor), event=event, filename=filename[:255])
    require(actor, CREATE, job)
    if not filename.lower().endswith(ALLOWED_SUFFIXES):
        raise FieldErrors([("file", _("Upload a CSV or XLSX file."))])
    if mode not in UkgImport.Mode.values:
        raise FieldErrors([("mode", _("Unknown import mode."))])
    job.mode = mode
    job.sha256 = file_digest(upload)
    suffix = next(s for s in ALLOWED_SUFFIXES if filename.lower().endswith(s))
    job.file.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)  # a name Gugus chose
    job.save()
    audit.record(
        actor=actor,
        action="import",
        obj=job,
        source=source,
        changes={"file": [None, filename], "event": [None, event.code], "mode": [None, mode]},
    )
    transaction.on_commit(lambda: run_ukg_import.enqueue(job.pk))
    return job
