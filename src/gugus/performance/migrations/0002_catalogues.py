"""The catalogues shipped with Gugus (see `performance.catalogues`)."""

from django.db import migrations

from gugus.performance.catalogues import load_catalogues


def load(apps, schema_editor):
    load_catalogues(
        apps.get_model("performance", "PointItem"),
        apps.get_model("performance", "PracticeIndicator"),
        apps.get_model("performance", "Rubric"),
        apps.get_model("performance", "RubricIndicator"),
    )


class Migration(migrations.Migration):
    dependencies = [("performance", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
