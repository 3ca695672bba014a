"""The grant's money: spending within lines, reallocations, returns, totals, audit, races."""

import threading
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from gugus.core.errors import DomainError, FieldErrors, Forbidden
from gugus.core.models import AuditEntry
from gugus.core.roles import Role
from gugus.grants import money
from gugus.grants.models import BudgetLine, Spending
from tests.factories import user_with_role
from tests.grants.builders import funded, officer, photo, ready_group, receipt, verified
from tests.grants.conftest import open_programme


@pytest.fixture
def grant(programme, group, offices, clock):
    return funded(programme, group, offices, clock)


def line(grant, description):
    return grant.budget.get(description=description)


def spend(actor, budget_line, amount, **extra):
    return money.spending_record(
        actor=actor,
        line=budget_line,
        data={"date": "2026-02-05", "description": "Honor", "amount": amount, **extra},
        receipt=extra.pop("upload", None) or receipt(),
    )


def test_spending_keeps_running_totals_and_is_audited(grant, ketua):
    honor = line(grant, "Honor narasumber")
    spend(ketua, honor, "3.000.000", tax_kind="pph21", tax_amount="150000")
    spend(ketua, honor, "1000000")
    honor.refresh_from_db()
    assert (honor.spent, honor.remaining) == (4_000_000, 2_000_000)
    totals = money.totals(grant)
    assert (totals.disbursed, totals.spent, totals.tax, totals.balance) == (
        15_000_000,
        4_000_000,
        150_000,
        11_000_000,
    )
    entries = AuditEntry.objects.filter(action="spend").order_by("id")
    assert [e.changes["line_spent"] for e in entries] == [["0", "3000000"], ["3000000", "4000000"]]


def test_no_spending_above_the_line_without_a_reallocation(grant, ketua):
    honor, meals = line(grant, "Honor narasumber"), line(grant, "Konsumsi In 1")
    spend(ketua, honor, "5.500.000")
    with pytest.raises(DomainError) as info:
        spend(ketua, honor, "1.000.000")
    assert info.value.code == "overspend"
    assert info.value.message == (
        "Sisa Honor narasumber Rp500.000; Rp1.000.000 melebihinya. Catat dulu pergeseran "
        "anggaran dari baris lain."
    )
    with pytest.raises(FieldErrors, match="alasan pergeseran"):
        money.reallocation_record(
            actor=ketua, proposal=grant, from_line=meals, to_line=honor, amount="500000", reason=""
        )
    with pytest.raises(DomainError, match=r"hanya Rp3\.000\.000"):
        money.reallocation_record(
            actor=ketua,
            proposal=grant,
            from_line=meals,
            to_line=honor,
            amount="3500000",
            reason="Narasumber tambahan",
        )
    money.reallocation_record(
        actor=ketua,
        proposal=grant,
        from_line=meals,
        to_line=honor,
        amount="500.000",
        reason="Narasumber tambahan dari BBGP",
    )
    spend(ketua, honor, "1.000.000")
    honor.refresh_from_db()
    meals.refresh_from_db()
    assert (honor.amount, honor.spent, honor.planned_amount) == (6_500_000, 6_500_000, 6_000_000)
    assert meals.amount == 2_500_000
    assert money.totals(grant).planned == 15_000_000
    assert AuditEntry.objects.filter(action="reallocate").get().changes["reason"] == [
        None,
        "Narasumber tambahan dari BBGP",
    ]


def test_spending_input_is_checked_field_by_field(grant, ketua):
    honor = line(grant, "Honor narasumber")
    with pytest.raises(FieldErrors) as info:
        money.spending_record(
            actor=ketua,
            line=honor,
            data={"date": "2026-01-01", "description": "", "amount": "0", "tax_amount": "5"},
            receipt=receipt(),
        )
    assert {d["field"] for d in info.value.details} == {
        "date",
        "description",
        "amount",
        "tax_kind",
    }
    with pytest.raises(FieldErrors, match="jenis pajak"):
        spend(ketua, honor, "100000", tax_amount="10000")
    with pytest.raises(FieldErrors, match="receipt: Berkas ini bukan foto atau PDF"):
        spend(ketua, honor, "100000", upload=SimpleUploadedFile("nota.pdf", b"MZ\x90\x00"))
    with pytest.raises(FieldErrors, match="setelah terjadi"):
        spend(ketua, honor, "100000", date="2026-03-01")
    assert not Spending.objects.exists()
    spend(ketua, honor, "100000", upload=photo())
    assert Spending.objects.count() == 1


def test_the_bendahara_records_money_and_others_cannot(grant, group, offices):
    bendahara = user_with_role(Role.GURU, person=officer(group, "bendahara"), school_id=None)
    spend(bendahara, line(grant, "Honor narasumber"), "100000")
    member = group.memberships.exclude(person__in=group.officers.values("person")).first().person
    outsider = user_with_role(Role.GURU, person=member, school_id=None)
    with pytest.raises(Forbidden):
        spend(outsider, line(grant, "Honor narasumber"), "100000")
    with pytest.raises(Forbidden):
        spend(offices["kabkota"], line(grant, "Honor narasumber"), "100000")


