"""The documents of performance management: the export toward e-Kinerja BKN
(docs/ekinerja.md), one row per assessed civil servant of a semester, as CSV (through the
one spreadsheet writer) or JSON; and each person's semester record as PDF."""

from __future__ import annotations

import io
import json

from django.utils import timezone

from gugus.core.documents import PDF_TYPE, Document, render_pdf
from gugus.core.errors import NotFound
from gugus.core.sheets import CsvWriter
from gugus.directory.services import personal_data_read
from gugus.performance import selectors
from gugus.performance.models import Cycle, Period, Plan

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
    if fmt not in ("json", "csv"):
        raise NotFound()
    rows = selectors.export_rows(user, period)
    personal_data_read(
        actor=user, what=f"ekinerja_{fmt}", rows=len(rows), filters={"period": period.pk}
    )
    name = f"ekinerja-{period.year}-{period.half}"
    if fmt == "json":
        body = json.dumps({"period": f"{period.year}-{period.half}", "ratings": rows})
        return Document(body.encode(), f"{name}.json", "application/json")
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(EKINERJA_COLUMNS)
    for row in rows:
        writer.writerow([row[c] for c in EKINERJA_COLUMNS])
    return Document(out.getvalue().encode(), f"{name}.csv", "text/csv; charset=utf-8")


def record_document(plan: Plan) -> Document:
    cycle = Cycle.objects.filter(plan=plan).select_related("rubric").first()
    body = render_pdf(
        "performance/record_pdf.html",
        {
            "plan": plan,
            "items": list(plan.items.select_related("item")),
            "cycle": cycle,
            "stages": list(cycle.stages.order_by("kind")) if cycle else [],
            "ratings": list(
                cycle.ratings.select_related("indicator").order_by("indicator__position")
            )
            if cycle
            else [],
            "generated": timezone.localtime(),
        },
    )
    name = f"kinerja-{plan.period.year}-{plan.period.half}-{plan.person_id}.pdf"
    return Document(body, name, PDF_TYPE)
