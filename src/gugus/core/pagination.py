"""Pagination that stays fast on hundreds of thousands of rows.

Counting a large filtered table costs more than the page itself, so the count stops at
`COUNT_CAP` and the page says "more than 10,000" instead of an exact figure.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

COUNT_CAP = 10_000
MAX_PAGE_SIZE = 100


@dataclass
class Page:
    items: list[Any]
    number: int
    size: int
    total: int
    total_is_capped: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number * self.size < self.total or (
            self.total_is_capped and len(self.items) == self.size
        )

    @property
    def last_number(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.size + len(self.items)


def capped_count(queryset: QuerySet) -> tuple[int, bool]:
    """How many rows match, counted no further than COUNT_CAP, and whether more do (the
    figure then reads "10,000+")."""
    counted = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
    return min(counted, COUNT_CAP), counted > COUNT_CAP


def paginate(queryset: QuerySet | list, number: Any = 1, size: Any = 25) -> Page:
    """One page of a queryset (counted up to COUNT_CAP) or of a list already in memory."""
    try:
        size = min(max(int(size), 1), MAX_PAGE_SIZE)
    except (TypeError, ValueError):
        size = 25
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    number = min(number, COUNT_CAP // size + 1)
    if isinstance(queryset, list):
        total, is_capped = min(len(queryset), COUNT_CAP), len(queryset) > COUNT_CAP
    else:
        total, is_capped = capped_count(queryset)
    offset = (number - 1) * size
    items = list(queryset[offset : offset + size])
    return Page(items=items, number=number, size=size, total=total, total_is_capped=is_capped)
