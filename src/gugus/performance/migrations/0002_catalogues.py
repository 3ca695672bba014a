"""The catalogues shipped with Gugus: the competency-development point table, the practice
indicators tied to Rapor Pendidikan, and the 2023 observation rubric."""

import csv
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    PointItem = apps.get_model("performance", "PointItem")
    PracticeIndicator = apps.get_model("performance", "PracticeIndicator")
    Rubric = apps.get_model("performance", "Rubric")
    RubricIndicator = apps.get_model("performance", "RubricIndicator")
    with (DATA / "point_items.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            PointItem.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "points": int(row["points"]),
                    "evidence": row["evidence"],
                },
            )
    with (DATA / "practice_indicators.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            PracticeIndicator.objects.update_or_create(
                code=row["code"], defaults={"name": row["name"], "rapor_item": row["rapor_item"]}
            )
    spec = json.loads((DATA / "rubric_2023.json").read_text(encoding="utf-8"))
    rubric, _created = Rubric.objects.get_or_create(
        version=spec["version"], defaults={"name": spec["name"]}
    )
    for position, indicator in enumerate(spec["indicators"], start=1):
        RubricIndicator.objects.update_or_create(
            rubric=rubric,
            position=position,
            defaults={
                "area": indicator["area"],
                "name": indicator["name"],
                "focus": indicator["focus"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("performance", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
