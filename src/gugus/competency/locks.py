"""The PostgreSQL advisory locks that stand in for UKG results' foreign keys (decision
0013). SQLite writes under the database's own lock and needs none of them.

- An event's imports write one after the other: each holds the event's lock alone.
- Imports writing results and a teacher's deletion exclude each other: every import
  shares one lock, a deletion takes it alone. A deletion so waits for the running
  imports to commit, then sees their results; an import that starts later waits for the
  deletion and no longer finds the teacher. One lock for a million teachers, where
  locking each teacher's row would write to a million rows.
"""

from django.db import connections

EVENT = 0x554B47  # class of the two-key lock (class, event id): "UKG"
TEACHERS = 0x554B475F54  # the one-key lock of teachers whose results are being written


def _execute(using: str, sql: str, params: list) -> None:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def hold_event(event_id: int, using: str = "default") -> None:
    """Until the transaction ends, no other import writes this event's results."""
    _execute(using, "SELECT pg_advisory_xact_lock(%s::int, %s::int)", [EVENT, event_id])


def share_teachers(using: str = "default") -> None:
    """Until the transaction ends, no teacher is deleted (other imports may write)."""
    _execute(using, "SELECT pg_advisory_xact_lock_shared(%s::bigint)", [TEACHERS])


def own_teachers(using: str = "default") -> None:
    """Until the transaction ends, no import writes results: taken to delete a teacher."""
    _execute(using, "SELECT pg_advisory_xact_lock(%s::bigint)", [TEACHERS])
