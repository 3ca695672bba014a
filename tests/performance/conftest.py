"""A school of Kota Yogyakarta with a teacher, its head and their superiors, on both
ministries' sides, and a clock inside the even semester of 2026."""

import pytest

from gugus.core.roles import Role
from gugus.directory.models import District, Position
from gugus.performance import services
from tests.factories import PersonFactory, SchoolFactory, teacher, user_with_role

FULL_PLAN = {
    "practice": "umpan-balik",
    "duties": "Wali kelas 4",
    "behaviour": "Berorientasi pelayanan dan kolaboratif",
    "items": [
        {"item": "in-on-in", "detail": "KKG gugus 3"},
        {"item": "kemitraan"},
        {"item": "observasi-teman"},
    ],
}


def school_in(district):
    return SchoolFactory(district=District.objects.get(code=district), jenjang="sd")


@pytest.fixture
def people(db, clock):
    return build_people(clock)


def build_people(clock):
    clock.set("2026-02-10")
    school = school_in("34.71.01")
    other = school_in("34.71.02")
    guru = teacher(school)
    head = PersonFactory(school=school, ministry=school.ministry, position=Position.KEPALA)
    other_head = PersonFactory(school=other, ministry=other.ministry, position=Position.KEPALA)
    return {
        "school": school,
        "guru": guru,
        "head": head,
        "teacher_user": user_with_role(Role.GURU, person=guru, school=school),
        "head_user": user_with_role(Role.KEPALA_SEKOLAH, person=head, school=school),
        "other_head_user": user_with_role(Role.KEPALA_SEKOLAH, person=other_head, school=other),
        "pengawas": user_with_role(Role.PENGAWAS, regency_id="34.71"),
        "pengawas_kemenag": user_with_role(Role.PENGAWAS, regency_id="34.71", ministry="kemenag"),
        "office": user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71"),
        "pusat": user_with_role(Role.ADMIN_PUSAT),
        "clock": clock,
    }


def agreed_plan(people):
    plan = services.plan_open(actor=people["teacher_user"], person=people["guru"])
    services.plan_save(actor=people["teacher_user"], plan=plan, data=FULL_PLAN)
    services.plan_submit(actor=people["teacher_user"], plan=plan)
    return services.plan_review(actor=people["head_user"], plan=plan, agree=True)
