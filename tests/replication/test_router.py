"""The read-replica router (gugus.core.replicas) against a real streaming replica:
writes reach the primary, reading requests are served by the replica, and a person who
just saved reads their own write at once even while the replica lags behind."""

import pytest
from django.db import connections, router
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gugus.accounts.services import api_token_create
from gugus.core.replicas import PIN_COOKIE
from gugus.core.roles import Role
from gugus.directory.models import School
from tests.factories import SchoolFactory, user_with_role
from tests.replication.conftest import set_replay, wait_for_replica

pytestmark = pytest.mark.usefixtures("replicated")


def in_recovery(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return cursor.fetchone()[0]


def api_client(user) -> Client:
    _token, key = api_token_create(user=user, name="replika")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_the_replica_is_a_standby_of_the_primary():
    assert in_recovery("default") is False
    assert in_recovery("replica_1") is True
    # Outside a request (the worker, commands) every read goes to the primary.
    assert router.db_for_read(School) == "default"
    assert router.db_for_write(School) == "default"


def test_a_reading_request_is_served_by_the_replica_and_a_write_by_the_primary():
    school = SchoolFactory()
    office = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")
    client = api_client(office)
    wait_for_replica()
    client.get("/api/v1/me")  # the token's first use is noted: a write, which pins ...
    client.cookies.clear()  # ... for a while; a script that keeps no cookie is not pinned
    wait_for_replica()

    with (
        CaptureQueriesContext(connections["replica_1"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        assert client.get(f"/api/v1/schools/{school.npsn}").status_code == 200
    assert any("directory_school" in q["sql"] for q in on_replica.captured_queries)
    assert not any("directory_school" in q["sql"] for q in on_primary.captured_queries)

    with (
        CaptureQueriesContext(connections["replica_1"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        changed = client.patch(
            f"/api/v1/schools/{school.npsn}",
            {"name": "SD Negeri Replika"},
            content_type="application/json",
        )
    assert changed.status_code == 200, changed.content
    assert any(q["sql"].startswith("UPDATE") for q in on_primary.captured_queries)
    assert not on_replica.captured_queries  # a writing request reads the primary too
    assert School.objects.get(pk=school.pk).name == "SD Negeri Replika"


def test_whoever_saved_reads_their_own_write_while_the_replica_lags():
    school = SchoolFactory(name="SD Negeri Lama")
    saver = api_client(user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71"))
    other = api_client(user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71"))
    for client in (saver, other):
        client.get("/api/v1/me")  # the tokens' first use noted
        client.cookies.clear()
    wait_for_replica()

    set_replay(paused=True)  # the replica stops applying the primary's changes
    changed = saver.patch(
        f"/api/v1/schools/{school.npsn}",
        {"name": "SD Negeri Baru"},
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert changed.cookies[PIN_COOKIE]["max-age"] == 10

    # The one who saved sees it at once (their reads are pinned to the primary) ...
    assert saver.get(f"/api/v1/schools/{school.npsn}").json()["name"] == "SD Negeri Baru"
    # ... someone else, read from the lagging replica, still sees the old name ...
    assert other.get(f"/api/v1/schools/{school.npsn}").json()["name"] == "SD Negeri Lama"

    # ... until the replica catches up.
    set_replay(paused=False)
    wait_for_replica()
    assert other.get(f"/api/v1/schools/{school.npsn}").json()["name"] == "SD Negeri Baru"


def test_a_reading_request_that_writes_reads_the_primary_from_then_on():
    """The first write of a GET (a token's use noted once a minute) pins the rest of it."""
    office = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")
    client = api_client(office)
    wait_for_replica()
    with CaptureQueriesContext(connections["default"]) as on_primary:
        response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert any(q["sql"].startswith("UPDATE") for q in on_primary.captured_queries)
    assert PIN_COOKIE in response.cookies
