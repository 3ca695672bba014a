"""Precomputed maps: exact means and shares, medians, bins, per place, subject, level,
school and group."""

from decimal import Decimal

import pytest

from gugus.competency import rollups
from gugus.competency.models import Result, Rollup, UkgEvent
from tests.factories import GroupFactory, PersonFactory, SchoolFactory, member


@pytest.fixture
def event(db):
    return UkgEvent.objects.create(code="ukg-2015", name="UKG 2015", year=2015)


def result(event, person, total, subject="guru-kelas"):
    return Result.objects.create(
        event=event,
        person=person,
        subject_id=subject,
        total=total,
        pedagogik=total - 5,
        profesional=total + 5,
        province_id=person.province_id,
        regency_id=person.regency_id or "",
        school_id=person.school_id,
        jenjang=person.school.jenjang if person.school_id else "",
    )


def test_maps_from_the_nation_down_to_a_group(event, yogya_school, sleman_school):
    yogya = [PersonFactory(school=yogya_school) for _i in range(4)]
    sleman = [PersonFactory(school=sleman_school) for _i in range(2)]
    for person, score in zip(yogya + sleman, (40, 50, 60, 80, 70, 90), strict=True):
        result(event, person, Decimal(score))
    group = GroupFactory()
    for person in yogya[:3]:
        member(group, person)
    assert rollups.refresh(event) > 0

    def cell(level, key, component="total", subject="", jenjang=""):
        return Rollup.objects.get(
            event=event,
            level=level,
            key=key,
            component=component,
            subject=subject,
            jenjang=jenjang,
        )

    nation = cell("nasional", "")
    assert (nation.n, nation.mean, nation.below_pass, nation.below_target) == (
        6,
        Decimal("65.00"),
        2,
        3,
    )
    assert nation.bins == [0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
    assert Decimal("60") <= nation.median <= Decimal("70")
    assert cell("provinsi", "34").n == 6
    city = cell("kabkota", "34.71")
    assert (city.n, city.mean) == (4, Decimal("57.50"))
    assert abs(city.median - Decimal("55")) <= Decimal("0.5")  # regional: one-point bins
    assert cell("kabkota", "34.04").mean == Decimal("80.00")
    school = cell("sekolah", str(yogya_school.pk))
    assert (school.median, school.below_pass) == (Decimal("55.00"), 2)
    team = cell("kelompok", str(group.pk))
    assert (team.n, team.mean, team.median) == (3, Decimal("50.00"), Decimal("50.00"))
    assert cell("nasional", "", component="pedagogik").mean == Decimal("60.00")
    assert cell("nasional", "", subject="guru-kelas").n == 6
    assert cell("nasional", "", jenjang="sd").n == 6
    assert cell("nasional", "").gap == Decimal("5.00")


def test_refresh_replaces_the_events_rollups(event):
    person = PersonFactory(school=SchoolFactory())
    result(event, person, Decimal("62.5"))
    rollups.refresh(event)
    Result.objects.update(total=Decimal("72.5"))
    rollups.refresh(event)
    nation = Rollup.objects.get(
        event=event, level="nasional", component="total", subject="", jenjang=""
    )
    assert (nation.mean, nation.below_target) == (Decimal("72.50"), 0)
