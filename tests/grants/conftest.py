import pytest

from gugus.accounts.services import api_token_create
from gugus.core.roles import Role
from gugus.grants import services
from tests.factories import user_with_role
from tests.grants.builders import WINDOW, ketua_of, ready_group


@pytest.fixture(autouse=True)
def _in_indonesian(indonesian):
    """Every grants test reads refusals as an Indonesian user does."""


@pytest.fixture
def offices(db):
    """The three review levels over Kota Yogyakarta, and a neighbour that sees nothing."""
    return {
        "kabkota": user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71"),
        "provinsi": user_with_role(Role.ADMIN_PROVINSI, province_id="34"),
        "nasional": user_with_role(Role.ADMIN_PUSAT),
        "sleman": user_with_role(Role.ADMIN_KABKOTA, regency_id="34.04"),
    }


def open_programme(office, **changes):
    data = {
        "name": "Bantuan Kelompok Kerja 2026",
        "budget_ceiling": "90000000",
        "quota": "5",
        **WINDOW,
        **changes.pop("data", {}),
    }
    programme = services.programme_create(
        actor=office,
        data=data,
        kinds=changes.pop(
            "kinds", [{"kind": "kkg", "amount": "15000000"}, {"kind": "kkks", "amount": "30000000"}]
        ),
    )
    return services.programme_transition(actor=office, programme=programme, action="open")


@pytest.fixture
def programme(offices, clock):
    return open_programme(offices["nasional"])


@pytest.fixture
def group(db):
    return ready_group()


@pytest.fixture
def ketua(group):
    return ketua_of(group)


def bearer(user):
    _token, key = api_token_create(user=user, name="skrip")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": "id"}


@pytest.fixture
def api(client):
    class Api:
        def __init__(self, user):
            self.auth = bearer(user)

        def get(self, url):
            return client.get(url, **self.auth)

        def post(self, url, body=None):
            return client.post(url, body or {}, content_type="application/json", **self.auth)

        def patch(self, url, body):
            return client.patch(url, body, content_type="application/json", **self.auth)

        def put(self, url, body):
            return client.put(url, body, content_type="application/json", **self.auth)

        def upload(self, url, data):
            return client.post(url, data, **self.auth)

    return Api
