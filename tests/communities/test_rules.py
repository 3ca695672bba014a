"""Membership rules by group type (DOMAIN.md §2), with their Indonesian explanations."""

import pytest

from gugus.communities.models import WorkingGroup
from gugus.communities.rules import (
    governing_ministry,
    group_shape_errors,
    membership_refusals,
    size_warnings,
)
from gugus.directory.models import District, Regency
from tests.factories import GroupFactory, PersonFactory, SchoolFactory, teacher

pytestmark = pytest.mark.usefixtures("indonesian")


def school(jenjang="sd", ministry="kemendikbud", code="34.71.01"):
    return SchoolFactory(
        jenjang=jenjang, ministry=ministry, district=District.objects.get(code=code)
    )


@pytest.mark.django_db
class TestMembershipRules:
    def test_kkg_takes_class_teachers_of_its_level(self):
        group = GroupFactory(kind="kkg", jenjang="sd")
        assert membership_refusals(group, teacher(school("sd"))) == []
        refusals = membership_refusals(group, teacher(school("smp"), subject="matematika"))
        assert any("SD" in r and "SMP" in r for r in refusals)
        assert any("guru kelas" in r for r in refusals)

    def test_kkg_on_the_kemenag_side_takes_mi_teachers(self):
        group = GroupFactory(kind="kkg", jenjang="mi", ministry="kemenag")
        assert membership_refusals(group, teacher(school("mi", "kemenag"))) == []
        assert membership_refusals(group, teacher(school("sd")))

    def test_mgmp_takes_teachers_of_its_subject_at_its_level(self):
        group = GroupFactory(kind="mgmp", jenjang="smp", subject_id="matematika")
        smp = school("smp")
        assert membership_refusals(group, teacher(smp, subject="matematika")) == []
        refusals = membership_refusals(group, teacher(smp, subject="ipa"))
        assert refusals == ["Kelompok ini untuk guru Matematika; orang ini tidak mengampunya."]

    def test_mgbk_takes_guidance_counsellors_only(self):
        group = GroupFactory(kind="mgbk", jenjang="sma")
        sma = school("sma")
        assert (
            membership_refusals(
                group, teacher(sma, subject="bimbingan-konseling", position="guru_bk")
            )
            == []
        )
        assert membership_refusals(group, teacher(sma, subject="matematika"))

    def test_kkm_takes_madrasah_heads_and_kkks_school_heads(self):
        kkm = GroupFactory(kind="kkm", jenjang="", ministry="kemenag")
        kkks = GroupFactory(kind="kkks", jenjang="", ministry="kemendikbud")
        madrasah_head = teacher(school("mts", "kemenag"), subject=None, position="kepala")
        school_head = teacher(school("smp"), subject=None, position="kepala")
        assert membership_refusals(kkm, madrasah_head) == []
        assert membership_refusals(kkks, school_head) == []
        assert membership_refusals(kkm, school_head)
        assert membership_refusals(kkks, madrasah_head)
        assert membership_refusals(kkks, teacher(school("smp"), subject="ipa"))

    def test_pokjawas_and_kkps_take_supervisors_of_their_ministry(self):
        city = Regency.objects.get(code="34.71")
        madrasah_sup = PersonFactory(
            school=None,
            regency=city,
            province=city.province,
            position="pengawas",
            ministry="kemenag",
        )
        school_sup = PersonFactory(
            school=None,
            regency=city,
            province=city.province,
            position="pengawas",
            ministry="kemendikbud",
        )
        pokjawas = GroupFactory(kind="pokjawas", jenjang="", ministry="kemenag")
        kkps = GroupFactory(kind="kkps", jenjang="", ministry="kemendikbud")
        assert membership_refusals(pokjawas, madrasah_sup) == []
        assert membership_refusals(kkps, school_sup) == []
        assert membership_refusals(pokjawas, school_sup)
        assert membership_refusals(kkps, madrasah_sup)

    def test_in_school_kombel_takes_only_that_schools_teachers(self):
        own = school("smp")
        group = GroupFactory(kind="kombel", jenjang="", kombel_mode="sekolah", school=own)
        assert membership_refusals(group, teacher(own, subject="ipa")) == []
        refusals = membership_refusals(group, teacher(school("smp"), subject="ipa"))
        assert refusals == [f"Komunitas belajar ini hanya untuk guru {own.name}."]

    def test_online_kombel_takes_teachers_from_anywhere(self):
        group = GroupFactory(kind="kombel", jenjang="", kombel_mode="daring")
        far = school("sd", code="33.75.01")
        assert membership_refusals(group, teacher(far)) == []

    def test_district_groups_take_people_of_their_district(self):
        group = GroupFactory(kind="kkg", jenjang="sd")
        refusals = membership_refusals(group, teacher(school("sd", code="34.04.01")))
        assert refusals == [
            "Kelompok ini untuk Kota Yogyakarta; orang ini bertugas di tempat lain."
        ]

    def test_dissolved_group_takes_nobody(self):
        group = GroupFactory(status="dissolved")
        assert membership_refusals(group, teacher(school("sd"))) == [
            "Kelompok ini telah dibubarkan."
        ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "ministry", "members", "warned"),
    [
        ("kkg", "kemendikbud", 14, True),
        ("kkg", "kemendikbud", 15, False),
        ("kkg", "kemendikbud", 30, False),
        ("kkg", "kemendikbud", 31, True),
        ("mgmp", "kemendikbud", 10, True),
        ("mgbk", "kemendikbud", 31, True),
        ("kkm", "kemenag", 9, True),
        ("kkm", "kemenag", 10, False),
        ("pokjawas", "kemenag", 9, True),
        ("pokjawas", "kemenag", 80, False),
        ("kombel", "kemendikbud", 3, False),
    ],
)
def test_size_rules_are_warnings_about_grant_eligibility(kind, ministry, members, warned):
    group = WorkingGroup(kind=kind, ministry=ministry)
    warnings = size_warnings(group, members)
    assert bool(warnings) == warned
    if warned:
        assert "kelayakan bantuan" in warnings[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"kind": "mgmp", "jenjang": "smp"}, {"subject"}),
        ({"kind": "mgmp", "jenjang": "sd", "subject_id": "matematika"}, {"jenjang"}),
        ({"kind": "kkg", "jenjang": ""}, {"jenjang"}),
        ({"kind": "kkg", "jenjang": "sd", "subject_id": "pjok"}, set()),
        ({"kind": "kkg", "jenjang": "sd", "subject_id": "pendidikan-agama-islam"}, set()),
        ({"kind": "kkg", "jenjang": "mi", "subject_id": "fikih"}, set()),
        ({"kind": "kkg", "jenjang": "sd", "subject_id": "fikih"}, {"subject"}),
        ({"kind": "kkg", "jenjang": "mi", "subject_id": "pendidikan-agama-islam"}, {"subject"}),
        ({"kind": "mgmp", "jenjang": "mts", "subject_id": "konsentrasi-keahlian"}, {"subject"}),
        ({"kind": "mgbk", "jenjang": "smp", "subject_id": "matematika"}, {"subject"}),
        ({"kind": "kkm", "jenjang": "mts"}, set()),
        ({"kind": "kkm", "jenjang": "sd"}, {"jenjang"}),
        ({"kind": "kkks", "jenjang": "smp"}, set()),
        ({"kind": "kkks", "jenjang": "mi"}, {"jenjang"}),
        ({"kind": "kombel"}, {"kombel_mode"}),
        ({"kind": "kombel", "kombel_mode": "sekolah"}, {"school"}),
        ({"kind": "kkg", "jenjang": "sd", "kombel_mode": "daring"}, {"kombel_mode"}),
        ({"kind": "kkg", "jenjang": "sd"}, set()),
    ],
)
def test_group_shape_follows_its_type(fields, errors):
    group = WorkingGroup(
        **{"ministry": "kemendikbud", "jenjang": "", **fields}, regency_id="34.71", province_id="34"
    )
    assert {f for f, _m in group_shape_errors(group)} == errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "jenjang", "subject", "ministry"),
    [
        ("kkg", "sd", None, "kemendikbud"),
        ("kkg", "mi", None, "kemenag"),
        ("kkg", "ra", None, "kemenag"),
        ("kkg", "sd", "pendidikan-agama-islam", "kemenag"),  # KKG PAI: PAI teachers are Kemenag's
        ("kkg", "sd", "pjok", "kemendikbud"),
        ("kkg", "mi", "fikih", "kemenag"),
        ("mgmp", "smp", "pendidikan-agama-islam", "kemenag"),
        ("mgmp", "sma", "pendidikan-agama-islam", "kemenag"),
        ("mgmp", "smp", "ipa", "kemendikbud"),
        ("mgmp", "mts", "ipa", "kemenag"),
        ("mgbk", "smk", None, "kemendikbud"),
        ("mgbk", "ma", None, "kemenag"),
        ("kkm", "", None, "kemenag"),
        ("kkm", "mi", None, "kemenag"),
        ("kkks", "sd", None, "kemendikbud"),
        ("pokjawas", "", None, "kemenag"),
        ("kkps", "", None, "kemendikbud"),
        ("kombel", "", None, "kemendikbud"),
    ],
)
def test_the_governing_ministry_follows_type_level_and_subject(kind, jenjang, subject, ministry):
    """DOMAIN.md §1: madrasah groups and PAI teachers' groups are Kemenag's."""
    group = WorkingGroup(kind=kind, jenjang=jenjang, subject_id=subject)
    assert governing_ministry(group) == ministry
