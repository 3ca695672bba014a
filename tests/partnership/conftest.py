"""The partnership tests' shared world: seed 003 in small."""

import pytest

from gugus.competency.models import Result, UkgEvent
from gugus.core.roles import Role
from gugus.directory.models import District
from tests.factories import SchoolFactory, teacher, user_with_role

TIERS = [
    {"name": "Guru Mitra 1", "min_score": "75", "mentees": "2"},
    {"name": "Guru Mitra 2", "max_score": "55"},
]


def school(district, jenjang="smp"):
    return SchoolFactory(district=District.objects.get(code=district), jenjang=jenjang)


def with_result(event, person, subject, total):
    Result.objects.create(
        event=event,
        person=person,
        subject_id=subject,
        total=total,
        pedagogik=total,
        profesional=total,
        province_id=person.province_id,
        regency_id=person.regency_id,
        school_id=person.school_id,
        jenjang=person.school.jenjang,
    )
    return person


@pytest.fixture
def world(db):
    return build_world()


def build_world():
    """Seed 003 in small: hosts in Kota Yogyakarta, partners in Gunungkidul and Pekalongan."""
    event = UkgEvent.objects.create(code="ukg-2015", name="UKG 2015", year=2015)
    yogya = [school("34.71.01"), school("34.71.02")]
    hosts = [
        with_result(event, teacher(yogya[n % 2], subject="ipa"), "ipa", 80 + n) for n in range(3)
    ]
    far = school("34.03.01")  # Gunungkidul, DIY
    other = school("33.75.01")  # Kota Pekalongan, Jawa Tengah
    partners = [with_result(event, teacher(far, subject="ipa"), "ipa", 40 + n) for n in range(4)]
    partners += [with_result(event, teacher(other, subject="ipa"), "ipa", 50 + n) for n in range(3)]
    math = with_result(event, teacher(far, subject="matematika"), "matematika", 30)
    middling = with_result(event, teacher(far, subject="ipa"), "ipa", 65)  # neither tier
    office = user_with_role(Role.ADMIN_PROVINSI, province_id="34")
    return {
        "event": event,
        "hosts": hosts,
        "partners": partners,
        "math": math,
        "middling": middling,
        "office": office,
    }