def test_returned_funds_cannot_exceed_what_the_group_holds(grant, ketua):
    spend(ketua, line(grant, "Honor narasumber"), "6.000.000")
    with pytest.raises(DomainError, match=r"Saldo kelompok Rp9\.000\.000"):
        money.funds_return_record(
            actor=ketua,
            proposal=grant,
            data={"amount": "9.500.000", "date": "2026-02-05", "reference": "NTPN1"},
            proof=receipt("setor.pdf"),
        )
    money.funds_return_record(
        actor=ketua,
        proposal=grant,
        data={"amount": "9.000.000", "date": "2026-02-05", "reference": "NTPN 0A1B2C"},
        proof=receipt("setor.pdf"),
    )
    totals = money.totals(grant)
    assert (totals.returned, totals.balance) == (9_000_000, 0)
    assert AuditEntry.objects.filter(action="return_funds").exists()


def test_no_spending_before_the_money_arrives(programme, group, offices, clock, ketua):
    proposal = verified(programme, group, offices)
    with pytest.raises(DomainError, match="tidak dapat dibelanjakan"):
        spend(ketua, proposal.budget.first(), "1000")


def race(*actions) -> list[str]:
    """Run the actions at once, each on its own thread and connection (as concurrent
    requests would); their outcomes, sorted: "ok" or the refusal's code."""
    barrier = threading.Barrier(len(actions))
    outcomes = []

    def attempt(action):
        try:
            barrier.wait()
            action()
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(error.code)
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(a,)) for a in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


def committed_grant(clock):
    """A paid grant committed for real (the race tests run transactional), and the
    bendahara who spends it."""
    offices = {
        "kabkota": user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71"),
        "provinsi": user_with_role(Role.ADMIN_PROVINSI, province_id="34"),
        "nasional": user_with_role(Role.ADMIN_PUSAT),
    }
    programme = open_programme(offices["nasional"])
    group = ready_group()
    grant = funded(programme, group, offices, clock)
    return grant, user_with_role(Role.GURU, person=officer(group, "bendahara"), school_id=None)


def test_two_entries_racing_for_the_last_rupiah_one_succeeds(regions, clock):
    """Transactional: each thread commits on its own connection, as two requests would."""
    grant, ketua = committed_grant(clock)
    honor = grant.budget.get(description="Honor narasumber")
    spend(ketua, honor, str(honor.amount - 1_000_000))

    def spend_the_last_million():
        spend(ketua, BudgetLine.objects.get(pk=honor.pk), "1.000.000")

    assert race(spend_the_last_million, spend_the_last_million) == ["ok", "overspend"]
    honor.refresh_from_db()
    assert honor.spent == honor.amount
    assert Spending.objects.filter(line=honor).count() == 2
    assert sum(s.amount for s in Spending.objects.filter(line=honor)) == Decimal(honor.amount)


@pytest.mark.parametrize(
    "raw", ["100000.0", "100000,5", 100000.5, "1.5", "12.34.567", "-5000", True]
)
def test_rupiah_amounts_are_whole_numbers(grant, ketua, raw):
    """ "100000.0" was once read as a million: a decimal part is refused with a message."""
    with pytest.raises(FieldErrors) as info:
        spend(ketua, line(grant, "Honor narasumber"), raw)
    assert info.value.details[0]["field"] == "amount"
    assert "bilangan bulat rupiah" in info.value.details[0]["message"]
    assert not Spending.objects.exists()


def test_rupiah_in_the_offices_formats_is_read_exactly(grant, ketua):
    honor = line(grant, "Honor narasumber")
    for raw in ("100.000", "100,000", "Rp 100.000", 100000):
        spend(ketua, honor, raw)
    honor.refresh_from_db()
    assert honor.spent == 400_000


def test_spending_cannot_pass_the_balance_left_after_a_return(grant, ketua):
    money.funds_return_record(
        actor=ketua,
        proposal=grant,
        data={"date": "2026-02-05", "amount": "10.000.000", "reference": "NTPN-1"},
        proof=receipt(),
    )
    with pytest.raises(DomainError) as info:
        spend(ketua, line(grant, "Honor narasumber"), "5.500.000")
    assert info.value.code == "overbalance"
    assert money.totals(grant).balance == 5_000_000


def test_spending_racing_a_return_never_leaves_more_out_than_paid_in(regions, clock):
    """Transactional, two connections: the bendahara spends 6 million while the ketua
    returns 10 million of the 15 paid in. One of them must be refused."""
    grant, ketua = committed_grant(clock)
    honor = grant.budget.get(description="Honor narasumber")

    def spend_six():
        spend(ketua, BudgetLine.objects.get(pk=honor.pk), "6.000.000")

    def return_ten():
        money.funds_return_record(
            actor=ketua,
            proposal=grant,
            data={"date": "2026-02-05", "amount": "10.000.000", "reference": "NTPN-9"},
            proof=receipt(),
        )

    assert race(spend_six, return_ten) in (["ok", "overbalance"], ["ok", "overreturn"])
    totals = money.totals(grant)
    assert totals.spent + totals.returned <= totals.disbursed
    assert totals.balance >= 0
