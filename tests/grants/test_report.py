"""Realising the plan and the accountability report (LPJ) up to the grant's closing."""

import io
import subprocess

import pytest
from openpyxl import load_workbook

from gugus.communities import services as community
from gugus.communities.models import Activity
from gugus.core.errors import DomainError, FieldErrors, Forbidden, NotFound
from gugus.core.roles import Role
from gugus.grants import money, reports, services
from tests.factories import user_with_role
from tests.grants.builders import funded, photo, receipt


@pytest.fixture
def grant(programme, group, offices, clock):
    return funded(programme, group, offices, clock)


@pytest.fixture
def pengawas(db):
    return user_with_role(Role.PENGAWAS, regency_id="34.71")


def hold(grant, ketua, clock, *, skip_evidence=()):
    """Put every planned activity on the calendar and hold it with its records."""
    members = list(grant.group.memberships.values_list("person_id", flat=True))
    for item in grant.plan.order_by("seq"):
        services.plan_item_realise(actor=ketua, item=item, place="SD Negeri 1 Yogyakarta")
    clock.set("2026-11-30")
    for item in grant.plan.select_related("activity").order_by("seq"):
        activity = item.activity
        if item.kind == "in":
            community.attendance_record(
                actor=ketua, activity=activity, statuses={p: "hadir" for p in members}
            )
            if item.seq not in skip_evidence:
                community.evidence_add(
                    actor=ketua, activity=activity, upload=receipt("materi.pdf"), kind="dokumen"
                )
        elif item.seq in skip_evidence:  # an On without its classroom evidence stays planned
            with pytest.raises(DomainError) as refused:
                community.activity_set_status(actor=ketua, activity=activity, status="held")
            assert refused.value.code == "no_classroom_evidence"
        else:
            community.evidence_add(actor=ketua, activity=activity, upload=photo(), kind="observasi")
            community.activity_set_status(actor=ketua, activity=activity, status="held")
        services.plan_item_outcome(
            actor=ketua, item=item, students_change="Siswa lebih aktif bertanya"
        )


def account_for_money(grant, ketua):
    """Rp100.000 left on each of the first four lines, returned to the treasury."""
    for n, line in enumerate(grant.budget.order_by("id")):
        money.spending_record(
            actor=ketua,
            line=line,
            data={
                "date": "2026-11-30",
                "description": line.description,
                "amount": line.amount - (100_000 if n < 4 else 0),
            },
            receipt=receipt(),
        )
    money.funds_return_record(
        actor=ketua,
        proposal=grant,
        data={"amount": "400.000", "date": "2026-11-30", "reference": "NTPN-77"},
        proof=receipt("setor.pdf"),
    )


def test_realised_activities_carry_the_plan_to_the_calendar(grant, ketua):
    first, on = grant.plan.order_by("seq")[:2]
    activity = services.plan_item_realise(actor=ketua, item=first, place="SD N 1")
    assert (activity.kind, activity.group_id) == ("in", grant.group_id)
    assert activity.learning_problem == "Siswa kelas 4 belum lancar membaca pemahaman"
    with pytest.raises(DomainError, match="sudah ada di kalender"):
        services.plan_item_realise(actor=ketua, item=first, place="SD N 1")
    reflection = grant.plan.get(seq=3)
    with pytest.raises(DomainError, match="Kegiatan 3 merefleksikan Kegiatan 2: laksanakan dulu"):
        services.plan_item_realise(actor=ketua, item=reflection, place="SD N 1")
    held_on = services.plan_item_realise(actor=ketua, item=on, place="Kelas masing-masing")
    assert (
        services.plan_item_realise(actor=ketua, item=reflection, place="SD N 1").reflects_on
        == held_on
    )


def test_the_report_names_every_gap(grant, ketua, clock):
    hold(grant, ketua, clock, skip_evidence=(2, 3))
    with pytest.raises(DomainError) as info:
        services.report_submit(actor=ketua, proposal=grant)
    gaps = [d["message"] for d in info.value.details]
    assert gaps == [
        "Kegiatan 2 belum dilaksanakan.",
        "Kegiatan 2 adalah kegiatan On dan memerlukan bukti dari kelas (catatan observasi, "
        "karya murid, atau foto).",
        "Kegiatan 3 adalah kegiatan In dan memerlukan materinya.",
        "Rp15.000.000 dari bantuan belum dibelanjakan maupun dikembalikan: catat belanjanya "
        "atau pengembalian dananya.",
        "Ringkas perubahan pada siswa.",
    ]
    grant.refresh_from_db()
    assert grant.status == "funded"


def test_an_activity_not_held_keeps_the_report_back(grant, ketua):
    with pytest.raises(DomainError) as info:
        services.report_submit(actor=ketua, proposal=grant, outcomes="Literasi naik")
    assert "Kegiatan 1 belum dilaksanakan." in [d["message"] for d in info.value.details]


