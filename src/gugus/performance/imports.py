"""The catalogues of performance management as importable data: the practice indicators
tied to Rapor Pendidikan and the competency-development point table, kept by the national
office. Same contract as every import: errors by row and column, nothing written unless
every row is valid, a repeated upload changes nothing."""

from __future__ import annotations

from abc import abstractmethod

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gugus.core import audit
from gugus.core.cleaning import clean_text
from gugus.core.imports import Importer, register
from gugus.performance.models import PointItem, PracticeIndicator
from gugus.performance.policies import is_national_office


class CatalogueImporter(Importer):
    """Rows keyed by `kode`, written as they are (created, updated or unchanged)."""

    model: type
    scope_field = "code"

    @abstractmethod
    def clean_values(self, number: int, raw: dict) -> dict | None:
        """The row's values for the model, or None after reporting its errors."""

    def process(self, chunk):
        if not is_national_office(self.actor):
            for number, _raw in chunk:
                self.out.error(
                    number, self.column("code"), _("Only the national office keeps this catalogue.")
                )
            return
        for number, raw in chunk:
            code = clean_text(raw.get("code")).lower()
            values = self.clean_values(number, raw)
            if not code:
                self.out.error(number, self.column("code"), _("The code is required."))
            if not code or values is None:
                continue
            current = self.model.objects.filter(code=code).first()
            if current and all(getattr(current, k) == v for k, v in values.items()):
                self.out.unchanged += 1
                continue
            obj, created = self.model.objects.update_or_create(code=code, defaults=values)
            audit.record(
                actor=self.actor,
                action="import",
                obj=obj,
                source="import",
                changes={k: [getattr(current, k, None), v] for k, v in values.items()},
            )
            if created:
                self.out.created += 1
            else:
                self.out.updated += 1


@register
class PracticeIndicatorImporter(CatalogueImporter):
    kind = "practices"
    label = gettext_lazy("Practice indicators (Rapor Pendidikan)")
    slug = "indikator-praktik"
    model = PracticeIndicator
    columns = {"kode": "code", "nama": "name", "rapor_pendidikan": "rapor_item"}
    required = {"kode", "nama", "rapor_pendidikan"}

    def clean_values(self, number, raw):
        values = {
            "name": clean_text(raw.get("name"))[:200],
            "rapor_item": clean_text(raw.get("rapor_item"))[:120],
        }
        missing = [k for k, v in values.items() if not v]
        for field in missing:
            self.out.error(number, self.column(field), _("This column is required."))
        return None if missing else values


@register
class PointItemImporter(CatalogueImporter):
    kind = "points"
    label = gettext_lazy("Competency-development points")
    slug = "poin-pengembangan"
    model = PointItem
    columns = {"kode": "code", "nama": "name", "poin": "points"}
    required = {"kode", "nama", "poin"}

    def clean_values(self, number, raw):
        name = clean_text(raw.get("name"))[:200]
        points = clean_text(raw.get("points"))
        ok = True
        if not name:
            self.out.error(number, self.column("name"), _("This column is required."))
            ok = False
        if not (points.isdigit() and 1 <= int(points) <= 100):
            self.out.error(number, self.column("points"), _("Give whole points from 1 to 100."))
            ok = False
        return {"name": name, "points": int(points)} if ok else None
