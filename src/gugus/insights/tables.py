"""The dashboard as rows for a spreadsheet, and the page each listed record opens."""

from __future__ import annotations

import io

from django.urls import reverse
from django.utils.translation import gettext as _

from gugus.communities.models import Activity, WorkingGroup
from gugus.core.sheets import XLSX_TYPE, CsvWriter, XlsxWriter
from gugus.directory.models import Person, School
from gugus.grants.models import Proposal
from gugus.insights.indicators import INDICATORS
from gugus.partnership.models import Visit
from gugus.performance.models import Plan
from gugus.training.models import Event
from gugus.training.models import Participant as Trainee

LINKS = {
    School: lambda o: reverse("school_detail", args=[o.npsn]),
    Person: lambda o: reverse("person_detail", args=[o.pk]),
    WorkingGroup: lambda o: reverse("insights_group", args=[o.pk]),
    Activity: lambda o: reverse("activity_detail", args=[o.pk]),
    Proposal: lambda o: reverse("proposal_detail", args=[o.pk]),
    Visit: lambda o: reverse("visit_detail", args=[o.pk]),
    Plan: lambda o: reverse("plan_detail", args=[o.pk]),
    Event: lambda o: reverse("training_detail", args=[o.pk]),
    Trainee: lambda o: reverse("training_participant", args=[o.pk]),
}


def link_of(obj) -> str:
    make = LINKS.get(type(obj))
    return make(obj) if make else ""


def measure_label(measure: str) -> str:
    return next((str(i.label) for i in INDICATORS if i.measure == measure), measure)


def figure_rows(data: dict) -> list[list]:
    """Section, figure, then each ministry and the total, as numbers (a share as a
    fraction), for a spreadsheet to compute with."""
    rows = [[_("Section"), _("Figure"), *(str(c) for c in data["columns"])]]
    for section in data["sections"]:
        for row in section["rows"]:
            rows.append(
                [
                    str(section["title"]),
                    str(row["indicator"].label),
                    *[_plain(c["value"]) for c in row["cells"]],
                ]
            )
    return rows


def children_rows(data: dict) -> list[list]:
    mapped = data["mapped"]
    rows = [[_("Code"), _("Region"), str(mapped.label), _("Class")]]
    classes = dict(mapped.classes())
    for child in data["children"]:
        rows.append(
            [
                child["code"],
                child["name"],
                _plain(child["value"]),
                classes.get(child["css"], _("No data")),
            ]
        )
    return rows


def figures_file(data: dict, fmt: str) -> tuple[bytes | str, str, str]:
    """The dashboard as a workbook (figures, and the regions when it has a map) or CSV
    (figures): body, file name and content type, for the page and the API alike."""
    name = f"dasbor-{data['place'].scope.replace(':', '-')}-{data['periods'].year}"
    if fmt == "csv":
        out = io.StringIO()
        writer = CsvWriter(out)
        for row in figure_rows(data):
            writer.writerow(row)
        return out.getvalue(), f"{name}.csv", "text/csv; charset=utf-8"
    book = XlsxWriter()
    sheet = book.sheet(data["place"].name[:31])
    for row in figure_rows(data):
        sheet.append(row)
    if data["children"]:
        regions = book.sheet(str(data["mapped"].label)[:31])
        for row in children_rows(data):
            regions.append(row)
    return book.bytes(), f"{name}.xlsx", XLSX_TYPE


def _plain(value):
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)
