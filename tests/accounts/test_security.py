"""Signing out everywhere, the second factor an office user may turn on, and the sign-in
history: each as the user meets it on the pages and through the API."""

import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from gugus.accounts import security
from gugus.accounts.services import api_token_create
from gugus.core.errors import DomainError
from gugus.core.models import AuditEntry
from gugus.core.roles import Role
from tests.factories import PersonFactory, user_with_role

pytestmark = pytest.mark.usefixtures("indonesian")
PASSWORD = "rahasia-123"


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def _signed_in(user) -> Client:
    client = Client()
    response = client.post("/masuk/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def _bearer(user):
    _token, key = api_token_create(user=user, name="skrip")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def office(db):
    return user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")


@pytest.fixture
def teacher(yogya_school):
    return user_with_role(Role.GURU, person=PersonFactory(school=yogya_school), school=yogya_school)


def test_signing_out_everywhere_else_keeps_this_session_only(teacher):
    here, there = _signed_in(teacher), _signed_in(teacher)

    response = here.post("/akun/keamanan/", {"step": "revoke"}, follow=True)

    assert "Anda telah dikeluarkan dari semua sesi lain" in response.content.decode()
    assert here.get("/saya/").status_code == 200
    assert there.get("/saya/").url.startswith("/masuk/")
    entry = AuditEntry.objects.get(action="revoke_sessions")
    assert (entry.actor, entry.target_id) == (teacher, str(teacher.pk))


def test_an_office_signs_a_user_of_its_region_out_and_no_other_office_can(office, teacher):
    there = _signed_in(teacher)
    other = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.04")

    refused = Client().post(f"/api/v1/users/{teacher.pk}/sessions/revoke", **_bearer(other))
    assert refused.status_code == 404
    assert there.get("/saya/").status_code == 200

    done = Client().post(f"/api/v1/users/{teacher.pk}/sessions/revoke", **_bearer(office))

    assert done.status_code == 204
    assert there.get("/saya/").url.startswith("/masuk/")


def test_an_office_user_turns_the_second_factor_on_and_is_asked_for_it(office):
    other_session = _signed_in(office)
    client = _signed_in(office)
    page = client.post("/akun/keamanan/", {"step": "start"}, follow=True).content.decode()
    assert 'src="data:image/svg+xml' in page
    device = TOTPDevice.objects.get(user=office, confirmed=False)

    wrong = client.post("/akun/keamanan/", {"step": "confirm", "code": "000000"})
    assert "Kode salah atau sudah kedaluwarsa" in wrong.content.decode()
    at_once = client.post("/akun/keamanan/", {"step": "confirm", "code": _code(device)})
    assert "Terlalu banyak kode salah" in at_once.content.decode()  # guessing is slowed
    time.sleep(1.1)
    client.post("/akun/keamanan/", {"step": "confirm", "code": _code(device)})

    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200  # this session is verified
    assert other_session.get("/").url.startswith("/masuk/")  # the others are signed out
    assert AuditEntry.objects.filter(action="second_factor_on", actor=office).exists()

    fresh = _signed_in(office)
    assert fresh.get("/dasbor/").url == "/masuk/kode/?next=/dasbor/"
    api = fresh.get("/api/v1/me")
    assert (api.status_code, api.json()["code"]) == (401, "second_factor_needed")
    refused = fresh.post("/masuk/kode/", {"code": "123456", "next": "/dasbor/"})
    assert "Kode salah" in refused.content.decode()
    time.sleep(1.1)
    passed = fresh.post("/masuk/kode/", {"code": _code(device, 1), "next": "/dasbor/"})
    assert passed.url == "/dasbor/"
    assert fresh.get("/api/v1/me").status_code == 200


def test_the_second_factor_is_offered_to_office_roles_only(teacher):
    client = _signed_in(teacher)

    assert "Faktor kedua" not in client.get("/akun/keamanan/").content.decode()
    with pytest.raises(DomainError) as refused:
        security.second_factor_start(actor=teacher)
    assert refused.value.code == "not_office"


def test_through_the_api_the_second_factor_is_set_up_turned_off_and_reset(office, yogya_school):
    headers = _bearer(office)
    client = Client()
    setup = client.post("/api/v1/me/second-factor", **headers).json()
    assert setup["otpauth_url"].startswith("otpauth://totp/")
    device = TOTPDevice.objects.get(user=office)
    status = client.post(
        "/api/v1/me/second-factor/confirm",
        {"code": _code(device)},
        content_type="application/json",
        **headers,
    ).json()
    assert status["second_factor"] is True

    off = client.post(
        "/api/v1/me/second-factor/off",
        {"code": _code(device, 1)},
        content_type="application/json",
        **headers,
    )
    assert off.status_code == 204 and not TOTPDevice.objects.filter(user=office).exists()

    head = user_with_role(Role.GURU, person=PersonFactory(school=yogya_school), school=yogya_school)
    TOTPDevice.objects.create(user=head, name="Gugus", confirmed=True)
    reset = client.post(f"/api/v1/users/{head.pk}/second-factor/reset", **headers)
    assert reset.status_code == 204 and not TOTPDevice.objects.filter(user=head).exists()
    assert AuditEntry.objects.filter(action="second_factor_reset", target_id=str(head.pk))


def test_sign_ins_and_failures_are_kept_for_the_user_and_the_offices_of_its_region(office, teacher):
    Client().post("/masuk/", {"username": teacher.username, "password": "salah-sandi"})
    client = _signed_in(teacher)

    own = client.get("/akun/keamanan/").content.decode()
    assert own.count("Berhasil masuk") == 1 and own.count("Gagal") == 1

    seen = Client().get("/api/v1/sign-ins", **_bearer(office)).json()["items"]
    assert [(r["username"], r["ok"]) for r in seen] == [
        (teacher.username, True),
        (teacher.username, False),
    ]
    other = user_with_role(Role.ADMIN_KABKOTA, regency_id="33.75")
    assert Client().get("/api/v1/sign-ins", **_bearer(other)).json()["items"] == []
    office_page = _signed_in(office).get("/audit/masuk/").content.decode()
    assert teacher.username in office_page
    assert Client().get("/api/v1/sign-ins", **_bearer(teacher)).status_code == 403
