"""Eligibility is computed from the group's records, with every reason it fails."""

import pytest

from gugus.core.roles import Role
from gugus.grants.eligibility import eligible, refusals
from gugus.grants.services import programme_create
from tests.factories import GroupFactory, user_with_role
from tests.grants.builders import ready_group

pytestmark = pytest.mark.usefixtures("indonesian", "clock")

WINDOW = {
    "apply_from": "2026-01-05",
    "apply_until": "2026-01-31",
    "period_start": "2026-02-01",
    "period_end": "2026-11-30",
}


@pytest.fixture
def programme(db):
    office = user_with_role(Role.ADMIN_PROVINSI, province_id="34")
    return programme_create(
        actor=office,
        data={
            "name": "Bantuan DIY 2026",
            "province": "34",
            "budget_ceiling": "900000000",
            "quota": "30",
            **WINDOW,
        },
        kinds=[{"kind": "kkg", "amount": "15000000"}],
    )


def test_a_complete_active_group_is_eligible(programme):
    assert refusals(ready_group(), programme) == []
    assert eligible(ready_group(), programme)


def test_every_missing_requirement_is_named(programme):
    group = GroupFactory(status="verified", kind="kkg")
    reasons = refusals(group, programme)
    assert "Status pendaftaran kelompok belum aktif (saat ini diverifikasi dinas)." in reasons
    assert "SK pembentukan beserta PDF-nya belum ada." in reasons
    assert "AD/ART belum ada." in reasons
    assert "Diperlukan program kerja paling sedikit 3 tahun." in reasons
    assert any(r.startswith("Pengurus belum lengkap: Pembina, Ketua") for r in reasons)
    assert any("paling sedikit 15" in r for r in reasons)
    assert any(r.startswith("Aktif pada 0 dari 12 bulan") for r in reasons)


def test_too_few_active_months_or_members_blocks(programme):
    assert any(
        r.startswith("Aktif pada 5 dari 12 bulan")
        for r in refusals(ready_group(active_months=5), programme)
    )
    assert any("paling banyak 30" in r for r in refusals(ready_group(members=31), programme))


def test_type_and_region_must_match_the_programme(programme):
    group = ready_group()
    group.kind, group.subject_id = "mgmp", "matematika"
    group.jenjang = "smp"
    group.save()
    assert "Program ini tidak membiayai MGMP." in refusals(group, programme)
    group = ready_group()
    group.province_id, group.regency_id = "33", "33.75"
    group.save()
    assert "Kelompok berada di luar wilayah program." in refusals(group, programme)
