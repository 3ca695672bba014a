"""Bulk writes for millions of rows: the demo generator and the UKG import use them."""

from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.test.utils import override_settings


@contextmanager
def without_query_log():
    """A batch of millions of rows as production runs it, even under DEBUG (`make run`,
    the benches): Django's debug log keeps the last 9,000 statements with their
    parameters, up to a megabyte each, and grew a national seed's memory by a gigabyte."""
    with override_settings(DEBUG=False):
        yield


class RowWriter:
    """Plain multi-row INSERTs with ids assigned here: several times faster than
    `bulk_create` for millions of rows, and the ids link people to schools and subjects
    without reading anything back."""

    def __init__(self):
        self.next_id: dict = {}
        self.written: set = set()

    def take_ids(self, model, count: int) -> range:
        if model not in self.next_id:
            self.next_id[model] = (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        start = self.next_id[model]
        self.next_id[model] = start + count
        return range(start, start + count)

    def insert(self, model, fields: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        qn = connection.ops.quote_name
        columns = ", ".join(qn(model._meta.get_field(f).column) for f in fields)
        table = qn(model._meta.db_table)
        self.written.add(table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY is PostgreSQL's bulk path, several times faster than INSERTs.
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
            for start in range(0, len(rows), 5000):
                cursor.executemany(sql, rows[start : start + 5000])

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the ids given out here, and give the
        planner the tables' new sizes (`analyze`)."""
        sql = connection.ops.sequence_reset_sql(no_style(), list(self.next_id))
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)
        analyze(self.written)


def analyze(tables) -> None:
    """Fresh planner statistics after a bulk write. Planned on a near-empty table's
    statistics (PostgreSQL), a join over the rows just loaded scans one table once per
    row of the other; planned on none (SQLite), a district's list of a semester's plans
    read the nation's plans of that semester through the semester's index."""
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"ANALYZE {table}")