def test_from_report_to_closing(grant, ketua, clock, pengawas, offices, programme):
    hold(grant, ketua, clock)
    account_for_money(grant, ketua)
    services.report_submit(actor=ketua, proposal=grant, outcomes="Skor literasi naik 12 poin")
    grant.refresh_from_db()
    assert grant.status == "reported"
    with pytest.raises(DomainError):
        money.spending_record(
            actor=ketua,
            line=grant.budget.first(),
            data={"date": "2026-11-30", "description": "x", "amount": "1"},
            receipt=receipt(),
        )
    other = user_with_role(Role.PENGAWAS, regency_id="34.04")
    with pytest.raises(NotFound):
        services.report_verify(actor=other, proposal=grant, decision="approve")
    with pytest.raises(Forbidden):
        services.report_verify(actor=offices["kabkota"], proposal=grant, decision="approve")
    with pytest.raises(FieldErrors, match="Sebutkan apa yang harus diperbaiki"):
        services.report_verify(actor=pengawas, proposal=grant, decision="return")
    services.report_verify(
        actor=pengawas, proposal=grant, decision="return", comment="Foto In 1 buram"
    )
    grant.refresh_from_db()
    assert grant.status == "funded"
    services.report_submit(actor=ketua, proposal=grant)
    services.report_verify(actor=pengawas, proposal=grant, decision="approve")
    with pytest.raises(Forbidden):
        services.report_approve(actor=offices["kabkota"], proposal=grant, decision="approve")
    services.programme_transition(
        actor=offices["nasional"], programme=programme, action="start_reporting"
    )
    with pytest.raises(DomainError, match="1 kelompok penerima belum menutup"):
        services.programme_transition(
            actor=offices["nasional"], programme=programme, action="close"
        )
    services.report_approve(actor=offices["nasional"], proposal=grant, decision="approve")
    grant.refresh_from_db()
    assert grant.status == "closed" and grant.closed_at
    assert list(grant.reviews.filter(stage="report").values_list("level", "decision")) == [
        ("pengawas", "return"),
        ("pengawas", "approve"),
        ("kantor", "approve"),
    ]
    programme = services.programme_transition(
        actor=offices["nasional"], programme=programme, action="close"
    )
    assert programme.status == "closed"
    assert Activity.objects.filter(group=grant.group, kind__in=["in", "on"]).count() == 5


def pdf_pages_text(pdf: bytes, tmp_path, last=4) -> str:
    """Render the first pages to images (as a reader would see them) and read the text
    layer of the same pages."""
    path = tmp_path / "lpj.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", str(last), path, tmp_path / "page"],
        check=True,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == last and all(p.stat().st_size > 1000 for p in pages)
    return subprocess.run(
        ["pdftotext", "-f", "1", "-l", "20", "-layout", path, "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_lpj_is_generated_from_the_records(grant, ketua, clock, tmp_path):
    hold(grant, ketua, clock)
    account_for_money(grant, ketua)
    services.report_submit(actor=ketua, proposal=grant, outcomes="Skor literasi naik 12 poin")
    text = pdf_pages_text(reports.lpj_pdf(grant), tmp_path)
    assert grant.group.name in text
    assert "LAPORAN PERTANGGUNGJAWABAN" in text
    assert "Rp15.000.000" in text  # disbursed
    assert "Rp14.600.000" in text  # spent
    assert "Rp400.000" in text and "NTPN-77" in text  # returned, with its proof
    assert "Siswa lebih aktif bertanya" in text
    book = load_workbook(io.BytesIO(reports.lpj_xlsx(grant)))
    assert book.sheetnames == [
        "Ringkasan",
        "Kegiatan",
        "Keuangan",
        "Belanja",
        "Dana dikembalikan",
        "Pajak",
    ]
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Terpakai (Rp)"] == 14_600_000 and summary["Saldo (Rp)"] == 0
    assert [r[2] for r in book["Keuangan"].iter_rows(min_row=2, values_only=True)] == [
        line.description for line in grant.budget.all()
    ]


def test_the_office_returns_a_verified_report_for_revision(grant, ketua, clock, pengawas, offices):
    hold(grant, ketua, clock)
    account_for_money(grant, ketua)
    services.report_submit(actor=ketua, proposal=grant, outcomes="Literasi naik")
    services.report_verify(actor=pengawas, proposal=grant, decision="approve")
    services.report_approve(
        actor=offices["nasional"],
        proposal=grant,
        decision="return",
        comment="Lampirkan daftar hadir In 3",
    )
    grant.refresh_from_db()
    assert grant.status == "funded"
    assert grant.reviews.filter(stage="report").last().comment == "Lampirkan daftar hadir In 3"
    services.report_submit(actor=ketua, proposal=grant)
    grant.refresh_from_db()
    assert grant.status == "reported"
