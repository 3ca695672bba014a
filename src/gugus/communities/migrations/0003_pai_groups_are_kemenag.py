from django.db import migrations


def pai_groups_are_kemenag(apps, schema_editor):
    """Groups of PAI teachers are governed by Kemenag, even at SD, SMP and SMA."""
    group = apps.get_model("communities", "WorkingGroup")
    group.objects.filter(subject_id="pendidikan-agama-islam").update(ministry="kemenag")


class Migration(migrations.Migration):
    dependencies = [("communities", "0002_groups_registry")]

    operations = [migrations.RunPython(pai_groups_are_kemenag, migrations.RunPython.noop)]
