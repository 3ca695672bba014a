"""Cross-cutting pages: health, regions loaded, password reset, audit log."""

import re

import pytest
from django.core import mail

from gugus.core.roles import Role
from gugus.directory.models import District, Province, Regency
from gugus.directory.services import person_update
from tests.factories import PersonFactory, UserFactory, user_with_role


def test_healthz_answers_when_the_database_does(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_official_regions_are_loaded_with_their_codes(db):
    assert (Province.objects.count(), Regency.objects.count(), District.objects.count()) == (
        38,
        514,
        7285,
    )
    city = Regency.objects.get(code="34.71")
    assert (city.name, city.kind, city.province.name) == (
        "Kota Yogyakarta",
        "kota",
        "Daerah Istimewa Yogyakarta",
    )
    assert city.population > 300_000


def test_pages_need_a_login(client, db):
    for url in ("/", "/ptk/", "/sekolah/", "/koreksi/", "/saya/", "/impor/", "/audit/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/masuk/"), url


def test_password_reset_by_email_end_to_end(client, db):
    user = UserFactory(email="guru@sekolah.id")
    client.post("/sandi/reset/", {"email": "guru@sekolah.id"})
    link = re.search(r"https?://[^/]+(/sandi/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Pilih kata sandi baru" in form_page.content.decode()
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Bintang-Timur-88", "new_password2": "Bintang-Timur-88"},
    )
    user.refresh_from_db()
    assert user.check_password("Bintang-Timur-88")


def test_password_change_page_is_in_indonesian(client, db):
    client.force_login(UserFactory())
    assert "Ubah kata sandi" in client.get("/sandi/ubah/").content.decode()


@pytest.mark.parametrize(("role", "sees"), [(Role.ADMIN_KABKOTA, True), (Role.GURU, False)])
def test_audit_page_is_for_offices(client, yogya_school, role, sees):
    scope = (
        {"regency": Regency.objects.get(code="34.71")}
        if role == Role.ADMIN_KABKOTA
        else {"school": yogya_school}
    )
    user = user_with_role(role, **scope)
    office = user_with_role(Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.71"))

    person = PersonFactory(school=yogya_school, name="Lama")
    person_update(actor=office, person=person, data={"name": "Baru"})
    client.force_login(user)
    response = client.get("/audit/")
    assert response.status_code == (200 if sees else 404)
    if sees:
        assert "Lama → Baru" in response.content.decode()


def test_the_menu_offers_office_pages_by_the_rule_their_views_use(client, db):
    """`is_staff` without an office role shows no office links (their pages answer 404);
    an office sees them."""
    staff_only = UserFactory(is_staff=True)
    client.force_login(staff_only)
    page = client.get("/").content.decode()
    assert 'href="/impor/"' not in page and 'href="/audit/"' not in page
    assert client.get("/impor/").status_code == 404
    client.force_login(user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71"))
    page = client.get("/").content.decode()
    assert 'href="/impor/"' in page and 'href="/audit/"' in page
