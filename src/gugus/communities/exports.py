"""Spreadsheets of groups and of a group's attendance."""

from django.utils.translation import gettext as _

from gugus.communities import activeness
from gugus.communities.models import Activity, Attendance
from gugus.core.sheets import XlsxWriter
from gugus.directory.selectors import mask, shows_identifiers
from gugus.directory.services import personal_data_read


def groups_xlsx(queryset) -> bytes:
    book = XlsxWriter()
    sheet = book.sheet(_("Working groups"))
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
    return book.bytes()


def attendance_xlsx(*, actor, group) -> bytes:
    """One row per member, one column per held activity: the register offices ask for.
    NUPTKs are masked unless the reader sees that person's identifiers (members and
    the ketua do not); the download is logged as a read of personal data."""
    book = XlsxWriter()
    sheet = book.sheet(_("Attendance"))
    activities = list(group.activities.filter(status=Activity.Status.HELD).order_by("date"))
    sheet.append([_("Name"), "NUPTK", *[f"{a.date:%d-%m-%Y} {a.topic}" for a in activities]])
    marks = {
        (a.activity_id, a.person_id): a.get_status_display()
        for a in Attendance.objects.filter(activity__in=activities)
    }
    rows = 0
    for m in group.memberships.select_related("person").order_by("person__name_search"):
        p = m.person
        nuptk = p.nuptk if shows_identifiers(actor, p) else mask(p.nuptk)
        sheet.append([p.name, nuptk or "", *[marks.get((a.pk, p.pk), "") for a in activities]])
        rows += 1
    personal_data_read(actor=actor, what="attendance_xlsx", rows=rows, filters={"group": group.pk})
    return book.bytes()
