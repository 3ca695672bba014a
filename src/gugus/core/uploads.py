"""Uploaded files are checked by their content, not their name: evidence, decrees,
receipts and proofs share these signatures and the size limit."""

from django.utils.translation import gettext as _

from gugus.core.errors import FieldErrors

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = {
    "image": (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF"),
    "pdf": (b"%PDF",),
    "office": (b"PK\x03\x04",),
}


def family_of(upload) -> str | None:
    """Which family of file the upload's first bytes say it is (None if none)."""
    head = upload.read(12)
    upload.seek(0)
    for family, signatures in SIGNATURES.items():
        if any(head.startswith(sig) for sig in signatures):
            if family == "image" and head.startswith(b"RIFF") and head[8:12] != b"WEBP":
                return None
            return family
    return None


def check_upload(upload, *, field: str, families: tuple[str, ...], expected) -> None:
    """Refuse a file that is missing, too big or not of one of `families`."""
    if upload is None:
        raise FieldErrors([(field, _("Attach the file."))])
    if upload.size > MAX_BYTES:
        raise FieldErrors([(field, _("The file is larger than 10 MB."))])
    if family_of(upload) not in families:
        raise FieldErrors([(field, _("This file is not %(expected)s.") % {"expected": expected})])
