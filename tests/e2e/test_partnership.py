"""A partnership cohort in the browser, on a phone and on a desktop: the office opens it,
chooses the teachers, pairs them, locks a pair and pairs again; a Guru Mitra 2 then sees
their host and nobody else's pair."""

import pytest

from gugus.partnership.models import Cohort, Pair
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
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=OUTPUT.parent / f"kemitraan-mitra2-{width}.png", full_page=True)
    context.close()
