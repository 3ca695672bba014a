"""Two ministries govern side by side (DOMAIN.md §1): for each group type, which office
registers it, reviews its proposal, verifies and approves its LPJ, and sees it at all.

Every office and supervisor below works in Kota Yogyakarta or its province; only the
ministry (and, for the BBGP, governing) tells them apart.
"""

import pytest

from gugus.accounts.services import api_token_create
from gugus.communities.models import WorkingGroup
from gugus.core.access import can, visible
from gugus.core.errors import FieldErrors, Forbidden
from gugus.core.roles import OfficeKind, Role
from gugus.directory.models import Province, Regency
from gugus.directory.offices import standard_office
from gugus.grants import services
from gugus.grants.eligibility import refusals
from gugus.grants.models import GrantProgramme, Proposal
from tests.factories import GroupFactory, user_with_role

pytestmark = pytest.mark.usefixtures("indonesian")

DINAS = {"dinas_kab", "dinas_prov", "ditjen_gtk"}
KEMENAG = {"kankemenag", "kanwil", "ditjen_pendis"}

# name: (kind, jenjang, subject, governing ministry)
GROUPS = {
    "KKG SD": ("kkg", "sd", None, "kemendikbud"),
    "KKG MI": ("kkg", "mi", None, "kemenag"),
    "KKG PAI SD": ("kkg", "sd", "pendidikan-agama-islam", "kemenag"),
    "KKG PJOK SD": ("kkg", "sd", "pjok", "kemendikbud"),
    "MGMP PAI SMP": ("mgmp", "smp", "pendidikan-agama-islam", "kemenag"),
    "MGMP IPA MTs": ("mgmp", "mts", "ipa", "kemenag"),
    "MGMP IPA SMP": ("mgmp", "smp", "ipa", "kemendikbud"),
    "KKKS SD": ("kkks", "sd", None, "kemendikbud"),
    "KKM MTs": ("kkm", "mts", None, "kemenag"),
    "Pokjawas": ("pokjawas", "", None, "kemenag"),
    "KKPS": ("kkps", "", None, "kemendikbud"),
}


@pytest.fixture
def offices(db):
    yogya = Regency.objects.get(pk="34.71")
    diy = Province.objects.get(pk="34")
    bbgp = standard_office(OfficeKind.BBGP, province=diy)
    return {
        "dinas_kab": user_with_role(Role.ADMIN_KABKOTA, regency=yogya),
        "kankemenag": user_with_role(Role.ADMIN_KABKOTA, regency=yogya, ministry="kemenag"),
        "dinas_prov": user_with_role(Role.ADMIN_PROVINSI, province=diy),
        "kanwil": user_with_role(Role.ADMIN_PROVINSI, province=diy, ministry="kemenag"),
        "bbgp": user_with_role(Role.ADMIN_PROVINSI, province=diy, office=bbgp),
        "ditjen_gtk": user_with_role(Role.ADMIN_PUSAT),
        "ditjen_pendis": user_with_role(Role.ADMIN_PUSAT, ministry="kemenag"),
        "pengawas_sekolah": user_with_role(Role.PENGAWAS, regency=yogya),
        "pengawas_madrasah": user_with_role(Role.PENGAWAS, regency=yogya, ministry="kemenag"),
    }


def _programme(ministry):
    return GrantProgramme.objects.create(
        name=f"Bantuan {ministry}",
        ministry=ministry,
        regency_id="34.71",
        year=2026,
        apply_from="2026-01-05",
        apply_until="2026-01-31",
        period_start="2026-02-01",
        period_end="2026-11-30",
        budget_ceiling=90_000_000,
        quota=5,
        status="running",
    )


def _group(name):
    kind, jenjang, subject, _ministry = GROUPS[name]
    return GroupFactory(kind=kind, jenjang=jenjang, subject_id=subject, name=name)


def _allowed(offices, action, obj):
    return {name for name, user in offices.items() if can(user, action, obj)}


