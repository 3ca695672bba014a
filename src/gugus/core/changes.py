"""Marking the places whose records changed, so the dashboards' rollups are recounted
there (and only there) by the background refresh.

Single saves and deletes are marked by signals (`insights.signals`); a bulk write, which
sends no signal, marks its places itself with `mark_rows` or `mark_places`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from gugus.core.models import ChangedPlace

EVERYTHING = "*"


def scope_of(province_id: str | None, regency_id: str | None) -> str | None:
    if regency_id:
        return f"K:{regency_id}"
    if province_id:
        return f"S:{province_id}"
    return None


def mark_places(places: Iterable[tuple[str | None, str | None]]) -> None:
    """Mark (province, kab/kota) pairs; sorted, so two writers lock marks in one order."""
    scopes = sorted({s for p, r in places if (s := scope_of(p, r))})
    mark_scopes(scopes)


def mark_scopes(scopes: Iterable[str]) -> None:
    rows = [ChangedPlace(scope=s) for s in sorted(set(scopes))]
    if rows:
        ChangedPlace.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["scope"], update_fields=["marked_at"]
        )


def mark_everything() -> None:
    mark_scopes([EVERYTHING])


def mark_rows(qs: QuerySet, province: str, regency: str) -> None:
    """Mark every place of the rows of `qs`, read through the given field paths."""
    mark_places(qs.order_by().values_list(province, regency).distinct())
