"""The interface speaks Bahasa Indonesia first: the catalogue is complete and current."""

import shutil
from pathlib import Path

from babel.messages.pofile import read_po
from django.core.management import call_command

import gugus
from tests.factories import UserFactory

PACKAGE = Path(gugus.__file__).parent
CATALOGUE = PACKAGE / "locale" / "id" / "LC_MESSAGES" / "django.po"


def _messages(path):
    with open(path, "rb") as f:
        return {m.id: m for m in read_po(f) if m.id}


def test_every_message_has_an_indonesian_translation():
    untranslated = [m.id for m in _messages(CATALOGUE).values() if not m.string or m.fuzzy]
    assert not untranslated


def test_catalogue_holds_every_translatable_string_of_the_code(settings, tmp_path, monkeypatch):
    copy = tmp_path / "gugus"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command(
        "makemessages",
        locale=["id"],
        no_location=True,
        no_obsolete=True,
        ignore_patterns=["*/migrations/*"],
        verbosity=0,
    )
    fresh = set(_messages(copy / "locale" / "id" / "LC_MESSAGES" / "django.po"))
    committed = set(_messages(CATALOGUE))
    assert fresh == committed, "run `make messages` and translate the new strings"


def test_home_page_speaks_indonesian_by_default_and_english_on_request(client, db):
    client.force_login(UserFactory())
    # A phone set to English still gets Indonesian until its user picks English.
    assert "Selamat datang" in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Welcome" in client.get("/").content.decode()


def test_api_messages_follow_accept_language(client, db):
    english = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["message"] == "Log in or send a valid API token."
    assert client.get("/api/v1/me").json()["message"].startswith("Masuk")
