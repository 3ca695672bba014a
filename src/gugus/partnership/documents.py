"""The documents of the partnership: a cohort as XLSX (its pairs with their cost terms, its
teachers, its visits and the partners' action plans, each read as the reader may see it);
a visit's report as PDF (rundown, attendance by day, observation notes, the partners'
action plans and the conclusion) and its rundown as XLSX for the school's own planning."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from gugus.core.access import visible
from gugus.core.documents import PDF_TYPE, Document, render_pdf
from gugus.core.errors import NotFound
from gugus.core.sheets import XLSX_TYPE, XlsxWriter
from gugus.directory.services import personal_data_read
from gugus.partnership import selectors
from gugus.partnership.models import ActionPlan, Cohort, Pair, Participant, Visit

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


def cohort_xlsx(user, cohort: Cohort) -> bytes:
    """The cohort in four sheets, through the same scope and masking as its page."""
    mask = selectors.masker(user, cohort)
    book = XlsxWriter()
    sheet = book.sheet(_("Pairs"))
    sheet.append(
        [
            _("Host"),
            _("Host's school"),
            _("Host's district/city"),
            _("Partner"),
            _("Partner's school"),
            _("Partner's district/city"),
            _("Subject"),
            _("Gap"),
            "km",
            _("Cost"),
            _("Locked"),
        ]
    )
    pairs = (
        visible(user, Pair)
        .filter(cohort=cohort)
        .select_related(
            "host__person",
            "host__school",
            "host__regency",
            "host__subject",
            "partner__person",
            "partner__school",
            "partner__regency",
        )
        .order_by("host__tier__rank", "host__person__name", "partner__person__name")
    )
    for p in map(mask, pairs):
        sheet.append(
            [
                p.host.person.name,
                p.host.school.name if p.host.school_id else "",
                p.host.regency.name,
                p.partner.person.name,
                p.partner.school.name if p.partner.school_id else "",
                p.partner.regency.name,
                p.host.subject.name,
                p.gap,
                p.km,
                p.cost_points if p.cost is not None else None,
                _("yes") if p.locked else "",
            ]
        )
    sheet = book.sheet(_("Teachers"))
    sheet.append(
        [
            _("Name"),
            _("Tier"),
            _("Subject"),
            _("Level"),
            _("District/city"),
            _("School"),
            _("Score"),
            _("Status"),
            _("Note"),
        ]
    )
    teachers = (
        visible(user, Participant)
        .filter(cohort=cohort)
        .select_related("person", "tier", "subject", "regency", "school")
        .order_by("tier__rank", "subject_id", "-score", "pk")
    )
    for t in map(mask, teachers.iterator(chunk_size=1000)):
        sheet.append(
            [
                t.person.name,
                t.tier.name,
                t.subject.name,
                t.jenjang.upper(),
                t.regency.name,
                t.school.name if t.school_id else "",
                t.score,
                t.get_status_display(),
                t.note,
            ]
        )
    sheet = book.sheet(_("Visits"))
    sheet.append(
        [
            _("From"),
            _("Until"),
            _("Visit"),
            _("Host"),
            _("Partner"),
            _("Place"),
            _("Attendance taken"),
            _("Notes"),
        ]
    )
    for v in selectors.cohort_visits(user, cohort):
        sheet.append(
            [
                v.start,
                v.end,
                v.get_direction_display(),
                v.host.person.name,
                v.partner.person.name if v.partner_id else "",
                v.school.name if v.school_id else v.regency.name,
                f"{v.days_taken}/{v.days}",
                v.notes,
            ]
        )
    sheet = book.sheet(_("Action plans"))
    sheet.append(
        [
            _("Partner"),
            _("What will change in the classroom"),
            _("Steps"),
            _("How it will be known"),
            _("Done by"),
            _("What happened"),
        ]
    )
    plans = (
        visible(user, ActionPlan)
        .filter(participant__cohort=cohort)
        .select_related("participant__person")
        .order_by("participant__person__name")
    )
    for plan in plans:
        sheet.append(
            [
                plan.participant.person.name,
                plan.goal,
                plan.steps,
                plan.indicator,
                plan.due,
                plan.report,
            ]
        )
    return book.bytes()


def cohort_document(user, cohort: Cohort) -> Document:
    """The cohort's workbook; a bulk read of its teachers' personal data, logged."""
    body = cohort_xlsx(user, cohort)
    people = Participant.objects.filter(cohort=cohort).count()
    personal_data_read(actor=user, what="cohort_xlsx", rows=people, filters={"cohort": cohort.pk})
    return Document(body, f"kemitraan-{cohort.pk}.xlsx", XLSX_TYPE)
