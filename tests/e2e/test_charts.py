"""In a real browser, in Indonesian and in English, on a phone and a desktop: every page
that holds a chart draws it as its data says. Each bar's drawn height is proportional to
its value, no label overlaps another label or a bar, and every label stays inside its
chart. A screenshot of each page is kept under var/test-output/charts for a reviewer."""

import itertools
import os
from pathlib import Path

import pytest

from gugus.accounts.models import RoleAssignment
from gugus.competency.models import Rollup
from gugus.demo.accounts import create_demo_accounts
from gugus.demo.competency import ResultGenerator
from gugus.demo.generator import Generator, Scale
from gugus.demo.groups import GroupGenerator
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTPUT = Path(os.environ.get("GUGUS_TEST_OUTPUT", "var/test-output")) / "charts"
WIDTHS = {"phone": 390, "desktop": 1280}

GEOMETRY = """
(svg) => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {x: r.left, y: r.top, w: r.width, h: r.height}; };
  return {
    chart: svg.dataset.chart,
    axis: svg.dataset.axis,
    scale: parseFloat(svg.dataset.scale),
    units: svg.viewBox.baseVal.width,
    svg: box(svg),
    bars: [...svg.querySelectorAll("rect.bar")].map(
      (el) => ({...box(el), value: parseFloat(el.dataset.value)})),
    dots: [...svg.querySelectorAll("circle[data-value]")].map(
      (el) => ({...box(el), value: parseFloat(el.dataset.value)})),
    labels: [...svg.querySelectorAll("text.label")].map(
      (el) => ({...box(el), text: el.textContent})),
  };
}
"""


def overlap(a, b, slack=0.5) -> bool:
    return (
        a["x"] + slack < b["x"] + b["w"]
        and b["x"] + slack < a["x"] + a["w"]
        and a["y"] + slack < b["y"] + b["h"]
        and b["y"] + slack < a["y"] + a["h"]
    )


def close_to(drawn, expected, where, what):
    assert abs(drawn - expected) <= max(0.02 * abs(expected), 0.75), (where, what, drawn, expected)


def check_chart(g, where):
    """The drawn geometry against the data, for one chart: pixels per unit of value are
    the chart's scale times the pixels per drawing unit the browser chose."""
    px = g["svg"]["w"] / g["units"] * g["scale"]
    bars, dots = g["bars"], g["dots"]
    assert bars or len(dots) > 1, f"{where}: nothing drawn"
    length = "w" if g["axis"] == "x" else "h"  # rows grow sideways, columns upwards
    for bar in bars:
        close_to(bar[length], bar["value"] * px, where, bar)
    assert not bars or any(b[length] > 4 for b in bars), f"{where}: no bar can be seen"
    for a, b in itertools.pairwise(dots):  # a line: heights follow the values
        close_to(a["y"] - b["y"], (b["value"] - a["value"]) * px, where, (a, b))
    labels = g["labels"]
    assert labels, f"{where}: a chart without labels"
    svg = g["svg"]
    for i, label in enumerate(labels):
        inside = (
            svg["x"] - 0.5 <= label["x"] and label["x"] + label["w"] <= svg["x"] + svg["w"] + 0.5
        )
        assert inside, (where, label)
        for other in labels[i + 1 :]:
            assert not overlap(label, other), (where, label["text"], other["text"])
        for bar in bars:
            assert not overlap(label, bar), (where, label["text"], bar)


@pytest.fixture
def chart_world(db):
    """Kota Yogyakarta with two UKG sittings, its groups and a year of their activities."""
    Generator(Scale("test", regencies=("34.71",), fraction=0.5), seed=2, log=lambda _m: None).run()
    GroupGenerator(seed=2).run(["34.71"])
    ResultGenerator(seed=2).run()
    create_demo_accounts()
    group = RoleAssignment.objects.get(user__username="ketua.kkg").group
    assert Rollup.objects.exists()
    return {
        "map": "/kompetensi/?wilayah=34.71",
        "group": f"/kelompok/{group.pk}/",
        "group-competency": f"/kompetensi/kelompok/{group.pk}/",
    }


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_chart_draws_its_data_in_both_languages_on_phone_and_desktop(
    live_server, browser, chart_world, language
):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    seen = set()
    for device, width in WIDTHS.items():
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale="id-ID" if language == "id" else "en"
        )
        context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        login(page, live_server.url, "admin.kotayogya")
        for name, path in chart_world.items():
            page.goto(live_server.url + path)
            assert page.locator("html").get_attribute("lang") == language
            charts = page.locator("svg[data-chart]")
            assert charts.count(), f"{name}: no chart"
            for n in range(charts.count()):
                geometry = charts.nth(n).evaluate(GEOMETRY)
                check_chart(geometry, f"{name}/{geometry['chart']} {language} {width}px")
                seen.add(geometry["chart"])
            page.screenshot(path=OUTPUT / f"{name}-{language}-{device}.png", full_page=True)
        context.close()
    assert seen == {"histogram", "components", "trend", "activeness"}
