"""A partnership cohort in the browser, on a phone and on a desktop: the office opens it,
chooses the teachers, pairs them, locks a pair and pairs again, reads the map of the pairs,
plans On Job Learning; the host takes the first day's attendance and downloads the visit
report (its text read back) and the rundown; a Guru Mitra 2 then sees their host, their
schedule and nobody else's pair."""

import datetime
import io
import itertools
import subprocess

import pytest
from openpyxl import load_workbook

from gugus.core import clock
from gugus.partnership.models import Cohort, Pair, Visit
from tests.e2e.conftest import login
from tests.e2e.test_charts import OUTPUT
from tests.factories import UserFactory
from tests.partnership.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def named(user, username):
    user.username = username
    user.set_password("gugus-demo")
    user.save()
    return user


def press(page, selector):
    with page.expect_navigation():
        page.click(selector)


MAP = """
(svg) => {
  const m = svg.getScreenCTM();
  const at = (x, y) => { const p = svg.createSVGPoint(); p.x = x; p.y = y;
    const q = p.matrixTransform(m); return [q.x, q.y]; };
  const box = svg.getBoundingClientRect();
  return {
    box: [box.left, box.top, box.right, box.bottom],
    places: [...svg.querySelectorAll("circle.place")].map((c) => {
      const r = c.getBoundingClientRect();
      return {code: c.dataset.code, lat: +c.dataset.lat, lng: +c.dataset.lng,
              x: r.left + r.width / 2, y: r.top + r.height / 2}; }),
    flows: [...svg.querySelectorAll("line.flow")].map((l) => ({
      from: l.dataset.from, to: l.dataset.to, count: +l.dataset.value,
      width: +l.getAttribute("stroke-width"),
      a: at(+l.getAttribute("x1"), +l.getAttribute("y1")),
      b: at(+l.getAttribute("x2"), +l.getAttribute("y2"))})),
    labels: [...svg.querySelectorAll("text.label")].map((t) => {
      const r = t.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }),
  };
}
"""


def check_map(g, pairs):
    """Each line joins the dots of its two kab/kota, east lies right and north up, a line
    is thicker for more pairs, and the names stay inside the map without touching."""
    dots = {p["code"]: p for p in g["places"]}
    assert sum(f["count"] for f in g["flows"]) == pairs
    for f in g["flows"]:
        for end, code in ((f["a"], f["from"]), (f["b"], f["to"])):
            assert abs(end[0] - dots[code]["x"]) < 1 and abs(end[1] - dots[code]["y"]) < 1
    for a in g["places"]:
        for b in g["places"]:
            if a["lng"] < b["lng"] - 0.01:
                assert a["x"] < b["x"], (a, b)
            if a["lat"] > b["lat"] + 0.01:
                assert a["y"] < b["y"], (a, b)
    by_count = sorted(g["flows"], key=lambda f: f["count"])
    assert all(x["width"] <= y["width"] for x, y in itertools.pairwise(by_count))
    left, top, right, bottom = g["box"]
    for x1, y1, x2, y2 in g["labels"]:
        assert left - 0.5 <= x1 and x2 <= right + 0.5 and top - 0.5 <= y1 and y2 <= bottom + 0.5
    for a, b in itertools.combinations(g["labels"], 2):
        assert not (
            a[0] + 0.5 < b[2] and b[0] + 0.5 < a[2] and a[1] + 0.5 < b[3] and b[1] + 0.5 < a[3]
        )
    assert g["labels"], "no place is named"


