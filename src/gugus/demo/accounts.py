"""The demo accounts: one per role, inside the demo data's DI Yogyakarta."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from gugus.accounts.models import RoleAssignment, User
from gugus.accounts.services import scope_level_for
from gugus.communities.models import WorkingGroup
from gugus.core.roles import Role
from gugus.directory.models import Jenjang, Person, Position, Province, Regency, School

DEMO_PASSWORD = "gugus-demo"
DEMO_PROVINCE = "34"  # DI Yogyakarta
DEMO_REGENCY = "34.71"  # Kota Yogyakarta

# username, role, what it shows
DEMO_ACCOUNTS = [
    ("admin.pusat", Role.ADMIN_PUSAT, "nasional"),
    ("admin.diy", Role.ADMIN_PROVINSI, "Provinsi DI Yogyakarta (BBGP)"),
    ("admin.kotayogya", Role.ADMIN_KABKOTA, "Dinas Pendidikan Kota Yogyakarta"),
    ("kepala", Role.KEPALA_SEKOLAH, "kepala sebuah SD di Kota Yogyakarta"),
    ("pengawas", Role.PENGAWAS, "pengawas Kota Yogyakarta"),
    ("ketua.kkg", Role.KETUA_KELOMPOK, "ketua sebuah KKG di Kota Yogyakarta"),
    ("guru", Role.GURU, "guru kelas sebuah SD di Kota Yogyakarta"),
    ("narasumber", Role.NARASUMBER, "narasumber Provinsi DI Yogyakarta"),
]


def _assign(user, role, **scope):
    level = scope_level_for(
        province=scope.get("province"),
        regency=scope.get("regency"),
        school=scope.get("school"),
        group=scope.get("group"),
    )
    RoleAssignment.objects.create(user=user, role=role, scope_level=level, **scope)


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
    supervisor = Person.objects.filter(regency=regency, position=Position.PENGAWAS).first()
    group = (
        WorkingGroup.objects.filter(regency=regency, kind="kkg", jenjang="sd", status="active")
        .order_by("name")
        .first()
    )
    chair = group.officers.get(position="ketua").person
    speaker = Person.objects.filter(province=province, is_narasumber=True).first()

    people = {
        "kepala": head,
        "guru": teacher,
        "pengawas": supervisor,
        "ketua.kkg": chair,
        "narasumber": speaker,
    }
    for username, role, _label in DEMO_ACCOUNTS:
        person = people.get(username)
        first, _sep, last = (person.name.split(",")[0] if person else username).partition(" ")
        user = User(
            username=username,
            person=person,
            first_name=first,
            last_name=last,
            is_staff=role in (Role.ADMIN_PUSAT, Role.ADMIN_PROVINSI, Role.ADMIN_KABKOTA),
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
        _assign(user, role, **scope)
