"""The school outcomes import (Rapor Pendidikan style): one row per school and year with
its literacy, numeracy and learning-quality indices (0 to 100). The format is documented
in `docs/outcomes.md` with a sample file (`docs/samples/rapor-pendidikan.csv`). Written by
the office keeping the school's record; all or nothing, like every import."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gugus.competency.imports import parse_score
from gugus.core import audit
from gugus.core.changes import mark_places
from gugus.core.cleaning import clean_text
from gugus.core.imports import Importer, register
from gugus.directory.models import School
from gugus.insights.models import SchoolOutcome

INDICES = {
    "literasi": "literacy",
    "numerasi": "numeracy",
    "kualitas_pembelajaran": "learning_quality",
}
OUTCOME_COLUMNS = {"npsn": "npsn", "tahun": "year", **INDICES}
ALIASES = {
    "kemampuan_literasi": "literasi",
    "kemampuan_numerasi": "numerasi",
    "kualitas_proses_pembelajaran": "kualitas_pembelajaran",
    "year": "tahun",
}
FIRST_YEAR, LAST_YEAR = 2015, 2100


@register
class OutcomeImporter(Importer):
    kind = "outcomes"
    label = gettext_lazy("School outcomes (Rapor Pendidikan)")
    slug = "rapor-pendidikan"
    columns = OUTCOME_COLUMNS
    required = {"npsn", "tahun"}
    aliases = ALIASES
    scope_field = "npsn"

    def __init__(self, actor):
        super().__init__(actor)
        self.seen: set[tuple] = set()

    def process(self, chunk):
        cleaned = [(n, self._clean(n, raw)) for n, raw in chunk]
        npsns = {d["npsn"] for _n, d in cleaned if d}
        schools = School.objects.in_bulk(npsns, field_name="npsn")
        rows, places = [], set()
        for number, data in cleaned:
            if data is None:
                continue
            school = schools.get(data["npsn"])
            if school is None:
                self.out.error(number, self.column("npsn"), _("No school has this NPSN."))
                continue
            reason = self.refusal(
                province_id=school.province_id,
                regency_id=school.regency_id,
                ministry=school.ministry,
            )
            if reason:
                self.out.error(number, self.column("npsn"), reason)
                continue
            rows.append(SchoolOutcome(school=school, year=data["year"], **data["values"]))
            places.add((school.province_id, school.regency_id))
        if self.out.error_count or not rows:
            return
        existing = set(
            SchoolOutcome.objects.filter(
                school__in=[r.school for r in rows], year__in={r.year for r in rows}
            ).values_list("school_id", "year")
        )
        SchoolOutcome.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["school", "year"],
            update_fields=list(INDICES.values()),
        )
        audit.AuditEntry.objects.bulk_create(
            audit.entry(
                actor=self.actor,
                action="update" if (r.school_id, r.year) in existing else "create",
                obj=r.school,
                changes={"outcome": [None, {"year": r.year, **_plain(r)}]},
                source="import",
                province_id=r.school.province_id,
                regency_id=r.school.regency_id,
            )
            for r in rows
        )
        mark_places(places)
        updated = sum(1 for r in rows if (r.school_id, r.year) in existing)
        self.out.created += len(rows) - updated
        self.out.updated += updated

    def _clean(self, number, raw) -> dict | None:
        npsn = clean_text(raw.get("npsn"))
        problems = []
        if not (npsn.isdigit() and len(npsn) == 8):
            problems.append(("npsn", _("An NPSN has 8 digits.")))
        year_text = clean_text(raw.get("year"))
        year = int(year_text) if year_text.isdigit() else None
        if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
            problems.append(("year", _("The year must be between 2015 and 2100.")))
        values = {}
        for field in INDICES.values():
            text = clean_text(raw.get(field))
            if not text:
                values[field] = None
                continue
            try:
                value = parse_score(text)
            except ValueError:
                value = None
            if value is None or not 0 <= value <= 100:
                problems.append((field, _("An index is a number from 0 to 100.")))
            values[field] = value
        if not any(v is not None for v in values.values()):
            problems.append((self._first_index(), _("The row holds no index.")))
        key = (npsn, year)
        if not problems and key in self.seen:
            problems.append(("npsn", _("This school and year appear more than once in the file.")))
        self.seen.add(key)
        for column, message in problems:
            self.out.error(number, self.column(column), message)
        return None if problems else {"npsn": npsn, "year": year, "values": values}

    def _first_index(self) -> str:
        return next((f for f in INDICES.values() if f in self.present), "literacy")


def _plain(outcome: SchoolOutcome) -> dict:
    return {
        f: (str(getattr(outcome, f)) if getattr(outcome, f) is not None else None)
        for f in INDICES.values()
    }
