"""Reads of the region dashboards: a place, who may open it, and its figures, its
children's figures for the map and table, all from the tallies (a handful of queries at
any level, the nation included)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from gugus.communities import activeness
from gugus.communities.selectors import group_list
from gugus.competency.models import UkgEvent
from gugus.core import charts
from gugus.core.access import actor_for
from gugus.core.models import ChangedPlace
from gugus.core.roles import Ministry, ScopeLevel
from gugus.directory import geo
from gugus.directory.models import Province, Regency
from gugus.insights import impact, indicators, measures, policies
from gugus.insights.indicators import BY_KEY, COLUMNS, INDICATORS, SECTIONS, format_value
from gugus.insights.models import NATION, Refreshed, SchoolOutcome, Tally
from gugus.performance.models import Predikat

REGION_LEVELS = (ScopeLevel.NASIONAL, ScopeLevel.PROVINSI, ScopeLevel.KABKOTA)
ALL_MINISTRIES = "semua"


@dataclass
class Place:
    scope: str
    level: str
    name: str
    province_id: str = ""
    regency_id: str = ""
    trail: list = field(default_factory=list)  # (scope, name) from the nation down

    @property
    def children_level(self) -> str | None:
        return {"nasional": "provinsi", "provinsi": "kabkota"}.get(self.level)


def place_for(scope: str) -> Place | None:
    """The place of a scope code ("N", "P:35", "K:35.78"), or None if there is none."""
    nation = Place(NATION, ScopeLevel.NASIONAL, _("Indonesia"))
    if scope == NATION:
        return nation
    kind, _sep, code = scope.partition(":")
    if kind == "P":
        province = Province.objects.filter(code=code).first()
        if province:
            return Place(
                scope,
                ScopeLevel.PROVINSI,
                province.name,
                province.code,
                "",
                [(NATION, nation.name)],
            )
    if kind == "K":
        regency = Regency.objects.select_related("province").filter(code=code).first()
        if regency:
            return Place(
                scope,
                ScopeLevel.KABKOTA,
                regency.name,
                regency.province_id,
                regency.code,
                [(NATION, nation.name), (f"P:{regency.province_id}", regency.province.name)],
            )
    return None


def sees_place(user, place: Place) -> bool:
    """Whether the user may open the place's dashboard (`insights.policies`)."""
    return policies.covers(actor_for(user), place.scope)


def home_scope(user) -> str | None:
    """The widest region the user's grants cover, where their dashboard opens."""
    actor = actor_for(user)
    if actor.is_superuser:
        return NATION
    grants = policies.region_grants(actor)
    for level, scope in (
        (ScopeLevel.NASIONAL, lambda g: NATION),
        (ScopeLevel.PROVINSI, lambda g: f"P:{g.province_id}"),
        (ScopeLevel.KABKOTA, lambda g: f"K:{g.regency_id}"),
    ):
        found = sorted(scope(g) for g in grants if g.level == level)
        if found:
            return found[0]
    return None


Numbers = dict  # {(measure, period): {ministry: value}}


def collect(rows) -> dict[str, Numbers]:
    found: dict[str, Numbers] = defaultdict(lambda: defaultdict(dict))
    for scope, measure, period, ministry, value in rows:
        found[scope][(measure, period)][ministry] = value
    return found


@dataclass
class Periods:
    year: int
    years: list[int]
    semester: str
    ukg: str
    ukg_events: list  # the sittings with results here, oldest first

    def as_keys(self) -> dict:
        return {"": "", "year": str(self.year), "semester": self.semester, "ukg": self.ukg}


def _periods(own: Numbers, year: int | None, today_year: int) -> Periods:
    found = {period for _m, period in own}
    years = sorted({int(p) for p in found if len(p) == 4 and p.isdigit()}, reverse=True)
    if year is None:
        year = today_year if today_year in years or not years else years[0]
    semesters = sorted(p for p in found if p in (f"{year}-1", f"{year}-2"))
    codes = {p for m, p in own if m == "ukg_results"}
    events = [e for e in UkgEvent.objects.order_by("year", "code") if e.code in codes]
    return Periods(
        year=year,
        years=sorted(set(years) | {year}, reverse=True),
        semester=semesters[-1] if semesters else f"{year}-1",
        ukg=events[-1].code if events else "",
        ukg_events=events,
    )


