"""Competency tables as spreadsheets."""

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from gugus.core.sheets import XlsxWriter


def map_xlsx(event, place, component, rows) -> bytes:
    book = XlsxWriter()
    sheet = book.sheet(_("Competency"))
    sheet.append([event.name, place.name, component])
    sheet.append(
        [
            _("Name"),
            _("Teachers"),
            _("Mean"),
            _("Median"),
            _("Below %(mark)s") % {"mark": floatformat(event.pass_mark, -2)},
            _("Below %(mark)s") % {"mark": floatformat(event.target, -2)},
            _("Gap to %(target)s") % {"target": floatformat(event.target, -2)},
        ]
    )
    for rollup, name, _link in rows:
        sheet.append(
            [
                name,
                rollup.n,
                rollup.mean,
                rollup.median,
                rollup.below_pass,
                rollup.below_target,
                rollup.gap,
            ]
        )
    return book.bytes()
