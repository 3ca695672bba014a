"""A province office in the browser, on a phone and a desktop: the home page says what to
do next and opens the dashboard; the map draws every kab/kota, each filled with its
class's colour as the legend and the table state; clicking Kota Yogyakarta on the map
opens its dashboard, and a group there opens the group's; the monthly report is asked
for, written by the background worker, downloaded, and its text read."""

import subprocess

import pytest

from gugus.communities.models import WorkingGroup
from gugus.core.access import visible
from gugus.core.charts import CLASS_FILL
from gugus.core.roles import Role
from gugus.demo.competency import ResultGenerator
from gugus.demo.generator import Generator, Scale
from gugus.demo.groups import GroupGenerator
from gugus.directory.models import Province, Regency
from gugus.insights import rollups
from gugus.insights.models import Report
from tests.e2e.conftest import login
from tests.e2e.test_charts import OUTPUT
from tests.e2e.test_ukg_import import worker_for_one_job
from tests.factories import GroupFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REGIONS = """
(svg) => [...svg.querySelectorAll("path.region")].map((el) => {
  const box = el.getBBox(), rect = el.getBoundingClientRect();
  return {code: el.dataset.code, css: el.dataset.class, fill: getComputedStyle(el).fill,
          width: box.width, height: box.height, shown: rect.width * rect.height,
          link: el.closest("a") ? el.closest("a").getAttribute("href") : null};
})
"""
SWATCHES = """
() => [...document.querySelectorAll("#legend .swatch")].map(
  (el) => ({css: el.dataset.class, fill: getComputedStyle(el).backgroundColor}))
"""


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def press(page, selector):
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.parametrize("width", [390, 1280])
def test_a_province_office_from_home_through_the_map_to_a_group_and_the_report(
    live_server, browser, width, clock, tmp_path
):
    clock.set("2026-11-26")
    Generator(
        Scale("e2e", regencies=("34.71", "34.04"), fraction=0.03), seed=5, log=lambda *a: None
    ).run()
    GroupGenerator(seed=5).run(["34.71", "34.04"])
    ResultGenerator(seed=5).run()
    rollups.refresh(everything=True)
    office = user_with_role(Role.ADMIN_PROVINSI, province=Province.objects.get(code="34"))
    office.username = "dinas.diy"
    office.set_password("gugus-demo")
    office.save()
    GroupFactory(status="submitted", regency_id="34.04")

    context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, live_server.url, "dinas.diy")
    waiting = visible(office, WorkingGroup).filter(status="submitted").count()
    tasks = page.inner_text("#tasks")
    assert f"{waiting} Kelompok menunggu verifikasi" in " ".join(tasks.split())
    press(page, "text=Buka dasbor")
    assert page.url.endswith("/dasbor/P:34/")

    # The map: every kab/kota drawn, filled as its class, and the same class in the table.
    regions = page.eval_on_selector("svg.chart-choropleth", REGIONS)
    codes = set(Regency.objects.filter(province_id="34").values_list("code", flat=True))
    assert {r["code"] for r in regions} == codes
    for r in regions:
        assert r["width"] > 1 and r["height"] > 1 and r["shown"] > 4, r
        assert r["fill"] == rgb(CLASS_FILL[r["css"]]), r
        row = page.locator(f'#regions tr[data-code="{r["code"]}"]')
        assert row.get_attribute("data-class") == r["css"]
    measured = {r["code"]: r["css"] for r in regions}
    assert measured["34.71"] != "none" and measured["34.01"] == "none"  # data only for two
    legend = {s["css"]: s["fill"] for s in page.evaluate(SWATCHES)}
    assert legend == {css: rgb(fill) for css, fill in CLASS_FILL.items()}
    page.screenshot(path=OUTPUT.parent / f"dasbor-provinsi-{width}.png", full_page=True)

    # Drill down: the map's Kota Yogyakarta, then one of its groups.
    with page.expect_navigation():
        page.locator('svg.chart-choropleth path[data-code="34.71"]').click()
    assert page.url.endswith("/dasbor/K:34.71/")
    assert "Kota Yogyakarta" in page.inner_text("h1")
    first = page.locator("#groups tbody a").first
    name = first.inner_text()
    with page.expect_navigation():
        first.click()
    assert page.inner_text("h1") == f"Dasbor: {name}"
    assert "Kegiatan terlaksana" in page.inner_text("main")

    # The monthly report, written by the worker, downloaded and read.
    page.goto(f"{live_server.url}/dasbor/P:34/laporan/")
    press(page, "#report-form button[type=submit]")
    report = Report.objects.get()
    assert (report.kind, report.period) == ("bulanan", "2026-10")
    worker = worker_for_one_job()
    page.wait_for_selector(f'#report-{report.pk}[data-status="done"]', timeout=60_000)
    worker.join(timeout=30)
    with page.expect_download() as download:
        page.click(f"#report-{report.pk} >> text=PDF")
    path = tmp_path / "laporan.pdf"
    download.value.save_as(path)
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout.split()
    )
    assert "Laporan Bulanan PKB" in text and "Oktober 2026" in text
    assert "Daerah Istimewa Yogyakarta" in text and "Kota Yogyakarta" in text
    assert "Per wilayah" in text
    page.screenshot(path=OUTPUT.parent / f"dasbor-laporan-{width}.png", full_page=True)
    context.close()
