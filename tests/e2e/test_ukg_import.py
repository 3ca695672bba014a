"""In the browser: an office uploads an XLSX of UKG results with a few bad rows, follows
the job's progress, reads the error report, fixes the file, uploads it again and sees the
competency map change. The import runs in the real background worker."""

import threading

import pytest
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker
from openpyxl import Workbook

from gugus.competency.models import Result, UkgEvent
from gugus.core.roles import Role
from tests.e2e.conftest import login
from tests.factories import PersonFactory, SchoolFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def worker_for_one_job():
    """The database backend's worker, run in a thread for one job (the command would
    install signal handlers, which only the main thread may do)."""

    def work():
        try:
            Worker(
                queue_names=["default"],
                excluded_queue_names=[],
                interval=0.1,
                batch=False,
                backend_name="default",
                startup_delay=False,
                max_tasks=1,
                worker_id="browser-test",
            ).run()
        finally:
            connection.close()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def workbook(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["NUPTK", "Nilai Akhir", "Pedagogik", "Profesional", "Kelompok A"])
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_upload_fix_and_see_the_map_change(live_server, phone, tmp_path):
    office = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")
    office.username = "dinas.kota"
    office.set_password("gugus-demo")
    office.save()
    UkgEvent.objects.create(code="ukg-2024", name="UKG 2024", year=2024)
    school = SchoolFactory()
    people = [PersonFactory(school=school) for _i in range(6)]
    good = [[p.nuptk, "61,5", "58", "63", "50"] for p in people[:4]]
    bad = [
        *good,
        [people[4].nuptk, "104", "60", "70", ""],  # out of range
        ["1234", "60", "60", "60", ""],  # malformed NUPTK
    ]
    path = tmp_path / "hasil-ukg.xlsx"
    workbook(path, bad)

    login(phone, live_server.url, "dinas.kota")
    phone.goto(f"{live_server.url}/ukg/impor/")
    phone.select_option("#id_event", label="UKG 2024")  # events are made nationally
    phone.set_input_files("#id_file", str(path))
    phone.click("#ukg-upload button[type=submit]")
    assert phone.is_visible("#job-progress")
    worker = worker_for_one_job()
    phone.wait_for_selector("#job-counts", timeout=30_000)
    worker.join(10)
    assert phone.inner_text("#job-status") == "Ditolak: tidak ada data yang ditulis"
    issues = phone.inner_text("#issues")
    assert "Nilai berada antara 0 dan 100." in issues and "NUPTK harus" in issues
    with phone.expect_download() as download:
        phone.click("#error-report")
    report = download.value.path().read_text(encoding="utf-8-sig")
    assert report.splitlines()[1].startswith("6,Nilai Akhir,104")
    assert not Result.objects.exists()
    phone.click("header >> text=Kompetensi")
    assert "Belum ada hasil UKG yang diimpor." in phone.inner_text("main")

    # Fixed: the wrong score corrected, the unknown row removed.
    fixed = [*good, [people[4].nuptk, "94", "90", "96", "80"]]
    workbook(path, fixed)
    phone.goto(f"{live_server.url}/ukg/impor/")
    phone.select_option("#id_event", label="UKG 2024")
    phone.set_input_files("#id_file", str(path))
    phone.click("#ukg-upload button[type=submit]")
    worker = worker_for_one_job()
    phone.wait_for_selector("#job-counts", timeout=30_000)
    worker.join(10)
    assert phone.inner_text("#job-status") == "Berhasil diimpor"
    assert Result.objects.count() == 5

    phone.click("header >> text=Kompetensi")
    assert phone.inner_text("#mean") == "68,00"  # (4 x 61,5 + 94) / 5
