"""Every chart of Gugus: small SVGs drawn on the server (no script, readable on a phone),
rendered by the one partial `_chart.html`.

Coordinates are written here as plain strings with a decimal point, never through the
template's localisation, which writes "2,0" in Indonesian and leaves a bar without height.
Labels are laid out by their estimated width so that none overlap: a row of tick labels
keeps only those with room beside the last one kept, and a bar's name sits above its bar.
Each bar carries its value (`data-value`) and each chart its scale (`data-scale`, units
per value) and the axis its bars grow along, so a browser test can check the drawn geometry
against the data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Glyph width relative to the font size, generous for the sans-serif faces browsers pick
# (DejaVu Sans digits are 0.64 em wide), so an estimated label is never narrower than drawn.
GLYPH = 0.68
EDGE = 1  # room kept between a label and the chart's edge
TICK_FONT = 8
LABEL_FONT = 10


def coord(value) -> str:
    """A number as SVG wants it: a decimal point, at most one decimal, whatever the
    reader's language."""
    text = f"{float(value):.1f}"
    return text[:-2] if text.endswith(".0") else text


def text_width(text: str, size: float) -> float:
    return len(text) * size * GLYPH


@dataclass
class Shape:
    kind: str  # rect, line, polyline, circle, text
    attrs: dict[str, str]
    text: str = ""
    title: str = ""

    @property
    def attrs_html(self) -> SafeString:
        return format_html_join("", ' {}="{}"', self.attrs.items())

    @property
    def html(self) -> SafeString:
        title = format_html("<title>{}</title>", self.title) if self.title else ""
        return format_html(
            "<{kind}{attrs}>{title}{text}</{kind}>",
            kind=self.kind,
            attrs=self.attrs_html,
            title=title,
            text=self.text,
        )


@dataclass
class Chart:
    name: str
    width: float
    height: float
    label: str
    scale: float = 0.0  # drawn units per unit of value, for the bars
    axis: str = "y"  # the bars' length runs along it: "y" for columns, "x" for rows
    shapes: list[Shape] = field(default_factory=list)

    @property
    def scale_text(self) -> str:
        return f"{self.scale:.6f}"

    @property
    def view_box(self) -> str:
        return f"0 0 {coord(self.width)} {coord(self.height)}"

    def bar(self, x, y, width, height, value, css: str, title: str) -> None:
        self.shapes.append(
            Shape(
                "rect",
                {
                    "x": coord(x),
                    "y": coord(y),
                    "width": coord(width),
                    "height": coord(height),
                    "class": f"bar {css}".strip(),
                    "data-value": coord(value),
                },
                title=title,
            )
        )

    def line(self, x1, y1, x2, y2, css: str) -> None:
        attrs = {"x1": coord(x1), "y1": coord(y1), "x2": coord(x2), "y2": coord(y2)}
        self.shapes.append(Shape("line", {**attrs, "class": css}))

    def text(self, x, y, text: str, *, size=LABEL_FONT, anchor="start") -> None:
        self.shapes.append(
            Shape(
                "text",
                {
                    "x": coord(x),
                    "y": coord(y),
                    "font-size": coord(size),
                    "text-anchor": anchor,
                    "class": "label",
                },
                text=text,
            )
        )

    def ticks(self, ticks: list[tuple[float, str]], y: float, size=TICK_FONT) -> None:
        """Labels centred on their x (pushed inside the chart at its edges), skipping any
        that would touch the last one drawn."""
        right_edge = float("-inf")
        for x, text in ticks:
            width = text_width(text, size)
            left = min(max(x - width / 2, EDGE), self.width - width - EDGE)
            if left < right_edge + 2:
                continue
            self.text(left + width / 2, y, text, size=size, anchor="middle")
            right_edge = left + width


def _decimal(value, places=2) -> str:
    return number_format(Decimal(str(value)), decimal_pos=places, use_l10n=True)


def histogram(bins: list[int], *, pass_mark, target, label: str) -> Chart:
    """Teachers per score band of ten points, coloured by where the band's middle lies:
    below the pass mark, below the target, or at it and above."""
    chart = Chart("histogram", 300, 140, label)
    plot = 118
    top = max(bins or [0]) or 1
    chart.scale = plot / top
    step = chart.width / max(len(bins), 1)
    for i, n in enumerate(bins):
        middle = i * 10 + 5
        band = "low" if middle < pass_mark else "mid" if middle < target else "ok"
        high = i * 10 + 9 if i < 9 else 100
        chart.bar(
            i * step + 2,
            plot - n * chart.scale,
            step - 4,
            n * chart.scale,
            n,
            f"band-{band}",
            f"{i * 10}-{high}: {n}",
        )
    chart.ticks([(i * step, str(i * 10)) for i in range(len(bins) + 1)], 132)
    return chart


