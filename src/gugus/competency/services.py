"""Writes of the competency app: test events and imports of results."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from gugus.competency.imports import file_digest
from gugus.competency.models import UkgEvent, UkgImport
from gugus.competency.tasks import run_ukg_import
from gugus.core import audit
from gugus.core.access import CREATE, require, user_of
from gugus.core.cleaning import clean_text
from gugus.core.errors import FieldErrors

ALLOWED_SUFFIXES = (".csv", ".xlsx")
# Published weights of the total by year (the 2015 sitting: 0.3 × pedagogik + 0.7 ×
# profesional, which reproduces the national 53.02 from 48.94 and 54.77), the default
# of a new event of that year.
PUBLISHED_WEIGHTS = {2015: (Decimal("0.3"), Decimal("0.7"))}


@transaction.atomic
def ukg_event_create(
    *,
    actor,
    code: str,
    year: int,
    name: str = "",
    weights: tuple | None = None,
    source: str = "web",
) -> UkgEvent:
    """A new sitting of the UKG. Only a national office creates one (`actor=None` is the
    server's operator at the command line); the creation is audited. `weights` (pedagogik,
    profesional) make every import check each total against its components."""
    weights = weights or PUBLISHED_WEIGHTS.get(year)
    event = UkgEvent(
        code=clean_text(code).lower(),
        year=year,
        name=clean_text(name) or f"UKG {year}",
        pedagogik_weight=Decimal(str(weights[0])) if weights else None,
        profesional_weight=Decimal(str(weights[1])) if weights else None,
    )
    if actor is not None:
        require(actor, CREATE, event)
    errors = []
    if not event.code or len(event.code) > 40 or not re.fullmatch(r"[a-z0-9_-]+", event.code):
        errors.append(("event", _("An event code uses letters, digits and '-' (e.g. ukg-2024).")))
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors.append(("year", _("The year is between 2000 and 2100.")))
    if weights and (
        min(event.weights) < 0 or event.pedagogik_weight + event.profesional_weight != 1
    ):
        errors.append(("weights", _("The two weights are between 0 and 1 and add up to 1.")))
    if UkgEvent.objects.filter(code=event.code).exists():
        errors.append(("event", _("The event '%(code)s' exists already.") % {"code": event.code}))
    if errors:
        raise FieldErrors(errors)
    event.save()
    audit.record(
        actor=actor,
        action="create",
        obj=event,
        source=source,
        changes={
            "code": [None, event.code],
            "year": [None, year],
            "name": [None, event.name],
            "weights": [None, [str(w) for w in event.weights] if event.weights else None],
        },
    )
    return event


def _event(*, actor, code: str, year: int | None, source: str) -> UkgEvent:
    """The event with this code; a new one (when a year is given) only for those allowed."""
    event = UkgEvent.objects.filter(code=clean_text(code).lower()).first()
    if event:
        return event
    if not year:
        raise FieldErrors([("event", _("Unknown UKG event '%(code)s'.") % {"code": code})])
    return ukg_event_create(actor=actor, code=code, year=year, source=source)


# A national file of a million results is about 50 MB as CSV; the proxy takes 110 MB.
MAX_UKG_BYTES = 100 * 2**20


@transaction.atomic
def ukg_import_start(
    *,
    actor,
    event: str,
    year: int | None = None,
    upload,
    filename: str,
    mode: str = "all",
    source: str = "web",
) -> UkgImport:
    """Keep the file and queue its import of the event with code `event` (created with
    `year` when new, by an office allowed to); the page follows the job's progress. The
    job writes only the results of teachers the importer's office covers."""
    job = UkgImport(user=user_of(actor), filename=filename[:255])
    require(actor, CREATE, job)  # before anything else, so a refusal leaves no event behind
    job.event = _event(actor=actor, code=event, year=year, source=source)
    if not filename.lower().endswith(ALLOWED_SUFFIXES):
        raise FieldErrors([("file", _("Upload a CSV or XLSX file."))])
    if getattr(upload, "size", 0) > MAX_UKG_BYTES:
        limit = {"mb": MAX_UKG_BYTES // 2**20}
        raise FieldErrors([("file", _("The file is larger than %(mb)s MB.") % limit)])
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
        changes={"file": [None, filename], "event": [None, job.event.code], "mode": [None, mode]},
    )
    transaction.on_commit(lambda: run_ukg_import.enqueue(job.pk))
    return job