@pytest.mark.parametrize("width", [390, 1280])
def test_an_office_pairs_a_cohort_and_a_mitra_2_sees_their_host(live_server, browser, width):
    world = build_world()
    named(world["office"], "dinas.diy")
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, live_server.url, "dinas.diy")
    page.click("header >> text=Kemitraan")
    press(page, "#new-cohort")
    page.fill("input[name=name]", "Kemitraan IPA SMP 2026")
    page.fill("input[name=year]", "2026")
    page.select_option("select[name=region]", "34")
    page.check("input[name=subjects][value=ipa]")
    page.check("input[name=levels][value=smp]")
    page.fill("input[name=host_regions]", "34.71")
    page.fill("input[name=partner_regions]", "34.03, 33")
    page.fill("input[name=tier1_min]", "75")
    today = clock.today()
    page.fill("input[name=ojl_start]", today.isoformat())
    press(page, "#cohort-form button[type=submit]")
    assert page.inner_text("#cohort-status") == "Draf"
    press(page, "#run-selection")
    press(page, "#run-matching")
    assert page.inner_text("#cohort-status") == "Pasangan dibentuk"
    assert page.locator("#pairs tr[data-pair]").count() == 6
    assert "sudah penuh" in page.inner_text("#waiting")
    cohort = Cohort.objects.get()
    first = page.locator("#pairs tr[data-pair]").first.get_attribute("data-pair")
    press(page, f"#pairs tr[data-pair='{first}'] button[data-action=lock]")
    press(page, "#run-matching")
    assert Pair.objects.get(pk=first).locked
    assert page.locator(f"#pairs tr[data-pair='{first}'] button[data-action=unlock]").count() == 1
    check_map(page.locator("#pair-map svg").evaluate(MAP), pairs=6)
    page.fill("#return-start", (today + datetime.timedelta(days=14)).isoformat())
    press(page, "#run-plan-visits")
    assert page.inner_text("#cohort-status") == "On Job Learning"
    assert page.locator("#visits tr[data-visit]").count() == Visit.objects.count()
    context.close()

    visit = Visit.objects.filter(direction="ojl").select_related("host__person").first()
    named(UserFactory(person=visit.host.person), "mitra1")
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="id-ID", accept_downloads=True
    )
    page = context.new_page()
    login(page, live_server.url, "mitra1")
    page.goto(f"{live_server.url}/kemitraan/kunjungan/{visit.pk}/")
    assert page.locator("#rundown tr.day-row").count() == 7
    press(page, "a[data-attendance='1']")
    for radio in page.locator("input[value=hadir]").all():
        radio.check()
    press(page, "#attendance-form button[type=submit]")
    assert (
        visit.attendance.filter(day=1, status="hadir").count()
        == page.locator("#visit-members li").count()
    )
    with page.expect_download() as download:
        page.click("#report-pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", download.value.path(), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for expected in ("Laporan Kunjungan On Job Learning", visit.host.person.name, "Penyambutan"):
        assert expected in text
    with page.expect_download() as download:
        page.click("#rundown-xlsx")
    rows = list(load_workbook(io.BytesIO(download.value.path().read_bytes())).active.values)
    assert ("Hari", "Tanggal", "Dari", "Sampai", "Kegiatan", "Rincian", "Lokasi") in rows
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=OUTPUT.parent / f"kemitraan-kunjungan-{width}.png", full_page=True)
    context.close()

    pair = (
        Pair.objects.filter(cohort=cohort).select_related("host__person", "partner__person").first()
    )
    named(UserFactory(person=pair.partner.person), "mitra2")
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
    page = context.new_page()
    login(page, live_server.url, "mitra2")
    page.goto(f"{live_server.url}/kemitraan/{cohort.pk}/")
    assert page.locator("#pairs tr[data-pair]").count() == 1
    assert pair.host.person.name in page.inner_text("#pairs")
    assert page.locator("#run-matching").count() == 0
    page.goto(f"{live_server.url}/kemitraan/")
    press(page, "#my-partnership")
    assert pair.host.person.name in page.inner_text("#my-host")
    schedule = page.inner_text("section[data-cohort]")
    assert today.strftime("%d-%m-%Y") in schedule and "Kunjungan balik" in schedule
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=OUTPUT.parent / f"kemitraan-mitra2-{width}.png", full_page=True)
    context.close()
