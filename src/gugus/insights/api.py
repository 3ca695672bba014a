"""Insights endpoints: the region dashboards with their map data, the records behind a
number, the group and school dashboards, the impact analysis, the reports (ask, follow,
download), the figures as a workbook or CSV, and each person's list of what to do next.
Every page action has its endpoint here."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Path, Query, Router, Schema, Status

from gugus.communities.models import WorkingGroup
from gugus.core import clock
from gugus.core.access import access, visible
from gugus.core.apitypes import (
    DOCUMENT_TYPES,
    BodyIn,
    Id,
    Int,
    PageOut,
    PageQuery,
    file_response,
    one_of,
    page_out,
)
from gugus.core.errors import NotFound
from gugus.core.roles import Ministry
from gugus.core.uploads import PDF, XLSX, stored_file_response
from gugus.core.views import attachment
from gugus.directory.models import School
from gugus.insights import impact, local, measures, selectors, services, tables, todo
from gugus.insights.indicators import MAPPED
from gugus.insights.models import Report

router = Router(tags=["insights"])

Scope = Annotated[
    str,
    Path(
        pattern=r"^(N|P:\d{2}|K:\d{2}\.\d{2})$",
        description="N (the nation), P:35 (a province) or K:35.78 (a kab/kota)",
    ),
]
MAPS = one_of([i.key for i in MAPPED])


class InsightPlaceOut(Schema):
    scope: str
    level: str
    name: str
    above: list[dict] = Field(description="the regions above, from the nation down")


class InsightFigureOut(Schema):
    section: str
    key: str
    label: str
    kind: str = Field(description="count, rupiah, share (a fraction), score or rate")
    kemendikbud: float | None
    kemenag: float | None
    total: float | None
    records: str | None = Field(description="the measure whose records are behind it")


class InsightRegionOut(Schema):
    scope: str
    code: str
    name: str
    value: float | None
    css_class: str = Field(description="the map class: c0 (lowest) to c4, or none")


class InsightDashboardOut(Schema):
    place: InsightPlaceOut
    year: Int
    semester: str
    ukg: str
    refreshed_at: str | None
    regions_being_counted: Int
    figures: list[InsightFigureOut]
    map: str = Field(description="the figure the regions are classed by")
    classes: list[dict] = Field(description="each map class and the bounds it states")
    regions: list[InsightRegionOut]


class DashboardQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    map: MAPS = "active_share"


def _place(request, scope: str):
    place = selectors.place_for(scope)
    if place is None or not selectors.sees_place(request.auth, place):
        raise NotFound()
    return place


def _dashboard(request, scope, query):
    return selectors.dashboard(
        request.auth,
        _place(request, scope),
        year=query.year,
        today_year=clock.today().year,
        shown=query.map,
    )


@router.get("/insights/regions/{scope}", response=InsightDashboardOut)
def region_dashboard(request, scope: Scope, query: Query[DashboardQuery]):
    """A region's figures for both ministries and in total, and its regions for the map
    (the provinces of the nation, the kab/kota of a province)."""
    data = _dashboard(request, scope, query)
    place = data["place"]
    figures = [
        {
            "section": section["key"],
            "key": row["indicator"].key,
            "label": str(row["indicator"].label),
            "kind": row["indicator"].kind,
            "kemendikbud": row["cells"][0]["value"],
            "kemenag": row["cells"][1]["value"],
            "total": row["cells"][2]["value"],
            "records": row["indicator"].measure
            if row["indicator"].measure in measures.MEASURES
            else None,
        }
        for section in data["sections"]
        for row in section["rows"]
    ]
    return {
        "place": {
            "scope": place.scope,
            "level": place.level,
            "name": place.name,
            "above": [{"scope": s, "name": n} for s, n in place.trail],
        },
        "year": data["periods"].year,
        "semester": data["periods"].semester,
        "ukg": data["periods"].ukg,
        "refreshed_at": data["refreshed"].isoformat() if data["refreshed"] else None,
        "regions_being_counted": data["pending"],
        "figures": figures,
        "map": data["mapped"].key,
        "classes": [{"class": c, "label": label} for c, label in data["mapped"].classes()],
        "regions": [{**c, "css_class": c["css"], "value": c["value"]} for c in data["children"]],
    }


@router.get("/insights/regions/{scope}/table", **file_response("the figures", DOCUMENT_TYPES))
def region_table(
    request, scope: Scope, query: Query[DashboardQuery], format: one_of(("xlsx", "csv")) = "xlsx"
):
    """The dashboard's figures (and its regions) as a workbook or CSV."""
    data = _dashboard(request, scope, query)
    return attachment(*tables.figures_file(data, format))


class InsightRecordOut(Schema):
    type: str
    id: str
    label: str


class RecordsQuery(PageQuery):
    ministry: one_of(Ministry) | None = None
    period: str = Field(
        "", max_length=20, description="as the figure reads it: 2026, 2026-1, ukg-2024"
    )


@router.get("/insights/regions/{scope}/records/{measure}", response=PageOut[InsightRecordOut])
def region_records(
    request, scope: Scope, measure: one_of(sorted(measures.MEASURES)), query: Query[RecordsQuery]
):
    """The records behind a number that the reader may see (the number counts them all)."""
    place = _place(request, scope)
    qs = measures.records(
        measure,
        province=place.province_id,
        regency=place.regency_id,
        ministry=query.ministry,
        period=query.period,
    )
    rows = visible(request.auth, qs.model, qs).select_related().order_by("pk")
    return page_out(
        request,
        rows,
        query.page,
        query.page_size,
        item=lambda o: {"type": o._meta.label_lower, "id": str(o.pk), "label": str(o)},
    )