def component_bars(parts: list[tuple[str, object]], *, pass_mark, target, label: str) -> Chart:
    """One bar per component on a 0-100 scale, its name and mean above it (so the text
    never runs into the bar), and the target as a dashed line."""
    row = 34
    chart = Chart("components", 300, row * len(parts) + 4, label, axis="x")
    chart.scale = chart.width / 100
    for n, (name, mean) in enumerate(parts):
        top = n * row
        chart.text(0, top + 11, f"{name} {_decimal(mean)}")
        band = "low" if mean < pass_mark else "mid" if mean < target else "ok"
        chart.bar(0, top + 15, float(mean) * chart.scale, 14, mean, f"band-{band}", name)
    x = float(target) * chart.scale
    chart.line(x, 0, x, chart.height, "target")
    return chart


def trend(points: list[tuple[str, object]], *, pass_mark, target, label: str) -> Chart:
    """Mean per test event as a line, with the target and the pass mark as dashed lines."""
    chart = Chart("trend", 300, 130, label)
    plot = 112
    chart.scale = plot / 100

    def y(value):
        return plot - float(value) * chart.scale

    chart.line(0, y(target), chart.width, y(target), "target")
    chart.line(0, y(pass_mark), chart.width, y(pass_mark), "target pass")
    n = len(points)
    xs = [20 + (chart.width - 40) * (i / (n - 1) if n > 1 else 0.5) for i in range(n)]
    chart.shapes.append(
        Shape(
            "polyline",
            {
                "points": " ".join(
                    f"{coord(x)},{coord(y(v))}" for x, (_l, v) in zip(xs, points, strict=True)
                ),
                "fill": "none",
                "stroke": "#1b4f72",
                "stroke-width": "2",
                "class": "trend",
            },
        )
    )
    for x, (name, value) in zip(xs, points, strict=True):
        dot = {"cx": coord(x), "cy": coord(y(value)), "r": "3", "data-value": coord(value)}
        chart.shapes.append(Shape("circle", dot, title=f"{name}: {_decimal(value)}"))
    # Each mean written above its dot (the dots are at least 40 units apart in practice;
    # the row of values is laid out like the event names, so none overlap).
    chart.ticks(
        [(x, _decimal(v)) for x, (_n, v) in zip(xs, points, strict=True)],
        min(y(v) for _n, v in points) - 6,
        size=TICK_FONT,
    )
    chart.ticks([(x, name) for x, (name, _v) in zip(xs, points, strict=True)], 126)
    return chart


def activeness(months: list[tuple[str, str, int, str]], *, label: str) -> Chart:
    """Activeness score (0-100) per month: (short month, full month, score, level)."""
    chart = Chart("activeness", 240, 76, label)
    plot = 60
    chart.scale = plot / 100
    for i, (_short, full, score, level) in enumerate(months):
        x = i * 20
        chart.shapes.append(
            Shape(
                "rect",
                {"x": coord(x), "y": "0", "width": "16", "height": coord(plot), "class": "track"},
            )
        )
        height = score * chart.scale
        chart.bar(x, plot - height, 16, height, score, f"level-{level}", f"{full}: {score}")
    chart.ticks([(i * 20 + 8, short) for i, (short, *_r) in enumerate(months)], 72, size=7)
    return chart


MAP_WIDTH = 600
MAP_MAX_HEIGHT = 360
MAP_PAD = 40
MAP_FONT = 15  # the map shrinks to a phone's width: its names are drawn larger


def flow_map(
    places: list[tuple[str, str, float, float]], flows: list[tuple[str, str, int]], *, label: str
) -> Chart:
    """Places (code, name, latitude, longitude) as dots and flows between two of them as
    lines as thick as their count, on a plain projection fitted to the places (a degree of
    longitude shortened by the cosine of the middle latitude). Each dot carries its place
    and coordinates and each line its ends and count, for a browser test to check."""
    lats = [p[2] for p in places] or [0.0]
    lngs = [p[3] for p in places] or [0.0]
    shrink = math.cos(math.radians((max(lats) + min(lats)) / 2))
    span_x = max((max(lngs) - min(lngs)) * shrink, 0.5)
    span_y = max(max(lats) - min(lats), 0.5)
    scale = min((MAP_WIDTH - 2 * MAP_PAD) / span_x, (MAP_MAX_HEIGHT - 2 * MAP_PAD) / span_y)
    height = span_y * scale + 2 * MAP_PAD
    # centred: the places' own extent may be narrower than the clamped span
    left = (MAP_WIDTH - (max(lngs) - min(lngs)) * shrink * scale) / 2
    top = (height - (max(lats) - min(lats)) * scale) / 2

    def point(lat, lng):
        return left + (lng - min(lngs)) * shrink * scale, top + (max(lats) - lat) * scale

    chart = Chart("flow-map", MAP_WIDTH, height, label, scale=scale, axis="map")
    at = {code: point(lat, lng) for code, _name, lat, lng in places}
    for source, target, count in flows:
        if source not in at or target not in at:
            continue
        (x1, y1), (x2, y2) = at[source], at[target]
        chart.shapes.append(
            Shape(
                "line",
                {
                    "x1": coord(x1),
                    "y1": coord(y1),
                    "x2": coord(x2),
                    "y2": coord(y2),
                    "class": "flow",
                    "stroke-width": coord(1 + 1.5 * math.sqrt(count)),
                    "data-from": source,
                    "data-to": target,
                    "data-value": str(count),
                },
                title=str(count),
            )
        )
    for code, name, lat, lng in places:
        x, y = at[code]
        chart.shapes.append(
            Shape(
                "circle",
                {
                    "cx": coord(x),
                    "cy": coord(y),
                    "r": "5",
                    "class": "place",
                    "data-code": code,
                    "data-lat": f"{lat:.4f}",
                    "data-lng": f"{lng:.4f}",
                },
                title=name,
            )
        )
    _place_labels(chart, places, at, flows)
    return chart


