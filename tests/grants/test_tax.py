"""Tax withheld from spending is deposited to the state with its NTPN and proof; the report
waits until every rupiah withheld is deposited, and the LPJ lists both."""

import io

import pytest
from openpyxl import load_workbook

from gugus.core.errors import DomainError, FieldErrors, Forbidden
from gugus.core.models import AuditEntry
from gugus.grants import checks, money, reports, services
from tests.factories import UserFactory
from tests.grants.builders import funded, officer, receipt
from tests.grants.test_report import hold, pdf_pages_text

NTPN = "0A1B2C3D4E5F6G7H"


@pytest.fixture
def grant(programme, group, offices, clock):
    return funded(programme, group, offices, clock)


def spend_with_tax(grant, ketua):
    """Every line spent but Rp100.000, PPh 21 withheld from the honorarium, the rest
    returned: only the tax is left to account for."""
    for n, line in enumerate(grant.budget.order_by("id")):
        money.spending_record(
            actor=ketua,
            line=line,
            data={
                "date": "2026-11-30",
                "description": line.description,
                "amount": line.amount - 100_000,
                "tax_kind": "pph21" if n == 0 else "",
                "tax_amount": 250_000 if n == 0 else 0,
            },
            receipt=receipt(),
        )
    money.funds_return_record(
        actor=ketua,
        proposal=grant,
        data={"amount": money.totals(grant).balance, "date": "2026-11-30", "reference": "X"},
        proof=receipt("setor.pdf"),
    )


def deposit(grant, actor, **data):
    return money.tax_deposit_record(
        actor=actor,
        proposal=grant,
        data={"tax_kind": "pph21", "amount": "250.000", "date": "2026-11-30", **data},
        proof=receipt("setor-pajak.pdf"),
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reference": "12345"}, "reference"),  # neither an NTPN nor a billing code
        ({"reference": NTPN, "tax_kind": ""}, "tax_kind"),
        ({"reference": NTPN, "tax_kind": "pph99"}, "tax_kind"),
        ({"reference": NTPN, "amount": "-5"}, "amount"),
        ({"reference": NTPN, "date": "2027-01-05"}, "date"),  # not happened yet
    ],
)
def test_a_deposit_is_checked_field_by_field(grant, ketua, clock, data, field):
    hold(grant, ketua, clock)
    spend_with_tax(grant, ketua)
    with pytest.raises(FieldErrors) as info:
        deposit(grant, ketua, **data)
    assert field in [d["field"] for d in info.value.details]


def test_the_report_waits_for_the_tax_then_the_lpj_lists_both(grant, ketua, clock, tmp_path):
    hold(grant, ketua, clock)
    spend_with_tax(grant, ketua)
    gaps = dict(checks.report_gaps(grant))
    assert "tax" in gaps and "Rp250.000" in gaps["tax"]  # withheld, none deposited
    with pytest.raises(DomainError):
        services.report_submit(actor=ketua, proposal=grant, outcomes="Skor literasi naik")

    with pytest.raises(DomainError) as info:  # more than was withheld
        deposit(grant, ketua, reference=NTPN, amount="300.000")
    assert info.value.code == "overdeposit"
    deposit(grant, ketua, reference="0a1b-2c3d 4e5f6g7h", amount="100.000")  # tidied
    deposit(grant, officer_user(grant), reference="123456789012345", amount="150.000")
    [pph21] = money.tax_lines(grant)
    assert (pph21.withheld, pph21.deposited, pph21.owed) == (250_000, 250_000, 0)
    assert "tax" not in dict(checks.report_gaps(grant))
    assert AuditEntry.objects.filter(action="deposit_tax").count() == 2

    services.report_submit(actor=ketua, proposal=grant, outcomes="Skor literasi naik")
    text = pdf_pages_text(reports.lpj_pdf(grant), tmp_path)
    assert "Pajak dipotong dan disetor" in text
    assert NTPN in text and "123456789012345" in text
    book = load_workbook(io.BytesIO(reports.lpj_xlsx(grant)))
    rows = list(book["Pajak"].iter_rows(values_only=True))
    assert rows[1] == ("PPh 21", 250_000, 250_000, 0)
    assert {r[2] for r in rows[4:]} == {NTPN, "123456789012345"}


def officer_user(grant):
    """The bendahara records money too."""
    return UserFactory(person=officer(grant.group, "bendahara"))


def test_only_the_groups_money_keepers_deposit(grant, ketua, clock, offices):
    hold(grant, ketua, clock)
    spend_with_tax(grant, ketua)
    with pytest.raises(Forbidden):
        deposit(grant, offices["kabkota"], reference=NTPN)
    assert not grant.tax_deposits.exists()


def test_deposits_over_the_api_and_the_proof_goes_out_as_a_download(grant, ketua, clock, api):
    hold(grant, ketua, clock)
    spend_with_tax(grant, ketua)
    as_ketua = api(ketua)
    response = as_ketua.upload(
        f"/api/v1/proposals/{grant.pk}/tax-deposits",
        {
            "tax_kind": "pph21",
            "amount": "250000",
            "date": "2026-11-30",
            "reference": NTPN,
            "proof": receipt("setor-pajak.pdf"),
        },
    )
    assert response.status_code == 201, response.json()
    overview = as_ketua.get(f"/api/v1/proposals/{grant.pk}/taxes").json()
    assert overview["taxes"] == [
        {"tax_kind": "pph21", "label": "PPh 21", "withheld": 250000, "deposited": 250000, "owed": 0}
    ]
    deposit_id = response.json()["id"]
    proof = as_ketua.get(f"/api/v1/tax-deposits/{deposit_id}/proof")
    assert proof.status_code == 200 and proof["Content-Security-Policy"] == "sandbox"
    assert proof["Content-Disposition"].endswith(f'filename="bukti-setor-pajak-{deposit_id}.pdf"')
