"""The export toward e-Kinerja BKN (docs/ekinerja.md): one row per assessed civil servant
of a semester, as CSV (through the one spreadsheet writer) or JSON."""

from __future__ import annotations

import io
import json

from gugus.core.documents import Document
from gugus.core.errors import NotFound
from gugus.core.sheets import CsvWriter
from gugus.performance import selectors
from gugus.performance.models import Period

EKINERJA_COLUMNS = [
    "nip",
    "name",
    "npsn",
    "period",
    "role",
    "work_results",
    "work_behaviour",
    "predikat",
]


def ekinerja_document(user, period: Period, fmt: str) -> Document:
    rows = selectors.export_rows(user, period)
    name = f"ekinerja-{period.year}-{period.half}"
    if fmt == "json":
        body = json.dumps({"period": f"{period.year}-{period.half}", "ratings": rows})
        return Document(body.encode(), f"{name}.json", "application/json")
    if fmt != "csv":
        raise NotFound()
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(EKINERJA_COLUMNS)
    for row in rows:
        writer.writerow([row[c] for c in EKINERJA_COLUMNS])
    return Document(out.getvalue().encode(), f"{name}.csv", "text/csv; charset=utf-8")
