"""Precomputed competency maps (`Rollup`), refreshed after each import of an event.

Nation, provinces and kab/kota, for every subject and for every level (jenjang) too, come
from one-point histograms counted by the database (GROUP BY place, subject or level, and
the whole part of the score), summed upwards in Python: the mean is exact, the share below
the event's pass mark and target is exact for whole-number marks (a score is below 55
exactly when its whole part is), and the median is interpolated inside its one-point bin.
Schools and working groups get their exact median from one pass over the scores in order,
holding one school's scores at a time.
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction

from gugus.competency import tracks
from gugus.competency.models import Rollup, UkgEvent

COMPONENTS = ("total", "pedagogik", "profesional")
TWO = Decimal("0.01")
CHUNK = 2000


class Histogram:
    __slots__ = ("counts", "n", "total")

    def __init__(self):
        self.counts = [0] * 101
        self.n = 0
        self.total = Decimal(0)

    def add(self, whole: int, count: int, total) -> None:
        self.counts[min(max(whole, 0), 100)] += count
        self.n += count
        self.total += Decimal(total)

    def merge(self, other: Histogram) -> None:
        for i, c in enumerate(other.counts):
            self.counts[i] += c
        self.n += other.n
        self.total += other.total

    def median(self) -> Decimal:
        """The middle score(s), each taken at the middle of its one-point bin: within half
        a point of the exact median."""

        def at(rank: int) -> Decimal:
            seen = 0
            for score, count in enumerate(self.counts):
                seen += count
                if seen > rank:
                    return Decimal(min(score + 0.5, 100))
            return Decimal(0)

        if not self.n:
            return Decimal(0)
        middle = (at((self.n - 1) // 2) + at(self.n // 2)) / 2
        return middle.quantize(TWO, ROUND_HALF_UP)

    def row(self, **cell) -> Rollup:
        event = cell["event"]
        return Rollup(
            n=self.n,
            mean=(self.total / self.n).quantize(TWO, ROUND_HALF_UP),
            median=min(self.median(), Decimal(100)),
            below_pass=sum(self.counts[: int(event.pass_mark)]),
            below_target=sum(self.counts[: int(event.target)]),
            bins=[sum(self.counts[i : i + 10]) for i in range(0, 90, 10)] + [sum(self.counts[90:])],
            **cell,
        )


def _whole(column: str) -> str:
    """The whole part of a score (scores are never negative)."""
    if connection.vendor == "postgresql":
        return f"FLOOR({column})::int"
    return f"CAST({column} AS INTEGER)"


def _fetch(sql: str, params):
    """Rows a few thousand at a time. On PostgreSQL a server-side cursor: a plain one
    would hold an event's million-odd scores in the client before the first row."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(5000):
            yield from rows


def _regional(event: UkgEvent, component: str, dimension: str | None) -> list[Rollup]:
    """Nation, provinces and kab/kota, overall or per subject / per level."""
    column = {"subject": "COALESCE(subject_id, '')", "jenjang": "jenjang"}.get(dimension, "''")
    sql = f"""SELECT province_id, regency_id, {column}, {_whole(component)} AS w,
                     COUNT(*), SUM({component})
              FROM competency_result WHERE event_id = %s
              GROUP BY province_id, regency_id, {column + ", " if dimension else ""}w"""
    cells: dict[tuple, Histogram] = defaultdict(Histogram)
    for province, regency, value, whole, count, total in _fetch(sql, [event.pk]):
        if dimension and not value:
            continue
        cell = cells[("kabkota", regency, value)] if regency else None
        for target in (cell, cells[("provinsi", province, value)], cells[("nasional", "", value)]):
            if target is not None:
                target.add(int(whole), count, total)
    return [
        h.row(
            event=event,
            level=level,
            key=key,
            subject=value if dimension == "subject" else "",
            jenjang=value if dimension == "jenjang" else "",
            component=component,
        )
        for (level, key, value), h in cells.items()
        if h.n
    ]


def _exact(event: UkgEvent, component: str, level: str):
    """Schools or groups: exact statistics from the scores in key order, one at a time."""
    if level == Rollup.Level.SEKOLAH:
        sql = f"""SELECT school_id, {component} FROM competency_result
                  WHERE event_id = %s AND school_id IS NOT NULL ORDER BY school_id, {component}"""
    else:
        sql = f"""SELECT m.group_id, r.{component} FROM competency_result r
                  JOIN communities_membership m
                    ON m.person_id = r.person_id AND m.ended_on IS NULL
                  WHERE r.event_id = %s ORDER BY m.group_id, r.{component}"""
    current, scores = None, []

    def close():
        h = Histogram()
        for score in scores:
            h.add(int(score), 1, score)
        row = h.row(event=event, level=level, key=str(current), component=component)
        row.median = Decimal(statistics.median(scores)).quantize(TWO, ROUND_HALF_UP)
        return row

    for key, score in _fetch(sql, [event.pk]):
        if key != current:
            if scores:
                yield close()
            current, scores = key, []
        scores.append(Decimal(score))
    if scores:
        yield close()


@transaction.atomic
def refresh(event: UkgEvent) -> int:
    """Recompute every rollup of the event; returns how many rows it wrote. Rows are
    written in chunks as they are computed, so memory does not grow with the schools."""
    Rollup.objects.filter(event=event).delete()
    _analyze("competency_result")  # an import may just have written a million rows
    per_track = _tracks_by_level(event)
    written, batch = 0, []
    for component in COMPONENTS:
        rows = itertools.chain(
            *(_regional(event, component, d) for d in (None, "subject", "jenjang")),
            _exact(event, component, Rollup.Level.SEKOLAH),
            _exact(event, component, Rollup.Level.KELOMPOK),
        )
        for row in rows:
            if component == "total" and not row.subject and not row.jenjang:
                row.tracks = per_track[row.level].get(row.key, {})
            batch.append(row)
            if len(batch) >= CHUNK:
                Rollup.objects.bulk_create(batch, batch_size=CHUNK)
                written, batch = written + len(batch), []
    Rollup.objects.bulk_create(batch, batch_size=CHUNK)
    # The maps read these rows next: planned on the old statistics, the first requests
    # after a refresh took seconds on PostgreSQL instead of milliseconds.
    _analyze("competency_rollup")
    return written + len(batch)


def _analyze(table: str) -> None:
    """Fresh planner statistics after a bulk write (PostgreSQL; SQLite plans without)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")


def _tracks_by_level(event: UkgEvent) -> dict:
    """Teachers per development track for each place or group (nation = sum of provinces)."""
    by_level = {
        Rollup.Level.PROVINSI: tracks.counts(event, by="province"),
        Rollup.Level.KABKOTA: tracks.counts(event, by="regency"),
        Rollup.Level.SEKOLAH: tracks.counts(event, by="school"),
        Rollup.Level.KELOMPOK: tracks.counts(event, by="group"),
    }
    nation = dict.fromkeys(tracks.TRACKS, 0)
    for counts in by_level[Rollup.Level.PROVINSI].values():
        for track, n in counts.items():
            nation[track] += n
    by_level[Rollup.Level.NASIONAL] = {"": nation}
    return by_level
