"""Bringing the tallies up to date: the kab/kota (and province-only places) marked changed
are recounted from the raw records (`measures`), then their provinces and the nation are
added up from the tallies alone. A change committed while a refresh runs keeps its mark
(the refresh removes only the marks it read, unchanged), so the next refresh counts it.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from gugus.core.changes import EVERYTHING
from gugus.core.models import ChangedPlace
from gugus.insights import measures
from gugus.insights.models import (
    NATION,
    Refreshed,
    Tally,
    parent_of,
    province_only_scope,
    province_scope,
    regency_scope,
)

CHUNK = 5000


def refresh(*, everything: bool = False) -> int:
    """Recount what changed (or everything); returns how many tallies were written.

    On PostgreSQL the whole refresh holds the lock row, so two workers never interleave
    an older count over a newer one. SQLite has one writer at a time and locks it for a
    whole transaction, so there the counting runs before the short writing transaction."""
    if connection.vendor == "postgresql":
        with transaction.atomic():
            Refreshed.objects.select_for_update().get_or_create(pk=1)
            written = _refresh(everything)
    else:
        written = _refresh(everything)
    _analyze()
    return written


def _refresh(everything: bool) -> int:
    marks = dict(ChangedPlace.objects.values_list("scope", "marked_at"))
    if not marks and not everything:
        return 0
    everything = everything or EVERYTHING in marks
    if everything:
        places = measures.Places()
    else:
        places = measures.Places(
            regencies=frozenset(s[2:] for s in marks if s.startswith("K:")),
            provinces=frozenset(s[2:] for s in marks if s.startswith("S:")),
        )
    counted = measures.count(places)
    with transaction.atomic():
        written = _write_places(counted, None if everything else set(marks))
        written += _add_up(None if everything else {s[2:4] for s in marks})
        _forget(marks)
        Refreshed.objects.update_or_create(pk=1, defaults={"at": timezone.now()})
    return written


def _write_places(counted: dict, scopes: set[str] | None) -> int:
    if scopes is None:
        Tally.objects.all().delete()
    else:
        Tally.objects.filter(scope__in=scopes).delete()
    rows = []
    for (province, regency, ministry, measure, period), value in counted.items():
        scope = regency_scope(regency) if regency else province_only_scope(province)
        rows.append(
            Tally(
                scope=scope,
                parent=parent_of(scope),
                ministry=ministry,
                measure=measure,
                period=period,
                value=value,
            )
        )
    Tally.objects.bulk_create(rows, batch_size=CHUNK)
    return len(rows)


def _add_up(provinces: set[str] | None) -> int:
    """Provinces from their places, then the nation from the provinces."""
    parents = None if provinces is None else [province_scope(p) for p in provinces]
    inside = Q(parent__startswith="P:") if parents is None else Q(parent__in=parents)
    sums = _sums(Tally.objects.filter(inside), "parent")
    if parents is None:
        Tally.objects.filter(scope__startswith="P:").delete()
    else:
        Tally.objects.filter(scope__in=parents).delete()
    Tally.objects.bulk_create(
        [Tally(scope=scope, parent=NATION, **cell) for scope, cell in sums], batch_size=CHUNK
    )
    Tally.objects.filter(scope=NATION).delete()
    nation = _sums(Tally.objects.filter(parent=NATION), None)
    Tally.objects.bulk_create(
        [Tally(scope=NATION, parent="", **cell) for _scope, cell in nation], batch_size=CHUNK
    )
    return len(sums) + len(nation)


def _sums(qs, by: str | None) -> list[tuple[str, dict]]:
    keys = ["ministry", "measure", "period", *([by] if by else [])]
    return [
        (
            row[by] if by else NATION,
            {k: row[k] for k in ("ministry", "measure", "period")} | {"value": row["total"]},
        )
        for row in qs.order_by().values(*keys).annotate(total=Sum("value"))
    ]


def _forget(marks: dict) -> None:
    """Remove the marks that were read, unless a writer has marked the place again since."""
    by_time = defaultdict(list)
    for scope, at in marks.items():
        by_time[at].append(scope)
    for at, scopes in by_time.items():
        ChangedPlace.objects.filter(scope__in=scopes, marked_at=at).delete()


def _analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE insights_tally")
