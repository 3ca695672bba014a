"""Reports as an office sends them upward: asked for on the page, written by the worker,
read back from the PDF and the workbook with the period's figures counted from the
records; queued on schedule for every region with an office; kept to the office's region."""

import io
import subprocess

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from gugus.communities.models import Activity
from gugus.core.roles import Role
from gugus.directory.models import Province, Regency
from gugus.insights import reports
from gugus.insights.models import Report
from tests.factories.accounts import user_with_role

pytestmark = pytest.mark.usefixtures("indonesian")


@pytest.fixture
def province_admin(world):
    return user_with_role(Role.ADMIN_PROVINSI, province=Province.objects.get(code="34"))


def _pdf_text(report) -> str:
    with report.pdf.open("rb") as f:
        pdf = f.read()
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def test_a_monthly_report_is_asked_for_written_and_read_back(
    client, province_admin, django_capture_on_commit_callbacks
):
    client.force_login(province_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/dasbor/P:34/laporan/", {"kind": "bulanan", "period": "2026-03"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.scope, report.kind, report.period, report.status) == (
        "P:34",
        "bulanan",
        "2026-03",
        "queued",
    )
    assert DBTaskResult.objects.filter(task_path__endswith="write_report").count() == 1
    reports.write(report)  # what the worker does

    page = client.get("/dasbor/P:34/laporan/").content.decode()
    assert f'href="/dasbor/laporan/{report.pk}.pdf"' in page
    pdf = client.get(f"/dasbor/laporan/{report.pk}.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]

    text = _pdf_text(report)
    assert "Laporan Bulanan PKB" in text and "Daerah Istimewa Yogyakarta" in text
    assert "Maret 2026" in text and "Per wilayah" in text
    for regency in Regency.objects.filter(province_id="34"):
        assert regency.name in text
    held = Activity.objects.filter(
        group__province_id="34", status="held", date__year=2026, date__month=3
    ).count()
    assert held
    xlsx = client.get(f"/dasbor/laporan/{report.pk}.xlsx")
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert book.sheetnames == ["Sampul", "Ringkasan", "Dalam periode ini", "Per wilayah"]
    period = {row[0]: row[1:] for row in book["Dalam periode ini"].iter_rows(values_only=True)}
    assert period["Kegiatan kelompok terlaksana"][2] == held
    regions = list(book["Per wilayah"].iter_rows(values_only=True))[1:]
    assert sum(r[1] for r in regions) == held


def test_a_bad_period_is_refused_on_the_form(client, province_admin):
    client.force_login(province_admin)
    html = client.post(
        "/dasbor/P:34/laporan/", {"kind": "semester", "period": "2026-10"}
    ).content.decode()
    assert "laporan semester memerlukan semester (2026-2)" in html
    assert not Report.objects.exists()


def test_an_office_asks_only_for_its_own_region(client, world):
    office = user_with_role(Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.71"))
    client.force_login(office)
    assert (
        client.post("/dasbor/P:34/laporan/", {"kind": "bulanan", "period": "2026-03"}).status_code
        == 404
    )
    other = Report.objects.create(scope="K:34.04", kind="bulanan", period="2026-03")
    assert client.get(f"/dasbor/laporan/{other.pk}/").status_code == 404
    assert not Report.objects.exclude(pk=other.pk).exists()


def test_scheduled_reports_are_queued_once_for_every_region_with_an_office(world, clock):
    clock.set("2026-11-01")
    user_with_role(Role.ADMIN_PROVINSI, province=Province.objects.get(code="34"))
    user_with_role(Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.71"))
    user_with_role(Role.PENGAWAS, regency=Regency.objects.get(code="34.71"))
    user_with_role(Role.ADMIN_PUSAT)
    out = io.StringIO()
    call_command("send_reports", stdout=out)
    assert "3 reports queued." in out.getvalue()
    assert set(Report.objects.values_list("scope", "kind", "period")) == {
        ("N", "bulanan", "2026-10"),
        ("P:34", "bulanan", "2026-10"),
        ("K:34.71", "bulanan", "2026-10"),
    }
    call_command("send_reports", stdout=out)
    assert Report.objects.count() == 3
    call_command("send_reports", "--semester", stdout=out)
    assert Report.objects.filter(kind="semester", period="2026-1").count() == 3
