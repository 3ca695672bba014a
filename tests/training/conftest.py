"""The training tests' shared world: seed 004 in small, in DIY (5 kab/kota)."""

import pytest

from gugus.core.roles import Ministry, OfficeKind, Role
from gugus.directory.models import District, Province
from gugus.directory.offices import standard_office
from gugus.training import services
from tests.factories import PersonFactory, SchoolFactory, user_with_role

LEVELS = {"paud_slb": "paud_tk", "sd": "sd", "sma": "sma"}

EVENT = {
    "kind": "pelatihan",
    "title": "Pelatihan Pengelolaan Kinerja Kepala Sekolah Tahap II",
    "topic": "Pengelolaan kinerja",
    "phase": "2",
    "starts_on": "2026-03-19",
    "ends_on": "2026-03-22",
    "nominations_close": "2026-03-05",
    "capacity": "45",
    "jp": "32",
    "positions": ["kepala"],
    "level_groups": ["paud_slb", "sd", "sma"],
    "min_attendance": "75",
    "pass_score": "70",
    "certificate_prefix": "BBGP-DIY",
    "province": "34",
}


def head(district: str, jenjang: str, ministry: str = Ministry.KEMENDIKBUD):
    school = SchoolFactory(
        district=District.objects.get(code=district), jenjang=jenjang, ministry=ministry
    )
    return PersonFactory(school=school, ministry=ministry, position="kepala")


@pytest.fixture
def bbgp(db):
    office = standard_office(OfficeKind.BBGP, province=Province.objects.get(pk="34"))
    return user_with_role(Role.ADMIN_PROVINSI, province_id="34", office=office)


@pytest.fixture
def kota(db):
    """Dinas Pendidikan of Kota Yogyakarta: nominates for 34.71."""
    return user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")


@pytest.fixture
def event(bbgp, clock):
    clock.set("2026-02-20")
    event = services.event_create(
        actor=bbgp,
        data=EVENT,
        venues=[
            {"name": "Hotel Santika", "capacity": "20"},
            {"name": "Hotel Suites", "capacity": "15"},
            {"name": "Aula BBGP", "capacity": "10"},
        ],
    )
    services.quotas_set(actor=bbgp, event=event, seats={"paud_slb": 3, "sd": 3, "sma": 3})
    return services.event_step(actor=bbgp, event=event, step="open")


@pytest.fixture
def kota_heads(db):
    """Nine heads of Kota Yogyakarta, three per level group."""
    return {
        level: [head("34.71.01", jenjang) for _ in range(3)] for level, jenjang in LEVELS.items()
    }