def _link(place: Place, indicator, ministry, periods: Periods) -> str:
    if indicator.measure not in measures.MEASURES:
        return ""
    url = reverse("insights_records", args=[place.scope, indicator.measure])
    period = periods.as_keys()[indicator.period]
    return f"{url}?kementerian={ministry or ALL_MINISTRIES}&periode={period}"


def figures(place: Place, own: Numbers, periods: Periods) -> list[dict]:
    """The page's sections: each indicator with its figure per ministry and in total."""
    keys = periods.as_keys()
    sections = []
    for section, title in SECTIONS.items():
        rows = []
        for ind in (i for i in INDICATORS if i.section == section):
            cells = []
            for ministry in COLUMNS:
                value = ind.value(own, keys, ministry)
                cells.append(
                    {
                        "value": value,
                        "text": format_value(value, ind.kind),
                        "href": _link(place, ind, ministry, periods) if value else "",
                    }
                )
            rows.append({"indicator": ind, "cells": cells})
        sections.append({"key": section, "title": title, "rows": rows})
    return sections


def dashboard(
    user, place: Place, *, year: int | None, today_year: int, shown: str, with_groups=True
) -> dict:
    """Everything a region's dashboard shows. Five queries, whatever the region."""
    rows = Tally.objects.filter(scope=place.scope).values_list(
        "scope", "measure", "period", "ministry", "value"
    )
    own = collect(rows)[place.scope]
    periods = _periods(own, year, today_year)
    keys = periods.as_keys()
    mapped = (
        BY_KEY.get(shown) if shown in BY_KEY and BY_KEY[shown].mapped else BY_KEY["active_share"]
    )
    children = _children(place, mapped, keys)
    refreshed = Refreshed.objects.filter(pk=1).values_list("at", flat=True).first()
    pending = ChangedPlace.objects.count()
    return {
        "place": place,
        "periods": periods,
        "sections": figures(place, own, periods),
        "columns": [Ministry(m).label if m else _("Total") for m in COLUMNS],
        "ukg_trend": _ukg_trend(own, periods),
        "predikat": _predikat(own, keys["semester"]),
        "mapped": mapped,
        "mapped_choices": indicators.MAPPED,
        "children": children,
        "map": _map(place, mapped, children) if place.children_level else None,
        "refreshed": refreshed,
        "pending": pending,
        **(_groups(user, place) if with_groups and place.level == ScopeLevel.KABKOTA else {}),
    }


GROUPS_SHOWN = 25


def _groups(user, place: Place) -> dict:
    """A kab/kota's groups, most active first, each opening its own dashboard."""
    found = list(
        group_list(actor=user, regency=place.regency_id).order_by("-activeness_score", "name")[
            : GROUPS_SHOWN + 1
        ]
    )
    labels = activeness.LEVEL_LABELS
    return {
        "groups": [
            {
                "pk": g.pk,
                "name": g.name,
                "activeness_label": labels.get(g.activeness_level, _("Not measured")),
                "activeness_score": g.activeness_score,
            }
            for g in found[:GROUPS_SHOWN]
        ],
        "groups_more": len(found) > GROUPS_SHOWN,
    }