class InsightSectionOut(Schema):
    title: str
    rows: list[dict]


class InsightLocalOut(Schema):
    name: str
    year: Int
    sections: list[InsightSectionOut]


class YearQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)


def _local(name, data):
    return {
        "name": name,
        "year": data["year"],
        "sections": [
            {
                "title": str(title),
                "rows": [
                    {"label": str(r["label"]), "value": r["value"], "text": r["text"]} for r in rows
                ],
            }
            for title, rows in data["sections"]
        ],
    }


@router.get("/insights/groups/{group_id}", response=InsightLocalOut)
def group_dashboard(request, group_id: Id, query: Query[YearQuery]):
    group = access(request.auth, WorkingGroup, pk=group_id)
    data = local.group_dashboard(group, year=query.year or clock.today().year)
    return _local(group.name, data)


@router.get("/insights/schools/{npsn}", response=InsightLocalOut)
def school_dashboard(
    request, npsn: Annotated[str, Path(pattern=r"^\d{8}$")], query: Query[YearQuery]
):
    school = access(request.auth, School, npsn=npsn)
    data = local.school_dashboard(school, year=query.year or clock.today().year)
    return _local(school.name, data)


class InsightEstimateOut(Schema):
    took_part: Int
    comparison: Int
    pairs: Int
    enough: bool = Field(description="false: not enough matched pairs for a figure")
    treated_change: float | None
    comparison_change: float | None
    effect: float | None
    low: float | None = Field(description="95% confidence interval, lower bound")
    high: float | None
    p_value: float | None


class InsightImpactOut(Schema):
    programme: str
    index: str
    before: Int | None
    after: Int | None
    schools: InsightEstimateOut | None
    teachers: InsightEstimateOut | None
    sittings: list[str]
    method: str


class ImpactQuery(Schema):
    programme: one_of(impact.PROGRAMMES) = "training"
    index: one_of(impact.INDICES) = "literacy"
    before: int | None = Field(None, ge=2000, le=2100)
    after: int | None = Field(None, ge=2000, le=2100)


@router.get("/insights/regions/{scope}/impact", response=InsightImpactOut)
def region_impact(request, scope: Scope, query: Query[ImpactQuery]):
    """Matched difference in differences (the method is `method`)."""
    place = _place(request, scope)
    params = {
        "program": query.programme,
        "indeks": query.index,
        "dari": str(query.before or ""),
        "ke": str(query.after or ""),
    }
    data = selectors.impact_page(place, params)
    return {
        "programme": data["programme"],
        "index": data["index"],
        "before": data["before"],
        "after": data["after"],
        "schools": _estimate(data["schools"]),
        "teachers": _estimate(data["teachers"]),
        "sittings": [e.code for e in data["sittings"]],
        "method": impact.__doc__,
    }


def _estimate(result):
    if result is None:
        return None
    return {**result.__dict__, "enough": result.enough}


class InsightReportOut(Schema):
    id: Int
    scope: str
    kind: str
    period: str
    status: str
    error: str
    requested_at: str
    finished_at: str | None

    @staticmethod
    def resolve_requested_at(obj):
        return obj.requested_at.isoformat()

    @staticmethod
    def resolve_finished_at(obj):
        return obj.finished_at.isoformat() if obj.finished_at else None


class InsightReportIn(BodyIn):
    kind: one_of(Report.Kind) = Field(description="bulanan (monthly) or semester")
    period: str = Field(max_length=7, description="2026-10 for a month, 2026-2 for a semester")


@router.get("/insights/regions/{scope}/reports", response=PageOut[InsightReportOut])
def report_list(request, scope: Scope, q: Query[PageQuery]):
    place = _place(request, scope)
    return page_out(
        request, visible(request.auth, Report).filter(scope=place.scope), q.page, q.page_size
    )


@router.post("/insights/regions/{scope}/reports", response={202: InsightReportOut})
def report_request(request, scope: Scope, body: InsightReportIn):
    """Ask for a report; the worker writes it (follow `status`)."""
    report = services.request_report(
        actor=request.auth, scope=scope, kind=body.kind, period=body.period, source="api"
    )
    return Status(202, report)


@router.get("/insights/reports/{report_id}", response=InsightReportOut)
def report_detail(request, report_id: Id):
    return access(request.auth, Report, pk=report_id)


@router.get("/insights/reports/{report_id}/{fmt}", **file_response("the report", DOCUMENT_TYPES))
def report_file(request, report_id: Id, fmt: one_of(("pdf", "xlsx"))):
    report = access(request.auth, Report, pk=report_id)
    stored = report.pdf if fmt == "pdf" else report.xlsx
    if report.status != Report.Status.DONE or not stored:
        raise NotFound()
    return stored_file_response(
        stored,
        download_name=f"laporan-{report.kind}-{report.period}-{report.scope.replace(':', '-')}",
        inline=False,
        written_as=PDF if fmt == "pdf" else XLSX,
    )


class InsightTaskOut(Schema):
    label: str
    count: Int
    url: str = Field(description="the page where it is done")
    due: str | None
    items: list[dict]


@router.get("/me/tasks", response=PageOut[InsightTaskOut])
def my_tasks(request, q: Query[PageQuery]):
    """What the reader has to do next, the most pressing first (as the home page)."""
    rows = [
        {
            "label": str(t.label),
            "count": t.count,
            "url": t.url,
            "due": t.due.isoformat() if t.due else None,
            "items": [{"label": text, "url": url} for text, url in (t.items or [])],
        }
        for t in todo.tasks_for(request.auth)
    ]
    return page_out(request, rows, q.page, q.page_size)
