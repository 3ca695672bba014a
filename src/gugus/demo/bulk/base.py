"""What the scale generators share: ids, rows by table, dates, stored files and offices."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from itertools import groupby

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from gugus.core import clock
from gugus.core.bulk import RowWriter
from gugus.directory.models import Regency

DAY = datetime.timedelta(days=1)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


class BulkGenerator:
    """A domain's rows for a list of kab/kota, grouped by province."""

    salt = 0

    def __init__(self, seed: int = 1, today: datetime.date | None = None):
        self.rng = random.Random(seed * 1_000_003 + self.salt)
        self.today = today or clock.today()
        self.now = clock.now()
        self.writer = RowWriter()
        self.counts: dict[str, int] = defaultdict(int)

    def write(self, model, fields: list[str], rows: list[tuple]) -> None:
        self.writer.insert(model, fields, rows)
        self.counts[model._meta.db_table] += len(rows)

    def ids(self, model, count: int) -> range:
        return self.writer.take_ids(model, count)

    def day(self, days_before: int) -> datetime.date:
        return self.today - days_before * DAY

    def at(self, day: datetime.date) -> datetime.datetime:
        """A moment on `day` in office hours, never later than now."""
        moment = datetime.datetime.combine(day, datetime.time(2, 30), tzinfo=datetime.UTC)
        return min(moment, self.now)

    def by_province(self, regency_codes: list[str]) -> list[tuple[str, list[Regency]]]:
        regencies = Regency.objects.filter(code__in=regency_codes).order_by("code")
        return [
            (province, list(items))
            for province, items in groupby(regencies, key=lambda r: r.province_id)
        ]


def stored_file(path: str, content: bytes = PDF) -> str:
    """One stored file that every generated row of a kind points at (a receipt, a
    proof): the rows are what is measured, not the bytes behind them."""
    if not default_storage.exists(path):
        path = default_storage.save(path, ContentFile(content))
    return path
