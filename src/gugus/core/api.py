"""Core endpoints: the audit log (offices, within their region) and spreadsheet imports
(every registered importer, as on the upload page)."""

from __future__ import annotations

import datetime

from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from gugus.core.access import access, visible
from gugus.core.apitypes import Id, Int, PageOut, PageQuery, one_of, page_out
from gugus.core.imports import IMPORTERS, import_file
from gugus.core.models import AuditEntry, ImportRun

router = Router(tags=["core"])


class AuditOut(Schema):
    id: Int
    at: datetime.datetime
    actor: str | None
    action: str
    target_type: str
    target_id: str
    target_repr: str
    changes: dict
    source: str


def _audit_out(e: AuditEntry) -> dict:
    fields = ("id", "at", "action", "target_type", "target_id", "target_repr", "changes", "source")
    return {**{f: getattr(e, f) for f in fields}, "actor": e.actor.username if e.actor else None}


@router.get("/audit", response=PageOut[AuditOut])
def audit_list(request, q: Query[PageQuery], target_type: str = "", target_id: str = ""):
    qs = visible(request.auth, AuditEntry).select_related("actor")
    if target_type:
        qs = qs.filter(target_type=target_type)
    if target_id:
        qs = qs.filter(target_id=target_id)
    return page_out(request, qs, q.page, q.page_size, item=_audit_out)


class ImportRunErrorOut(Schema):
    row: Int
    column: str
    message: str


class ImportRunOut(Schema):
    id: Int
    kind: str
    filename: str
    status: str
    rows: Int
    created: Int
    updated: Int
    unchanged: Int
    error_count: Int
    errors: list[ImportRunErrorOut]

    @staticmethod
    def resolve_errors(obj):
        return obj.errors[:500]


class ImporterOut(Schema):
    kind: str
    label: str
    columns: list[str]
    required: list[str]
    template: str


@router.get("/imports/kinds", response=PageOut[ImporterOut])
def importer_list(request, q: Query[PageQuery]):
    """What each import takes: its columns (the template's header) and the required ones."""
    rows = [
        {
            "kind": kind,
            "label": str(importer.label),
            "columns": list(importer.columns),
            "required": sorted(importer.required),
            "template": f"/impor/templat/{importer.slug}.csv",
        }
        for kind, importer in IMPORTERS.items()
    ]
    return page_out(request, rows, q.page, q.page_size)


@router.post("/imports", response={201: ImportRunOut})
def import_create(request, kind: Form[one_of(IMPORTERS)], file: File[UploadedFile]):
    """Multipart: the spreadsheet (.csv or .xlsx) and its kind. All or nothing: a file with
    any wrong row writes nothing and comes back `rejected` with every error by row and
    column."""
    return Status(
        201, import_file(actor=request.auth, kind=kind, file=file, filename=file.name or "")
    )


@router.get("/imports/{import_id}", response=ImportRunOut)
def import_detail(request, import_id: Id):
    return access(request.auth, ImportRun, pk=import_id)
