"""In a real browser: each demo account logs in, the interface is Indonesian, and every
account sees exactly the records of its scope."""

import pytest

from gugus.core.access import visible
from gugus.demo.accounts import DEMO_ACCOUNTS, create_demo_accounts
from gugus.demo.generator import Generator, Scale
from gugus.demo.groups import GroupGenerator
from gugus.directory.models import Person, School
from tests.e2e.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def demo_world(db):
    """The demo accounts on a small slice: Kota Yogyakarta, Sleman and Gorontalo."""
    Generator(
        Scale("test", regencies=("34.71", "34.04", "75.71"), fraction=0.25),
        seed=3,
        log=lambda _m: None,
    ).run()
    GroupGenerator(seed=3).run(["34.71", "34.04", "75.71"])
    create_demo_accounts()


def test_each_demo_account_sees_only_its_scope(live_server, phone, demo_world):
    from gugus.accounts.models import User

    outsider = Person.objects.filter(regency_id="75.71").order_by("name_search").first()
    for username, _role, _label in DEMO_ACCOUNTS:
        user = User.objects.get(username=username)
        people = visible(user, Person)
        login(phone, live_server.url, username)
        assert phone.locator("html").get_attribute("lang") == "id"
        assert "Selamat datang" in phone.inner_text("h1")
        stats = phone.locator(".stat b").all_inner_texts()
        assert stats[0] == f"{visible(user, School).count():,}".replace(",", "."), username
        assert stats[1] == f"{people.count():,}".replace(",", "."), username
        phone.goto(f"{live_server.url}/ptk/?q={outsider.name.split(',')[0]}")
        shown = phone.locator("#results tbody a").all_inner_texts()
        assert outsider.name not in shown or people.filter(pk=outsider.pk).exists(), username
        response = phone.goto(f"{live_server.url}/ptk/{outsider.pk}/")
        assert response.status == (200 if username == "admin.pusat" else 404), username
        phone.goto(f"{live_server.url}/")
        phone.click("header form button[type=submit]:has-text('Keluar')")
        phone.wait_for_url(f"{live_server.url}/masuk/")


def test_language_switch_to_english(live_server, phone, demo_world):
    login(phone, live_server.url, "guru")
    with phone.expect_navigation():
        phone.select_option("header select[name=language]", "en")
    assert "Welcome" in phone.inner_text("h1")
    assert phone.locator("html").get_attribute("lang") == "en"
