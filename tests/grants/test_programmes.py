"""Opening a grant programme: amounts as data, templates validated, scope and audit."""

import pytest

from gugus.core.errors import DomainError, Forbidden
from gugus.core.models import AuditEntry
from gugus.core.roles import Role
from gugus.directory.models import Regency
from gugus.directory.services import FieldErrors
from gugus.grants.services import programme_create, programme_transition
from tests.factories import user_with_role

pytestmark = pytest.mark.usefixtures("indonesian", "clock")

WINDOW = {
    "apply_from": "2026-01-05",
    "apply_until": "2026-01-31",
    "period_start": "2026-02-01",
    "period_end": "2026-11-30",
}


@pytest.fixture
def province_office(db):
    """The Kanwil Kemenag of DI Yogyakarta: the seed's programme is Kemenag's."""
    return user_with_role(Role.ADMIN_PROVINSI, province_id="34", ministry="kemenag")


def test_province_office_opens_a_programme_with_juknis_templates(province_office):
    programme = programme_create(
        actor=province_office,
        data={
            "name": "Bantuan KKG dan MGMP DIY 2026",
            "province": "34",
            "budget_ceiling": "1.500.000.000",
            "quota": "60",
            **WINDOW,
        },
        kinds=[
            {"kind": "kkg", "amount": "15000000"},
            {"kind": "mgmp", "amount": "30000000"},
            {"kind": "kkm", "amount": "30000000"},
        ],
    )
    assert programme.status == "draft" and programme.year == 2026
    assert programme.ministry == "kemenag"  # the office's own
    kinds = {k.kind: (k.amount, k.in_count, k.on_count) for k in programme.kinds.all()}
    assert kinds == {
        "kkg": (15_000_000, 3, 2),
        "mgmp": (30_000_000, 3, 2),
        "kkm": (30_000_000, 5, 2),
    }
    entry = AuditEntry.objects.get(target_type="grants.grantprogramme")
    assert entry.changes["budget_ceiling"] == [None, "1500000000"]
    assert entry.province_id == "34"


def test_an_impossible_template_and_bad_dates_are_refused(province_office):
    with pytest.raises(FieldErrors) as info:
        programme_create(
            actor=province_office,
            data={
                "name": "X",
                "province": "34",
                "budget_ceiling": "0",
                "quota": "0",
                **WINDOW,
                "apply_until": "2026-03-01",
            },
            kinds=[
                {"kind": "kkg", "amount": "15000000", "in_count": 2, "on_count": 2},
                {"kind": "kkg", "amount": "1"},
            ],
        )
    messages = {d["field"]: d["message"] for d in info.value.details}
    assert set(messages) == {"apply_until", "budget_ceiling", "quota"}
    with pytest.raises(FieldErrors) as info:
        programme_create(
            actor=province_office,
            data={"name": "X", "province": "34", "budget_ceiling": "100", "quota": "1", **WINDOW},
            kinds=[
                {"kind": "kkg", "amount": "15000000", "in_count": 2, "on_count": 2},
                {"kind": "kkg", "amount": "1"},
            ],
        )
    texts = [d["message"] for d in info.value.details]
    assert any(t.startswith("KKG: Setiap On memerlukan") for t in texts)
    assert "KKG tercantum dua kali." in texts


def test_offices_open_programmes_only_for_their_region(db):
    district = user_with_role(Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.71"))
    with pytest.raises(Forbidden):
        programme_create(
            actor=district,
            data={"name": "X", "province": "34", "budget_ceiling": "100", "quota": "1", **WINDOW},
            kinds=[{"kind": "kkg", "amount": "15000000"}],
        )
    programme = programme_create(
        actor=district,
        data={
            "name": "Bantuan KKG Kota Yogyakarta",
            "regency": "34.71",
            "budget_ceiling": "300000000",
            "quota": "20",
            **WINDOW,
        },
        kinds=[{"kind": "kkg", "amount": "15000000"}],
    )
    assert programme.province_id == "34"
    with pytest.raises(Forbidden):
        programme_create(
            actor=district,
            data={"name": "Nasional", "budget_ceiling": "100", "quota": "1", **WINDOW},
            kinds=[{"kind": "kkg", "amount": "1"}],
        )


def test_a_programme_is_announced_only_while_groups_can_apply(province_office, clock):
    """Created or opened after its window closed, nobody could apply: refused."""
    clock.set("2026-02-01")
    with pytest.raises(FieldErrors) as info:
        programme_create(
            actor=province_office,
            data={
                "name": "Terlambat",
                "province": "34",
                "budget_ceiling": "1",
                "quota": "1",
                **WINDOW,
            },
            kinds=[{"kind": "kkg", "amount": "1"}],
        )
    assert info.value.details[0]["field"] == "apply_until"
    assert "31 Januari 2026" in info.value.details[0]["message"]


def test_a_draft_whose_window_passed_cannot_open_and_reporting_waits_for_the_activities(
    province_office, clock
):
    programme = programme_create(
        actor=province_office,
        data={"name": "Bantuan", "province": "34", "budget_ceiling": "1", "quota": "1", **WINDOW},
        kinds=[{"kind": "kkg", "amount": "1"}],
    )
    clock.set("2026-02-01")
    with pytest.raises(FieldErrors):
        programme_transition(actor=province_office, programme=programme, action="open")
    clock.set("2026-01-10")
    programme_transition(actor=province_office, programme=programme, action="open")
    programme_transition(actor=province_office, programme=programme, action="close_applications")
    programme.refresh_from_db()
    programme.status = "running"  # as after the decision
    programme.save()
    with pytest.raises(DomainError) as early:
        programme_transition(actor=province_office, programme=programme, action="start_reporting")
    assert early.value.code == "too_early" and "1 Februari 2026" in str(early.value.message)
    clock.set("2026-02-02")
    programme_transition(actor=province_office, programme=programme, action="start_reporting")
