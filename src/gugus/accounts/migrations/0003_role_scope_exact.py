
from django.db import migrations, models


def keep_only_the_levels_target(apps, schema_editor):
    """A grant keeps the one target of its level; a stray province or kab/kota goes."""
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    RoleAssignment.objects.filter(scope_level="kabkota").update(province=None)
    RoleAssignment.objects.filter(scope_level__in=["sekolah", "kelompok"]).update(
        province=None, regency=None
    )
    RoleAssignment.objects.filter(scope_level="sekolah").update(group=None)
    RoleAssignment.objects.filter(scope_level="kelompok").update(school=None)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_initial'),
        ('communities', '0002_groups_registry'),
        ('directory', '0006_import_kinds'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='roleassignment',
            name='role_scope_target_matches_level',
        ),
        migrations.RunPython(keep_only_the_levels_target, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='roleassignment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('group__isnull', True), ('province__isnull', True), ('regency__isnull', True), ('school__isnull', True), ('scope_level', 'nasional')), models.Q(('group__isnull', True), ('province__isnull', False), ('regency__isnull', True), ('school__isnull', True), ('scope_level', 'provinsi')), models.Q(('group__isnull', True), ('province__isnull', True), ('regency__isnull', False), ('school__isnull', True), ('scope_level', 'kabkota')), models.Q(('group__isnull', True), ('province__isnull', True), ('regency__isnull', True), ('school__isnull', False), ('scope_level', 'sekolah')), models.Q(('group__isnull', False), ('province__isnull', True), ('regency__isnull', True), ('school__isnull', True), ('scope_level', 'kelompok')), _connector='OR'), name='role_scope_is_exactly_its_level'),
        ),
    ]
