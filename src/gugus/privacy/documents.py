"""A person's own data as JSON (complete, for machines) and PDF (the same, to read)."""

import contextlib
import datetime
import json

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gugus.core.documents import PDF_TYPE, Document, render_pdf
from gugus.privacy.selectors import OwnData


def own_data_json(data: OwnData) -> Document:
    body = json.dumps(data.as_json(), ensure_ascii=False, indent=1, default=str)
    return Document(body.encode(), _name(data, "json"), "application/json")


def own_data_pdf(data: OwnData) -> Document:
    with translation.override(translation.get_language() or "id"):
        sections = [
            (s.title, [[(s.labels[k], _readable(v)) for k, v in row.items()] for row in s.rows])
            for s in data.sections
        ]
        body = render_pdf("privacy/own_data_pdf.html", {"data": data, "sections": sections})
    return Document(body, _name(data, "pdf"), PDF_TYPE)


def _readable(value) -> str:
    """Values as a person reads them: yes/no, local time to the minute, a dash for none."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, str) and len(value) > 19 and value[10:11] == "T":
        with contextlib.suppress(ValueError):
            moment = timezone.localtime(datetime.datetime.fromisoformat(value))
            return f"{moment:%Y-%m-%d %H:%M}"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _name(data: OwnData, extension: str) -> str:
    who = f"ptk-{data.person_id}" if data.person_id else f"akun-{data.user_id}"
    return f"data-saya-{who}-{data.generated_at:%Y%m%d}.{extension}"