def _place_labels(chart: Chart, places, at, flows) -> None:
    """Names beside their dots, the busiest places first, each where it touches no name
    already placed (above, below, right, then left of its dot); a name with no room is
    left to the dot's tooltip."""
    weight = {}
    for source, target, count in flows:
        weight[source] = weight.get(source, 0) + count
        weight[target] = weight.get(target, 0) + count
    taken: list[tuple[float, float, float, float]] = []
    height = MAP_FONT
    for code, name, _lat, _lng in sorted(places, key=lambda p: (-weight.get(p[0], 0), p[1])):
        x, y = at[code]
        width = text_width(name, MAP_FONT)
        for left, baseline in (
            (x - width / 2, y - 8),
            (x - width / 2, y + 6 + height),
            (x + 8, y + height / 3),
            (x - 8 - width, y + height / 3),
        ):
            box = (left, baseline - height, left + width, baseline + 2)
            inside = box[0] >= EDGE and box[2] <= chart.width - EDGE and box[1] >= 0
            inside = inside and box[3] <= chart.height
            if inside and not any(
                box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken
            ):
                taken.append(box)
                chart.text(left + width / 2, baseline, name, size=MAP_FONT, anchor="middle")
                break


CHOROPLETH_WIDTH = 800
CHOROPLETH_MAX_HEIGHT = 640
MIN_STEP = 0.8  # drawn units: a point closer than this to the last one kept adds nothing
# The classes' fills (ColorBrewer YlGnBu, grey for no data), written on each region too so
# a document renderer without the page's stylesheet (the PDF reports) colours it alike.
CLASS_FILL = {
    "c0": "#ffffcc",
    "c1": "#a1dab4",
    "c2": "#41b6c4",
    "c3": "#2c7fb8",
    "c4": "#253494",
    "none": "#d5d9de",
}


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    polygons: list  # rings of (longitude, latitude), the first of each polygon its outline
    css: str  # the class it is coloured by: c0 ... c4, or "none"
    value: str  # the figure as written in the table
    href: str = ""


def choropleth(regions: list[Region], *, label: str) -> Chart:
    """Regions filled by their class on a plain projection fitted to them (a degree of
    longitude shortened by the cosine of the middle latitude), each a link to its own
    dashboard. Outlines are thinned to the drawn resolution; a region too small to keep a
    ring at that resolution keeps its largest ring whole, so every region is drawn. Each
    path carries its code, class and value for a browser test to check."""
    points = [pt for r in regions for polygon in r.polygons for pt in polygon[0]] or [(0.0, 0.0)]
    lngs, lats = [p[0] for p in points], [p[1] for p in points]
    shrink = math.cos(math.radians((max(lats) + min(lats)) / 2))
    span_x = max((max(lngs) - min(lngs)) * shrink, 0.01)
    span_y = max(max(lats) - min(lats), 0.01)
    scale = min(CHOROPLETH_WIDTH / span_x, CHOROPLETH_MAX_HEIGHT / span_y)
    width, height = span_x * scale, span_y * scale
    chart = Chart("choropleth", width, height, label, scale=scale, axis="map")
    west, north = min(lngs), max(lats)

    def project(ring):
        return [((x - west) * shrink * scale, (north - y) * scale) for x, y in ring]

    for region in regions:
        rings = [project(ring) for polygon in region.polygons for ring in polygon]
        drawn = [thin for ring in rings if len(thin := _thin(ring)) >= 3]
        if not drawn and rings:
            drawn = [max(rings, key=len)]
        path = Shape(
            "path",
            {
                "d": " ".join(
                    "M" + " ".join(f"{coord(x)} {coord(y)}" for x, y in ring) + "Z"
                    for ring in drawn
                ),
                "class": f"region {region.css}",
                "fill": CLASS_FILL[region.css],
                "stroke": "#fff",
                "data-code": region.code,
                "data-class": region.css,
                "data-value": region.value,
            },
            title=f"{region.name}: {region.value}",
        )
        if region.href:
            chart.shapes.append(
                Shape("a", {"href": region.href, "aria-label": region.name}, text=path.html)
            )
        else:
            chart.shapes.append(path)
    return chart


def _thin(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    kept = [ring[0]]
    for x, y in ring[1:]:
        if abs(x - kept[-1][0]) >= MIN_STEP or abs(y - kept[-1][1]) >= MIN_STEP:
            kept.append((x, y))
    return kept
