"""In a real browser: each demo account logs in, the interface is Indonesian, and every
account sees exactly the records of its scope."""

import pytest

from gugus.accounts.models import User
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


def expected_scope(username, user):
    """What each demo account should see, written from the rules (DOMAIN.md §8), not
    asked of the scoping layer under test: offices their region (schools and people of
    both ministries: groups and PAI teachers cross the line), a supervisor the kab/kota, a
    head the school, a ketua the group's members and their schools, a teacher and a
    resource person only themselves and their school."""
    person = user.person
    if username == "admin.pusat":
        return School.objects.all(), Person.objects.all()
    if username in ("admin.diy", "admin.bbgp"):
        return School.objects.filter(province_id="34"), Person.objects.filter(province_id="34")
    if username in (
        "admin.kotayogya",
        "admin.kemenag.kotayogya",
        "pengawas",
        "pengawas.madrasah",
    ):
        return (
            School.objects.filter(regency_id="34.71"),
            Person.objects.filter(regency_id="34.71"),
        )
    if username == "kepala":
        return School.objects.filter(pk=person.school_id), Person.objects.filter(
            school_id=person.school_id
        )
    if username == "ketua.kkg":
        group = user.role_assignments.get(role="ketua_kelompok").group
        members = Person.objects.filter(
            memberships__group=group, memberships__ended_on__isnull=True
        ).distinct()
        return School.objects.filter(people__in=members).distinct(), members
    return School.objects.filter(pk=person.school_id), Person.objects.filter(pk=person.pk)


def test_each_demo_account_sees_only_its_scope(live_server, phone, demo_world):
    outsider = Person.objects.filter(regency_id="75.71").order_by("name_search").first()
    for username, _role, _office, _label in DEMO_ACCOUNTS:
        user = User.objects.get(username=username)
        schools, people = expected_scope(username, user)
        login(phone, live_server.url, username)
        assert phone.locator("html").get_attribute("lang") == "id"
        assert "Selamat datang" in phone.inner_text("h1")
        stats = phone.locator(".stat b").all_inner_texts()
        assert stats[0] == f"{schools.count():,}".replace(",", "."), username
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
