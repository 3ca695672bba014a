"""Exports of directory data; personal identifiers masked unless asked for and allowed."""

from django.utils.translation import gettext as _

from gugus.core.access import actor_for, office_covers
from gugus.core.sheets import XlsxWriter
from gugus.directory.selectors import mask
from gugus.directory.services import personal_data_read

MAX_EXPORT_ROWS = 200_000


def people_xlsx(*, actor, queryset, unmasked: bool, filters: dict) -> bytes:
    """Stream the list into a write-only workbook; log the bulk read (UU 27/2022)."""
    a = actor_for(actor)
    book = XlsxWriter()
    sheet = book.sheet("PTK")
    sheet.append(
        [
            _("Name"),
            "NUPTK",
            "NIP",
            _("Gender"),
            _("Position"),
            "NPSN",
            _("School"),
            _("District/city"),
        ]
    )
    rows = 0
    for p in queryset.select_related("school", "regency")[:MAX_EXPORT_ROWS].iterator(
        chunk_size=2000
    ):
        full = unmasked and office_covers(a, province_id=p.province_id, regency_id=p.regency_id)
        sheet.append(
            [
                p.name,
                p.nuptk if full else mask(p.nuptk),
                p.nip if full else mask(p.nip),
                p.gender,
                p.get_position_display(),
                p.school.npsn if p.school_id else "",
                p.school.name if p.school_id else "",
                p.regency.name,
            ]
        )
        rows += 1
    personal_data_read(
        actor=a,
        what="people_xlsx" + ("_unmasked" if unmasked else ""),
        rows=rows,
        filters=filters,
    )
    return book.bytes()
