"""The catalogues shipped with Gugus (DOMAIN.md §6), loaded by a data migration and by
tests whose database was emptied: the competency-development point table, the practice
indicators tied to Rapor Pendidikan, and the 2023 observation rubric. The loaders take
the model classes, so a migration passes its historical ones."""

from __future__ import annotations

import csv
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def load_catalogues(point_item, practice_indicator, rubric_model, rubric_indicator) -> None:
    with (DATA / "point_items.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            point_item.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "points": int(row["points"]),
                    "evidence": row["evidence"],
                },
            )
    with (DATA / "practice_indicators.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            practice_indicator.objects.update_or_create(
                code=row["code"], defaults={"name": row["name"], "rapor_item": row["rapor_item"]}
            )
    spec = json.loads((DATA / "rubric_2023.json").read_text(encoding="utf-8"))
    rubric, _created = rubric_model.objects.get_or_create(
        version=spec["version"], defaults={"name": spec["name"]}
    )
    for position, indicator in enumerate(spec["indicators"], start=1):
        rubric_indicator.objects.update_or_create(
            rubric=rubric,
            position=position,
            defaults={
                "area": indicator["area"],
                "name": indicator["name"],
                "focus": indicator["focus"],
            },
        )
