"""Sign-in and configuration fail closed: throttled sign-in on the page, the admin and
API tokens; production mode unless told otherwise; no exception text on /healthz; no
demo accounts with the published password in production."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from gugus.accounts.models import User
from gugus.accounts.services import api_token_create
from gugus.core import views as core_views
from gugus.demo.accounts import create_demo_accounts
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("indonesian")

LOCKED = "Terlalu banyak percobaan masuk yang gagal"


def sign_in(client, username, password, address="10.9.8.7", url="/masuk/"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_thirty_wrong_passwords_lock_the_account_and_the_address(client, db):
    victim = UserFactory(username="bendahara")
    other = UserFactory(username="ketua")
    answers = [sign_in(client, "bendahara", f"tebak-{i}").status_code for i in range(30)]
    assert answers[:9] == [200] * 9  # the form again, with its error
    assert set(answers[10:]) == {429}
    locked = sign_in(client, "bendahara", "rahasia-123")  # even the right password
    assert locked.status_code == 429 and LOCKED in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Per account: the same account from another address stays locked.
    assert sign_in(client, "bendahara", "rahasia-123", address="10.1.1.1").status_code == 429
    # Per address: another account from the guessing address is locked too.
    assert sign_in(client, "ketua", "rahasia-123").status_code == 429
    # Another account elsewhere signs in as usual.
    ok = sign_in(client, "ketua", "rahasia-123", address="10.2.2.2")
    assert ok.status_code == 302 and client.session["_auth_user_id"] == str(other.pk)
    assert victim.pk != other.pk


def test_the_admin_sign_in_is_throttled_too(client, db):
    UserFactory(username="admin.kota", is_staff=True)
    for i in range(10):
        sign_in(client, "admin.kota", f"salah-{i}", url="/admin/login/")
    response = sign_in(client, "admin.kota", "rahasia-123", url="/admin/login/")
    assert response.status_code == 429


def test_guessing_api_tokens_is_throttled_by_address(client, db):
    owner = UserFactory()
    _token, key = api_token_create(user=owner, name="skrip")
    codes = [
        client.get(
            "/api/v1/me", HTTP_AUTHORIZATION=f"Bearer ggs_tebakan{i}", REMOTE_ADDR="10.5.5.5"
        ).status_code
        for i in range(30)
    ]
    assert codes[:9] == [401] * 9 and set(codes[10:]) == {429}
    locked = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}", REMOTE_ADDR="10.5.5.5")
    assert locked.status_code == 429 and locked.json()["code"] == "locked_out"
    assert locked.json()["message"].startswith(LOCKED)
    elsewhere = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}", REMOTE_ADDR="10.6.6.6")
    assert elsewhere.status_code == 200


def test_healthz_never_shows_the_exception(client, db, monkeypatch):
    class Down:
        def cursor(self):
            raise RuntimeError("password authentication failed for user gugus at 10.0.0.5")

    monkeypatch.setattr(core_views, "connection", Down())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error"}


def _settings_in(env: dict) -> subprocess.CompletedProcess:
    code = (
        "import django, json; from django.conf import settings; django.setup(); "
        "print(json.dumps([settings.DEBUG, settings.SECURE_SSL_REDIRECT, "
        "settings.SECURE_HSTS_SECONDS, settings.SESSION_COOKIE_SECURE]))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("GUGUS_DEBUG", "SECRET_KEY")}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "gugus.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_unset_debug_means_production():
    refused = _settings_in({})
    assert refused.returncode != 0 and "SECRET_KEY must be set" in refused.stderr
    production = _settings_in({"SECRET_KEY": "x" * 50})
    assert production.stdout.strip() == "[false, true, 31536000, true]"
    development = _settings_in({"GUGUS_DEBUG": "1"})
    assert development.stdout.strip().startswith("[true, false")


def test_pages_send_a_content_security_policy(client, db):
    client.force_login(UserFactory())
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@override_settings(GUGUS_PRODUCTION=True)
def test_no_demo_accounts_in_production(db):
    with pytest.raises(ImproperlyConfigured):
        create_demo_accounts()
    assert not User.objects.filter(username="admin.pusat").exists()
