"""A semester on a phone: the teacher plans, the head agrees, both run the five stages;
the network is cut in the middle of the observation and what the head typed survives a
reload and is sent when the network returns; the head assesses and the office exports the
ratings for e-Kinerja, read back."""

import csv

import pytest

from gugus.core.roles import Role
from gugus.directory.models import District, Position
from gugus.performance.models import ObservationRating, Plan
from tests.e2e.test_charts import OUTPUT
from tests.e2e.test_partnership import named, press
from tests.factories import PersonFactory, SchoolFactory, teacher, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# Bytes of the page and everything it loaded, as the browser decoded them.
PAGE_WEIGHT = """() => [performance.getEntriesByType("navigation")[0],
  ...performance.getEntriesByType("resource")].reduce((s, e) => s + e.decodedBodySize, 0)"""


def phone_page(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 800}, locale="id-ID", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "gugus-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def shot(page, name):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=OUTPUT.parent / f"kinerja-{name}-390.png", full_page=True)


def test_a_semester_on_a_phone_survives_a_cut_network(live_server, browser, clock):
    clock.set("2026-02-10")
    school = SchoolFactory(district=District.objects.get(code="34.71.01"), jenjang="sd")
    guru = teacher(school, nip="198503302010011007")
    head = PersonFactory(school=school, ministry=school.ministry, position=Position.KEPALA)
    named(user_with_role(Role.GURU, person=guru, school=school), "guru.kinerja")
    named(user_with_role(Role.KEPALA_SEKOLAH, person=head, school=school), "kepala.kinerja")
    named(user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71"), "dinas.kota")

    context, page = phone_page(browser)
    sign_in(page, live_server, "guru.kinerja")
    page.goto(f"{live_server.url}/kinerja/")
    press(page, "#open-plan")
    page.select_option("#practice", "umpan-balik")
    selects = page.locator("#plan-items select[name=item]")
    for n, code in enumerate(["in-on-in", "kemitraan", "observasi-teman"]):
        selects.nth(n).select_option(code)
    page.fill("#duties", "Wali kelas 4")
    press(page, "#save-plan")
    assert "40 dari 32 poin" in page.inner_text("#points")
    press(page, "#submit-plan")
    assert page.inner_text("#plan-status") == "Menunggu persetujuan"
    shot(page, "rencana")
    context.close()

    context, page = phone_page(browser)
    sign_in(page, live_server, "kepala.kinerja")
    page.goto(f"{live_server.url}/kinerja/")
    press(page, "#teachers a.button")
    press(page, "#agree-plan")
    assert page.inner_text("#plan-status") == "Disetujui"
    page.fill("#notes-1", "Fokus: umpan balik yang spesifik")
    page.check("li[data-stage='1'] input[name=done]")
    press(page, "[data-save-stage='1']")
    press(page, "#open-observation")
    observation_url = page.url
    weight = page.evaluate(PAGE_WEIGHT)
    assert 10_000 < weight < 200_000, weight  # a light page for a phone in a classroom
    indicators = page.locator("fieldset.indicator")
    assert indicators.count() == 8
    for n in range(4):
        indicators.nth(n).locator("input[value=efektif]").check()

    context.set_offline(True)
    for n in range(4, 8):
        indicators.nth(n).locator("input[value=belum_efektif]").check()
        indicators.nth(n).locator("textarea").fill(f"Catatan luring {n}")
    page.fill("#recommendation", "Latih pertanyaan terbuka")
    page.click("#save-observation")
    assert "Tidak ada jaringan" in page.inner_text("[data-draft-status]")
    page.wait_for_timeout(1500)  # the head puts the phone away: not in the same instant
    shot(page, "observasi-luring")
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        page.reload()
    assert not ObservationRating.objects.exclude(rating="").exists()  # nothing sent yet

    page.close()  # the phone's browser is closed while offline
    context.set_offline(False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(observation_url)  # opened again with the network back: restored and sent
    page.wait_for_url(f"{live_server.url}/kinerja/*/")
    assert ObservationRating.objects.filter(rating="efektif").count() == 4
    assert ObservationRating.objects.filter(evidence="Catatan luring 7").exists()
    for kind in ("2", "3", "4", "5"):
        page.check(f"li[data-stage='{kind}'] input[name=done]")
        press(page, f"[data-save-stage='{kind}']")
    page.select_option("#reflect", "3")
    page.select_option("#learn", "2")
    page.select_option("#change", "2")
    press(page, "#rate-cycle")
    clock.set("2026-06-20")
    page.reload()
    page.select_option("#work_results", "sesuai")
    page.select_option("#work_behaviour", "di_atas")
    press(page, "#assess-plan")
    assert "Baik" in page.inner_text("#predikat")
    shot(page, "penilaian")
    context.close()

    context, page = phone_page(browser)
    context = page.context
    sign_in(page, live_server, "dinas.kota")
    page.goto(f"{live_server.url}/kinerja/")
    with page.expect_download() as download:
        page.click("#export-csv")
    rows = list(csv.DictReader(download.value.path().read_text(encoding="utf-8").splitlines()))
    assert [(r["nip"], r["predikat"], r["period"]) for r in rows] == [
        ("198503302010011007", "baik", "2026-1")
    ]
    assert Plan.objects.get().status == "assessed"
    context.close()
