"""The one maker of generated documents (reports, decision lists, visit reports): PDF from
a template through WeasyPrint, and the document handed to the download helper."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

PDF_TYPE = "application/pdf"


@dataclass(frozen=True)
class Document:
    body: bytes
    filename: str
    content_type: str


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.MEDIA_ROOT)).write_pdf()
