"""Uploaded files are judged by their content, never by the name the uploader gave them.

Evidence, decrees, receipts, proofs and correction evidence share these rules: the type is
detected from the first bytes (an Office document by the parts inside its zip), the file is
stored under a random name with the extension of that type, and it goes back out only
through `stored_file_response`, whose Content-Type comes from the content again. A file
named `nota.html` that starts with `%PDF-` is therefore stored and served as a PDF, and
nothing an uploader writes can run in another user's browser.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from gugus.core.errors import FieldErrors

MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileType:
    family: str  # "image", "pdf" or "office": what callers accept
    extension: str
    content_type: str
    inline: bool  # a browser may show it in the page without running anything


JPEG = FileType("image", "jpg", "image/jpeg", True)
PNG = FileType("image", "png", "image/png", True)
WEBP = FileType("image", "webp", "image/webp", True)
PDF = FileType("pdf", "pdf", "application/pdf", True)
DOCX = FileType(
    "office",
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    False,
)
XLSX = FileType(
    "office", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False
)
PPTX = FileType(
    "office",
    "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    False,
)
# Every type a stored upload may be sent as (an unknown one goes as octet-stream).
STORED_TYPES = (
    *(t.content_type for t in (JPEG, PNG, WEBP, PDF, DOCX, XLSX, PPTX)),
    "application/octet-stream",
)
# A report Gugus wrote itself (through core.sheets), never an upload.
CSV_REPORT = FileType("report", "csv", "text/csv; charset=utf-8", False)
# The part an Office Open XML package must hold, per kind of document.
OFFICE_PARTS = (
    ("word/document.xml", DOCX),
    ("xl/workbook.xml", XLSX),
    ("ppt/presentation.xml", PPTX),
)


def detect(file) -> FileType | None:
    """The type the file's content says it is, or None for anything else. Reads from the
    start and leaves the file where it found it (at the start)."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            file.seek(0)
        for part, kind in OFFICE_PARTS:
            if part in names:
                return kind
    return None


def check_upload(
    upload, *, field: str, families: tuple[str, ...], expected, max_bytes: int = MAX_BYTES
):
    """Refuse a file that is missing, too big or not of one of `families`; otherwise
    rename it to a random name with its detected extension (so the stored name says
    nothing the uploader chose) and return it, ready to assign to a FileField."""
    if upload is None:
        raise FieldErrors([(field, _("Attach the file."))])
    if upload.size > max_bytes:
        raise FieldErrors(
            [(field, _("The file is larger than %(mb)s MB.") % {"mb": max_bytes // 2**20})]
        )
    kind = detect(upload)
    if kind is None or kind.family not in families:
        raise FieldErrors([(field, _("This file is not %(expected)s.") % {"expected": expected})])
    upload.name = f"{uuid.uuid4().hex}.{kind.extension}"
    return upload


def stored_file_response(
    stored, *, download_name: str, inline: bool = True, written_as: FileType | None = None
) -> FileResponse:
    """The one way a stored file leaves Gugus. The Content-Type is detected from the
    content (or is `written_as`, for a report Gugus wrote itself); `download_name` (chosen
    by Gugus, never by the uploader) gets that type's extension. PDFs and images show
    inline, sandboxed, when `inline`; everything else downloads."""
    if not stored:
        raise Http404()
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404() from None
    kind = written_as or detect(handle)
    if kind is None:
        content_type, extension, shows_inline = "application/octet-stream", "bin", False
    else:
        content_type, extension, shows_inline = kind.content_type, kind.extension, kind.inline
    response = FileResponse(
        handle,
        as_attachment=not (inline and shows_inline),
        filename=f"{download_name}.{extension}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
