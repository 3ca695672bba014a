import os

import pytest
from django.core.servers.basehttp import WSGIRequestHandler

# The production stack's tests run only against a running `make prod`, the router's only
# against a streaming replica: scripts/test.sh starts each and runs them by name.
collect_ignore = [
    *([] if os.environ.get("GUGUS_PROD_DIR") else ["prod"]),
    *([] if os.environ.get("DATABASE_REPLICA_URLS") else ["replication"]),
]

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made
# by fixtures in that thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The live test server writes a response's head and body apart; with Nagle's algorithm on,
# the body waits for the client's delayed acknowledgement, 40 ms a request on loopback.
WSGIRequestHandler.disable_nagle_algorithm = True


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _school(code):
    from gugus.directory.models import District
    from tests.factories import SchoolFactory

    return SchoolFactory(district=District.objects.get(code=code))


@pytest.fixture
def yogya_school(db):
    """A school in Kota Yogyakarta (34.71), DI Yogyakarta (34)."""
    return _school("34.71.01")


@pytest.fixture
def sleman_school(db):
    """A school in Kabupaten Sleman (34.04): same province, other kab/kota."""
    return _school("34.04.01")


@pytest.fixture
def pekalongan_school(db):
    """A school in Kota Pekalongan (33.75): another province."""
    return _school("33.75.01")


@pytest.fixture
def regions(transactional_db):
    """Browser tests run in transactional databases that are flushed after each test,
    which empties the reference data the migrations loaded (regions, subjects, the
    performance catalogues); load it again."""
    from gugus.directory.models import District, Province, Regency, Subject
    from gugus.directory.regions import load_regions, load_subjects
    from gugus.performance.catalogues import load_catalogues
    from gugus.performance.models import PointItem, PracticeIndicator, Rubric, RubricIndicator

    if not Province.objects.exists():
        load_regions(Province, Regency, District)
        load_subjects(Subject)
    if not Rubric.objects.exists():
        load_catalogues(PointItem, PracticeIndicator, Rubric, RubricIndicator)


@pytest.fixture
def office(db):
    """The Dinas Pendidikan of Kota Yogyakarta (34.71): a kab/kota administrator."""
    from gugus.core.roles import Role
    from tests.factories import user_with_role

    return user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")


@pytest.fixture
def indonesian():
    """Messages in Indonesian, as most users read them (modules opt in with
    `pytestmark = pytest.mark.usefixtures("indonesian")`)."""
    from django.utils import translation

    with translation.override("id"):
        yield


class Today:
    """The app's chosen date (GUGUS_TODAY, read by gugus.core.clock), moved by a test
    through a programme year: services, pages and the API all see it."""

    def __init__(self, settings, value: str):
        self._settings = settings
        self.set(value)

    def set(self, value: str):
        self._settings.GUGUS_TODAY = value

    @property
    def today(self):
        import datetime

        return datetime.date.fromisoformat(self._settings.GUGUS_TODAY)


@pytest.fixture
def clock(settings):
    return Today(settings, "2026-01-10")
