from django.db import migrations


def create(apps, schema_editor):
    """On PostgreSQL, a trigram index lets a name search match any word of the name
    without scanning a province's people; SQLite keeps the ordered b-tree scan."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS directory_person_name_trgm "
        "ON directory_person USING gin (name_search gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directory_person_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_import_run")]

    operations = [migrations.RunPython(create, drop)]