def _children(place: Place, mapped, keys) -> list[dict]:
    if not place.children_level:
        return []
    rows = Tally.objects.filter(
        parent=place.scope,
        measure__in=[mapped.measure, mapped.per],
        period__in={keys[mapped.period], keys.get(mapped.per_period or "", "")},
    ).values_list("scope", "measure", "period", "ministry", "value")
    numbers = collect(rows)
    if place.level == ScopeLevel.NASIONAL:
        names = dict(Province.objects.values_list("code", "name"))
        scopes = [(f"P:{code}", code, name) for code, name in sorted(names.items())]
    else:
        regencies = Regency.objects.filter(province_id=place.province_id).order_by("code")
        scopes = [(f"K:{r.code}", r.code, r.name) for r in regencies]
        if f"S:{place.province_id}" in numbers:
            scopes.append((f"S:{place.province_id}", "", _("Province level (no kab/kota)")))
    found = []
    for scope, code, name in scopes:
        value = mapped.value(numbers.get(scope, {}), keys, None)
        found.append(
            {
                "scope": scope,
                "code": code,
                "name": name,
                "value": value,
                "text": format_value(value, mapped.kind),
                "css": mapped.css_class(value),
                "href": reverse("insights_region", args=[scope]) if code else "",
            }
        )
    return found


def _map(place: Place, mapped, children) -> charts.Chart:
    level = "provinsi" if place.level == ScopeLevel.NASIONAL else "kabkota"
    shapes = geo.boundaries(level)
    regions = [
        charts.Region(c["code"], c["name"], shapes[c["code"]], c["css"], c["text"], c["href"])
        for c in children
        if c["code"] in shapes
    ]
    return charts.choropleth(regions, label=_("%(measure)s by region") % {"measure": mapped.label})


def _ukg_trend(own: Numbers, periods: Periods):
    mean = BY_KEY["ukg_mean"]
    points = []
    for event in periods.ukg_events:
        value = mean.value(own, {"ukg": event.code}, None)
        if value is not None:
            points.append((event.name, value))
    if len(points) < 2:
        return None
    latest = periods.ukg_events[-1]
    return charts.trend(points, pass_mark=latest.pass_mark, target=latest.target, label=mean.label)


def _predikat(own: Numbers, semester: str):
    parts = [
        (label, sum(own.get((f"predikat_{value}", semester), {}).values()))
        for value, label in Predikat.choices
    ]
    if not any(n for _l, n in parts):
        return None
    return parts


def impact_page(place: Place, params) -> dict:
    """The impact analysis of a region for the chosen programme, index and years (the
    two latest years with outcomes unless chosen), and the teachers' UKG change between
    the two latest sittings."""
    programme = params.get("program") if params.get("program") in impact.PROGRAMMES else "training"
    index = params.get("indeks") if params.get("indeks") in impact.INDICES else "literacy"
    years = sorted(SchoolOutcome.objects.order_by().values_list("year", flat=True).distinct())
    before, after = _years(params, years)
    region = {}
    if place.regency_id:
        region = {"regency_id": place.regency_id}
    elif place.province_id:
        region = {"province_id": place.province_id}
    schools = None
    if before and after and before < after:
        units = impact.school_units(
            place_q=Q(**{f"school__{k}": v for k, v in region.items()}),
            programme=programme,
            index=index,
            before=before,
            after=after,
        )
        schools = impact.estimate(units)
    events = list(UkgEvent.objects.order_by("year", "code"))
    teachers = None
    if len(events) >= 2:
        units = impact.teacher_units(
            place_q=Q(**region), programme=programme, first=events[-2], second=events[-1]
        )
        teachers = impact.estimate(units)
    return {
        "place": place,
        "programme": programme,
        "programmes": impact.PROGRAMMES,
        "index": index,
        "indices": impact.INDICES,
        "years": years,
        "before": before,
        "after": after,
        "schools": schools,
        "teachers": teachers,
        "sittings": events[-2:] if len(events) >= 2 else [],
        "min_pairs": impact.MIN_PAIRS,
        "caliper": impact.CALIPER,
    }


def _years(params, years: list[int]) -> tuple[int | None, int | None]:
    def pick(name, default):
        text = params.get(name, "")
        return int(text) if text.isdigit() and int(text) in years else default

    return pick("dari", years[-2] if len(years) >= 2 else None), pick(
        "ke", years[-1] if years else None
    )
