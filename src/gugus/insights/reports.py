"""The reports an office sends upward, monthly and per semester: a cover, the summary
table (both ministries and the total), what happened in the period, one table per region
below (provinces of the nation, kab/kota of a province), and the map and the UKG trend
as charts. Written from the tallies only, as PDF (`core.documents`) and XLSX
(`core.sheets`), by the background worker."""

from __future__ import annotations

import datetime
import re

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from gugus.accounts.models import RoleAssignment
from gugus.core import clock
from gugus.core.documents import render_pdf
from gugus.core.errors import DomainError
from gugus.core.sheets import XlsxWriter
from gugus.insights import policies, selectors
from gugus.insights.indicators import BY_KEY, COLUMNS, format_value
from gugus.insights.models import Report, Tally

MONTH = re.compile(r"^(20\d\d)-(0[1-9]|1[0-2])$")
SEMESTER = re.compile(r"^(20\d\d)-([12])$")
# What happened in the period, from the monthly tallies.
IN_PERIOD = [
    ("activities_month", "count"),
    ("attended_month", "count"),
    ("spent_month", "rupiah"),
    ("certified_month", "count"),
]
REGION_COLUMNS = ["schools", "groups", "active_share", "ukg_mean", "quota_fill", "completion"]


def months_of(kind: str, period: str) -> list[str]:
    if kind == Report.Kind.MONTHLY:
        return [period]
    year, half = period.split("-")
    first = 1 if half == "1" else 7
    return [f"{year}-{m:02d}" for m in range(first, first + 6)]


def clean_period(kind: str, period: str) -> str:
    pattern = MONTH if kind == Report.Kind.MONTHLY else SEMESTER
    if kind not in Report.Kind.values or not pattern.match(period or ""):
        raise DomainError(
            _("A monthly report needs a month (2026-10); a semester report a semester (2026-2)."),
            code="invalid",
            field="period",
        )
    return period


def last_period(kind: str, today: datetime.date | None = None) -> str:
    """The period a scheduled report covers: the month or semester just ended."""
    today = today or clock.today()
    if kind == Report.Kind.MONTHLY:
        first = today.replace(day=1) - datetime.timedelta(days=1)
        return f"{first.year}-{first.month:02d}"
    return f"{today.year - 1}-2" if today.month <= 6 else f"{today.year}-1"


def period_label(kind: str, period: str) -> str:
    year, part = period.split("-")
    if kind == Report.Kind.MONTHLY:
        return date_format(datetime.date(int(year), int(part), 1), "F Y")
    return _("Semester %(half)s %(year)s") % {"half": part, "year": year}


def content(report: Report) -> dict:
    """Everything the report holds, from the tallies of its place and its regions."""
    place = selectors.place_for(report.scope)
    year = int(report.period[:4])
    data = selectors.dashboard(
        None, place, year=year, today_year=year, shown="active_share", with_groups=False
    )
    months = months_of(report.kind, report.period)
    own = Tally.objects.filter(scope=place.scope, period__in=months)
    in_period = []
    for measure, kind in IN_PERIOD:
        by_ministry = {m: 0 for m in COLUMNS if m}
        for row in own.filter(measure=measure):
            by_ministry[row.ministry] = by_ministry.get(row.ministry, 0) + row.value
        values = [by_ministry.get(m, 0) for m in COLUMNS if m] + [sum(by_ministry.values())]
        in_period.append(
            (PERIOD_LABELS[measure](), [format_value(v, kind) for v in values], values)
        )
    regions = _regions(place, data, months) if place.children_level else []
    return {
        "report": report,
        "place": place,
        "title": (
            _("Monthly PKB report")
            if report.kind == Report.Kind.MONTHLY
            else _("Semester PKB report")
        ),
        "period_label": period_label(report.kind, report.period),
        "generated": timezone.localtime(),
        "data": data,
        "in_period": in_period,
        "regions": regions,
        "region_headers": [str(BY_KEY[k].label) for k in REGION_COLUMNS],
    }


PERIOD_LABELS = {
    "activities_month": lambda: _("Group activities held"),
    "attended_month": lambda: _("Attendances at group activities"),
    "spent_month": lambda: _("Grant spending recorded"),
    "certified_month": lambda: _("Training certificates issued"),
}


def _regions(place, data, months) -> list[dict]:
    keys = data["periods"].as_keys()
    wanted = {BY_KEY[k].measure for k in REGION_COLUMNS} | {BY_KEY[k].per for k in REGION_COLUMNS}
    rows = Tally.objects.filter(
        parent=place.scope,
        measure__in=wanted | {"activities_month"},
        period__in=set(keys.values()) | set(months),
    ).values_list("scope", "measure", "period", "ministry", "value")
    numbers = selectors.collect(rows)
    found = []
    for child in data["children"]:
        own = numbers.get(child["scope"], {})
        cells = [
            format_value(BY_KEY[k].value(own, keys, None), BY_KEY[k].kind) for k in REGION_COLUMNS
        ]
        held = sum(sum(own.get(("activities_month", m), {}).values()) for m in months)
        found.append({"name": child["name"], "cells": cells, "activities": held})
    return found


def write(report: Report) -> Report:
    """Write the PDF and the workbook in the language of the offices (Indonesian)."""
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING)
    with override("id"):
        context = content(report)
        pdf = render_pdf("insights/report_pdf.html", context)
        xlsx = _workbook(context)
    stem = f"laporan-{report.kind}-{report.period}"
    report.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    report.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
    report.status, report.finished_at, report.error = Report.Status.DONE, timezone.now(), ""
    report.save(update_fields=["pdf", "xlsx", "status", "finished_at", "error"])
    return report


def _workbook(context) -> bytes:
    book = XlsxWriter()
    cover = book.sheet(_("Cover"))
    cover.append([context["title"]])
    cover.append([context["place"].name])
    cover.append([context["period_label"]])
    cover.append([_("Generated"), context["generated"].strftime("%Y-%m-%d %H:%M")])
    columns = [str(c) for c in context["data"]["columns"]]
    summary = book.sheet(_("Summary"))
    summary.append([_("Section"), _("Figure"), *columns])
    for section in context["data"]["sections"]:
        for row in section["rows"]:
            summary.append(
                [
                    str(section["title"]),
                    str(row["indicator"].label),
                    *[_number(c["value"]) for c in row["cells"]],
                ]
            )
    period = book.sheet(_("In the period"))
    period.append([_("Figure"), *columns])
    for label, _texts, values in context["in_period"]:
        period.append([label, *values])
    if context["regions"]:
        regions = book.sheet(_("By region"))
        regions.append([_("Region"), _("Group activities held"), *context["region_headers"]])
        for r in context["regions"]:
            regions.append([r["name"], r["activities"], *r["cells"]])
    return book.bytes()


def _number(value):
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def scheduled_scopes() -> list[str]:
    """The regions an office or supervisor holds a grant for: each gets the scheduled
    reports (the nation for the national offices)."""
    scopes = set()
    for level, province, regency in RoleAssignment.objects.filter(
        revoked_at__isnull=True,
        role__in=policies.OVERSIGHT_ROLES,
        scope_level__in=policies.REGION_LEVELS,
    ).values_list("scope_level", "province_id", "regency_id"):
        scopes.add({"nasional": "N", "provinsi": f"P:{province}", "kabkota": f"K:{regency}"}[level])
    return sorted(scopes)
