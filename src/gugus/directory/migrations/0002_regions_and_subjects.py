from django.db import migrations


def load(apps, schema_editor):
    from gugus.directory.regions import load_regions, load_subjects

    load_regions(
        apps.get_model("directory", "Province"),
        apps.get_model("directory", "Regency"),
        apps.get_model("directory", "District"),
    )
    load_subjects(apps.get_model("directory", "Subject"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
