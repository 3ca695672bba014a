"""The documents of an On Job Learning visit: its report as PDF (rundown, attendance by
day, observation notes, the partners' action plans and the conclusion) and its rundown as
XLSX for the school's own planning."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from gugus.core.documents import PDF_TYPE, Document, render_pdf
from gugus.core.errors import NotFound
from gugus.core.sheets import XLSX_TYPE, XlsxWriter
from gugus.partnership import selectors
from gugus.partnership.models import Visit

FORMATS = ("pdf", "xlsx")


def _attendance_label(status: str) -> str:
    return {"hadir": _("Present"), "izin": _("Excused"), "absen": _("Absent")}.get(status, "—")


def report_context(user, visit: Visit) -> dict:
    page = selectors.visit_page(user, visit)
    marks = page["attendance"]
    page["grid"] = [
        (m, [_attendance_label(marks[d["n"]].get(m.pk, "")) for d in page["days"]])
        for m in page["members"]
    ]
    return page | {"visit": visit, "cohort": visit.cohort, "generated": timezone.localtime()}


def rundown_xlsx(visit: Visit) -> bytes:
    book = XlsxWriter()
    sheet = book.sheet(_("Rundown"))
    sheet.append([visit.cohort.name])
    sheet.append([visit.get_direction_display(), visit.host.person.name])
    sheet.append([_("Place"), visit.school.name if visit.school_id else visit.regency.name])
    sheet.append([])
    sheet.append(
        [_("Day"), _("Date"), _("From"), _("Until"), _("Activity"), _("Detail"), _("Place")]
    )
    for item in visit.rundown.order_by("day", "starts", "pk"):
        sheet.append(
            [
                item.day,
                visit.date_of(item.day),
                item.starts.strftime("%H:%M"),
                item.ends.strftime("%H:%M"),
                item.get_activity_display(),
                item.detail,
                item.place,
            ]
        )
    return book.bytes()


def visit_document(user, visit: Visit, fmt: str) -> Document:
    """The visit report (PDF) or the rundown (XLSX), for the page and the API alike."""
    if fmt not in FORMATS:
        raise NotFound()
    if fmt == "pdf":
        body = render_pdf("partnership/visit_report_pdf.html", report_context(user, visit))
        return Document(body, f"laporan-ojl-{visit.pk}.pdf", PDF_TYPE)
    return Document(rundown_xlsx(visit), f"susunan-acara-ojl-{visit.pk}.xlsx", XLSX_TYPE)
