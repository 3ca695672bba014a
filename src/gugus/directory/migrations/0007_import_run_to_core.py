# ImportRun moved to core (the import machinery every app registers with); the table
# keeps its name, so only Django's model state moves.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0006_import_kinds'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ImportRun')],
            database_operations=[],
        ),
    ]
