"""Who a bench signs in as: an office at each level, a supervisor, a school head, a group
chair and a teacher, all of one kab/kota and its province."""


def bench_users(regency, *, head, teacher, group, chair) -> dict:
    from gugus.accounts.models import RoleAssignment, User
    from gugus.core.roles import OfficeKind
    from gugus.directory.offices import standard_office

    def user(name, role, level, person=None, office=None, **scope):
        made = User.objects.create_user(f"bench.{name}", password="x", person=person)
        RoleAssignment.objects.create(
            user=made, role=role, scope_level=level, office=office, **scope
        )
        return made

    province = regency.province
    dinas = standard_office(OfficeKind.DINAS_KABKOTA, regency=regency)
    return {
        "national office": user(
            "pusat", "admin_pusat", "nasional", office=standard_office(OfficeKind.DITJEN_GTK)
        ),
        "province office": user(
            "prov",
            "admin_provinsi",
            "provinsi",
            office=standard_office(OfficeKind.DINAS_PROVINSI, province=province),
            province=province,
        ),
        "district office": user("kab", "admin_kabkota", "kabkota", office=dinas, regency=regency),
        "supervisor": user("pengawas", "pengawas", "kabkota", office=dinas, regency=regency),
        "school head": user("kepala", "kepala_sekolah", "sekolah", head, school=head.school),
        "group chair": user("ketua", "ketua_kelompok", "kelompok", chair, group=group),
        "teacher": user("guru", "guru", "sekolah", teacher, school=teacher.school),
    }
