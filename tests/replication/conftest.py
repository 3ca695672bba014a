"""Two PostgreSQL clusters in streaming replication (scripts/with-postgres.sh with
GUGUS_PG_REPLICA=1): the test database is created on the primary only and reaches the
replica by replication, as every change does. Tests commit for real (the replica sees only
what is committed); the database is dropped at the end. Not collected without a replica
(tests/conftest.py)."""

import time

import pytest
from django.db import connections


def replay_lag_bytes() -> int:
    """How far the replica's replay is behind the primary's last write."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        (written,) = cursor.fetchone()
    with connections["replica_1"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn())", [written])
        (lag,) = cursor.fetchone()
    return max(0, int(lag))


def wait_for_replica(timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while replay_lag_bytes() > 0:
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.05)


def set_replay(paused: bool) -> None:
    with connections["replica_1"].cursor() as cursor:
        cursor.execute(f"SELECT pg_wal_replay_{'pause' if paused else 'resume'}()")


@pytest.fixture(scope="session")
def django_db_setup(django_db_blocker):
    with django_db_blocker.unblock():
        primary = connections["default"]
        name = primary.creation.create_test_db(verbosity=0, autoclobber=True)
        replica = connections["replica_1"]
        replica.close()
        replica.settings_dict["NAME"] = name
        deadline = time.monotonic() + 60
        while True:  # the new database appears on the replica once replayed
            try:
                wait_for_replica()
                break
            except Exception:
                replica.close()
                assert time.monotonic() < deadline, "the test database never reached the replica"
                time.sleep(0.2)
    yield
    with django_db_blocker.unblock():
        set_replay(paused=False)
        replica.close()
        primary.creation.destroy_test_db(name, verbosity=0)


@pytest.fixture
def replicated(django_db_setup, django_db_blocker):
    """Database access that commits, with the replica caught up before and replaying after."""
    with django_db_blocker.unblock():
        wait_for_replica()
        yield
        set_replay(paused=False)
