"""Spreadsheets of groups and of a group's attendance."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from gugus.communities import activeness
from gugus.communities.models import Activity, Attendance

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def groups_xlsx(queryset) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Working groups"))
    sheet.append(
        [
            _("Name"),
            _("Type"),
            _("Level"),
            _("Subject"),
            _("District/city"),
            _("Province"),
            _("Status"),
            _("Activeness"),
            _("Score"),
        ]
    )
    for g in queryset.select_related("regency", "province", "subject").iterator(chunk_size=2000):
        sheet.append(
            [
                g.name,
                g.get_kind_display(),
                g.get_jenjang_display() if g.jenjang else "",
                g.subject.name if g.subject_id else "",
                g.regency.name if g.regency_id else "",
                g.province.name,
                g.get_status_display(),
                str(activeness.LEVEL_LABELS.get(g.activeness_level, "")),
                g.activeness_score if g.activeness_score is not None else "",
            ]
        )
    return workbook_bytes(book)


def attendance_xlsx(group) -> bytes:
    """One row per member, one column per held activity: the register offices ask for."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Attendance"))
    activities = list(group.activities.filter(status=Activity.Status.HELD).order_by("date"))
    sheet.append([_("Name"), "NUPTK", *[f"{a.date:%d-%m-%Y} {a.topic}" for a in activities]])
    marks = {
        (a.activity_id, a.person_id): a.get_status_display()
        for a in Attendance.objects.filter(activity__in=activities)
    }
    for m in group.memberships.select_related("person").order_by("person__name_search"):
        p = m.person
        sheet.append([p.name, p.nuptk or "", *[marks.get((a.pk, p.pk), "") for a in activities]])
    return workbook_bytes(book)