@pytest.mark.parametrize("name", GROUPS)
def test_the_governing_ministrys_offices_and_only_they_act_on_a_group(offices, name):
    group = _group(name)
    ministry = GROUPS[name][3]
    assert group.ministry == ministry
    own = DINAS if ministry == "kemendikbud" else KEMENAG
    pengawas = "pengawas_sekolah" if ministry == "kemendikbud" else "pengawas_madrasah"
    kab, prov = (
        ("dinas_kab", "dinas_prov") if ministry == "kemendikbud" else ("kankemenag", "kanwil")
    )

    seen = {n for n, u in offices.items() if visible(u, WorkingGroup).filter(pk=group.pk).exists()}
    overseers = {"bbgp"} if ministry == "kemendikbud" else set()
    assert seen == own | overseers | {pengawas}
    assert _allowed(offices, "register", group) == own  # verify, suspend, dissolve

    proposal = Proposal.objects.create(
        programme=_programme(ministry), group=group, amount=15_000_000, status="submitted"
    )
    proposal.review_level = "kabkota"
    assert _allowed(offices, "review", proposal) == {kab}
    proposal.review_level = "provinsi"
    assert _allowed(offices, "review", proposal) == {prov}
    assert _allowed(offices, "verify_report", proposal) == {pengawas}
    assert _allowed(offices, "manage", proposal) == own  # select, disburse, approve the LPJ


def test_a_dinas_of_the_same_city_gets_404_on_a_kemenag_proposals_review(client, offices):
    group = _group("KKG MI")
    proposal = Proposal.objects.create(
        programme=_programme("kemenag"),
        group=group,
        amount=15_000_000,
        status="submitted",
        review_level="kabkota",
    )
    url = f"/api/v1/proposals/{proposal.pk}/reviews"
    body = {"decision": "approve", "score": 80}

    def review(who):
        _token, key = api_token_create(user=offices[who], name="skrip")
        return client.post(
            url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
        )

    refused = review("dinas_kab")
    missing = client.post(
        "/api/v1/proposals/999999/reviews",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=offices['dinas_kab'], name='x')[1]}",
    )
    assert refused.status_code == 404 and refused.json() == missing.json()
    assert Proposal.objects.get(pk=proposal.pk).review_level == "kabkota"
    # the Kantor Kemenag reaches it (its answer may be about the proposal, never a 404)
    assert review("kankemenag").status_code != 404


def test_a_programme_funds_only_its_ministrys_groups(offices, clock):
    kkg_mi = _group("KKG MI")
    dinas = services.programme_create(
        actor=offices["dinas_kab"],
        data={
            "name": "Bantuan KKG Kota Yogyakarta",
            "regency": "34.71",
            "apply_from": "2026-01-12",
            "apply_until": "2026-01-31",
            "period_start": "2026-02-01",
            "period_end": "2026-11-30",
            "budget_ceiling": "30000000",
            "quota": "2",
        },
        kinds=[{"kind": "kkg", "amount": "15000000"}],
    )
    assert dinas.ministry == "kemendikbud"  # the office's own
    assert any("Kemenag" in r for r in refusals(kkg_mi, dinas))
    assert not any("Kemenag" in r for r in refusals(_group("KKG SD"), dinas))


def test_a_programme_cannot_fund_a_type_the_other_ministry_governs(offices, clock):
    with pytest.raises(FieldErrors) as info:
        services.programme_create(
            actor=offices["dinas_prov"],
            data={
                "name": "Bantuan KKM",
                "province": "34",
                "apply_from": "2026-01-12",
                "apply_until": "2026-01-31",
                "period_start": "2026-02-01",
                "period_end": "2026-11-30",
                "budget_ceiling": "30000000",
                "quota": "1",
            },
            kinds=[{"kind": "kkm", "amount": "30000000"}],
        )
    assert [d["field"] for d in info.value.details] == ["kinds"]
    assert "Kemenag" in info.value.details[0]["message"]


def test_an_office_cannot_open_a_programme_for_the_other_ministry(offices, clock):
    with pytest.raises(Forbidden):
        services.programme_create(
            actor=offices["dinas_kab"],
            data={
                "name": "Bantuan Madrasah",
                "ministry": "kemenag",
                "regency": "34.71",
                "apply_from": "2026-01-12",
                "apply_until": "2026-01-31",
                "period_start": "2026-02-01",
                "period_end": "2026-11-30",
                "budget_ceiling": "30000000",
                "quota": "2",
            },
            kinds=[{"kind": "kkg", "amount": "15000000"}],
        )
