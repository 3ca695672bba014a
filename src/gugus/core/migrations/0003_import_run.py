# ImportRun moved here from directory; the table (directory_importrun) already exists.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_audit_action_length'),
        ('directory', '0007_import_run_to_core'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ImportRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=12, verbose_name='kind')),
                        ('filename', models.CharField(max_length=255, verbose_name='file')),
                        ('started_at', models.DateTimeField(auto_now_add=True, verbose_name='started')),
                        ('status', models.CharField(choices=[('done', 'Imported'), ('rejected', 'Rejected: nothing was written')], max_length=10, verbose_name='status')),
                        ('rows', models.PositiveIntegerField(default=0, verbose_name='rows')),
                        ('created', models.PositiveIntegerField(default=0, verbose_name='created')),
                        ('updated', models.PositiveIntegerField(default=0, verbose_name='updated')),
                        ('unchanged', models.PositiveIntegerField(default=0, verbose_name='unchanged')),
                        ('error_count', models.PositiveIntegerField(default=0, verbose_name='errors')),
                        ('errors', models.JSONField(blank=True, default=list, verbose_name='error report')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'import',
                        'verbose_name_plural': 'imports',
                        'ordering': ['-started_at', '-id'],
                        'db_table': 'directory_importrun',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
