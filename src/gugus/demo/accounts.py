"""The demo accounts: one per role, inside the demo data's DI Yogyakarta."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from gugus.accounts.models import RoleAssignment, User
from gugus.accounts.services import scope_level_for
from gugus.communities.models import WorkingGroup
from gugus.core.roles import OFFICE_ROLES, Ministry, OfficeKind, Role
from gugus.directory.models import Jenjang, Person, Position, Province, Regency, School
from gugus.directory.offices import standard_office

DEMO_PASSWORD = "gugus-demo"
DEMO_PROVINCE = "34"  # DI Yogyakarta
DEMO_REGENCY = "34.71"  # Kota Yogyakarta

# username, role, office (kind) it acts for, what it shows
DEMO_ACCOUNTS = [
    ("admin.pusat", Role.ADMIN_PUSAT, OfficeKind.DITJEN_GTK, "Ditjen GTK, seluruh Indonesia"),
    ("admin.diy", Role.ADMIN_PROVINSI, OfficeKind.DINAS_PROVINSI, "Dinas Pendidikan DIY"),
    ("admin.bbgp", Role.ADMIN_PROVINSI, OfficeKind.BBGP, "BBGP DI Yogyakarta"),
    ("admin.kotayogya", Role.ADMIN_KABKOTA, OfficeKind.DINAS_KABKOTA, "Dinas Kota Yogyakarta"),
    (
        "admin.kemenag.kotayogya",
        Role.ADMIN_KABKOTA,
        OfficeKind.KANKEMENAG,
        "Kankemenag Kota Yogyakarta",
    ),
    ("kepala", Role.KEPALA_SEKOLAH, None, "kepala sebuah SD di Kota Yogyakarta"),
    ("pengawas", Role.PENGAWAS, OfficeKind.DINAS_KABKOTA, "pengawas sekolah Kota Yogyakarta"),
    (
        "pengawas.madrasah",
        Role.PENGAWAS,
        OfficeKind.KANKEMENAG,
        "pengawas madrasah/PAI Kota Yogyakarta",
    ),
    ("ketua.kkg", Role.KETUA_KELOMPOK, None, "ketua sebuah KKG di Kota Yogyakarta"),
    ("guru", Role.GURU, None, "guru kelas sebuah SD di Kota Yogyakarta"),
    ("narasumber", Role.NARASUMBER, None, "narasumber Provinsi DI Yogyakarta"),
]


def _assign(user, role, office=None, **scope):
    level = scope_level_for(
        province=scope.get("province"),
        regency=scope.get("regency"),
        school=scope.get("school"),
        group=scope.get("group"),
    )
    RoleAssignment.objects.create(user=user, role=role, scope_level=level, office=office, **scope)


@transaction.atomic
def create_demo_accounts() -> None:
    """Create the demo logins (idempotent). Needs the demo data of DI Yogyakarta. Never
    in production mode: their password is published in the README."""
    if settings.GUGUS_PRODUCTION:
        raise ImproperlyConfigured(
            "Demo accounts share a published password and are not created in production "
            "mode (GUGUS_DEBUG is not 1)."
        )
    if User.objects.filter(username="admin.pusat").exists():
        return
    province = Province.objects.get(code=DEMO_PROVINCE)
    regency = Regency.objects.get(code=DEMO_REGENCY)
    school = (
        School.objects.filter(regency=regency, jenjang=Jenjang.SD, status="negeri")
        .order_by("npsn")
        .first()
    )
    head = Person.objects.filter(school=school, position=Position.KEPALA).first()
    teacher = Person.objects.filter(school=school, position=Position.GURU).first()
    supervisors = Person.objects.filter(regency=regency, position=Position.PENGAWAS)
    supervisor = supervisors.filter(ministry=Ministry.KEMENDIKBUD).first()
    madrasah_supervisor = supervisors.filter(ministry=Ministry.KEMENAG).first()
    group = (
        WorkingGroup.objects.filter(
            regency=regency, kind="kkg", jenjang="sd", subject__isnull=True, status="active"
        )
        .order_by("name")
        .first()
    )
    chair = group.officers.get(position="ketua").person
    speaker = Person.objects.filter(province=province, is_narasumber=True).first()

    people = {
        "kepala": head,
        "guru": teacher,
        "pengawas": supervisor,
        "pengawas.madrasah": madrasah_supervisor,
        "ketua.kkg": chair,
        "narasumber": speaker,
    }
    offices = {
        kind: standard_office(kind, province=province, regency=regency)
        for _u, _r, kind, _l in DEMO_ACCOUNTS
        if kind
    }
    for username, role, kind, _label in DEMO_ACCOUNTS:
        person = people.get(username)
        first, _sep, last = (person.name.split(",")[0] if person else username).partition(" ")
        user = User(
            username=username,
            person=person,
            first_name=first,
            last_name=last,
            is_staff=role in OFFICE_ROLES,
            email=f"{username}@gugus.test",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        scope = {
            Role.ADMIN_PUSAT: {},
            Role.ADMIN_PROVINSI: {"province": province},
            Role.ADMIN_KABKOTA: {"regency": regency},
            Role.KEPALA_SEKOLAH: {"school": school},
            Role.PENGAWAS: {"regency": regency},
            Role.KETUA_KELOMPOK: {"group": group},
            Role.GURU: {"school": school},
            Role.NARASUMBER: {"province": province},
        }[role]
        _assign(user, role, offices.get(kind), **scope)


def person_account(person) -> User:
    """Someone without a login acts in a replay through a passwordless, inactive account
    of their own, so their writes carry their person like any other."""
    user, _created = User.objects.get_or_create(
        username=f"ptk-{person.pk}", defaults={"person": person, "is_active": False}
    )
    return user
