"""Imports: row-level errors in Indonesian, all or nothing, and idempotent re-imports."""

import io

import pytest
from openpyxl import Workbook

from gugus.core.imports import import_file
from gugus.core.models import AuditEntry
from gugus.core.roles import Role
from gugus.directory.models import Person, School
from tests.factories import user_with_role


def csv_file(text: str):
    return io.BytesIO(text.encode("utf-8"))


SCHOOLS = (
    "NPSN;Nama Sekolah;Jenjang;Status;Kode Kecamatan;Alamat\n"
    "20401001;SD Negeri 1 Mantrijeron;SD;negeri;34.71.01;Jl. Mawar 1\n"
    "20401002;SMP Muhammadiyah 3;SMP;swasta;34.71.02;\n"
)
MADRASAH = (
    "NPSN;Nama Sekolah;Jenjang;Status;Kode Kecamatan;Alamat\n"
    "60401003;MI Al-Hidayah;MI;swasta;34.71.02;\n"
)

pytestmark = pytest.mark.usefixtures("indonesian")


def test_school_import_creates_then_reimport_changes_nothing(office):
    run = import_file(actor=office, kind="schools", file=csv_file(SCHOOLS), filename="s.csv")
    assert (run.status, run.created, run.error_count) == ("done", 2, 0)
    assert School.objects.get(npsn="20401002").ministry == "kemendikbud"
    audits = AuditEntry.objects.count()
    again = import_file(actor=office, kind="schools", file=csv_file(SCHOOLS), filename="s.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert AuditEntry.objects.count() == audits


def test_a_madrasah_is_imported_by_the_kantor_kemenag_not_the_dinas(office):
    """Same city, other ministry: the Dinas is told whose record it is; nothing is written."""
    run = import_file(actor=office, kind="schools", file=csv_file(MADRASAH), filename="m.csv")
    assert (run.status, run.created, run.error_count) == ("rejected", 0, 1)
    assert "kementerian lain" in run.errors[0]["message"]
    assert not School.objects.filter(npsn="60401003").exists()
    kankemenag = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71", ministry="kemenag")
    done = import_file(actor=kankemenag, kind="schools", file=csv_file(MADRASAH), filename="m.csv")
    assert (done.status, done.created) == ("done", 1)
    assert School.objects.get(npsn="60401003").ministry == "kemenag"


def test_school_import_updates_changed_rows_only(office):
    import_file(actor=office, kind="schools", file=csv_file(SCHOOLS), filename="s.csv")
    changed = SCHOOLS.replace("Jl. Mawar 1", "Jl. Melati 2")
    run = import_file(actor=office, kind="schools", file=csv_file(changed), filename="s.csv")
    assert (run.created, run.updated, run.unchanged) == (0, 1, 1)
    assert School.objects.get(npsn="20401001").address == "Jl. Melati 2"


def test_one_bad_row_rejects_the_whole_file_with_row_and_column(office):
    bad = SCHOOLS + "2040100X;SMP Baru;SMP;negeri;34.71.99;\n20401001;Dobel;SD;negeri;34.71.01;\n"
    run = import_file(actor=office, kind="schools", file=csv_file(bad), filename="s.csv")
    assert run.status == "rejected"
    assert not School.objects.exists()
    assert run.errors == [
        {
            "row": 4,
            "column": "NPSN",
            "message": "NPSN harus 8 digit (atau P/K diikuti 7 digit untuk satuan nonformal).",
        },
        {
            "row": 4,
            "column": "Kode Kecamatan",
            "message": "Kode kecamatan '34.71.99' tidak dikenal.",
        },
        {
            "row": 5,
            "column": "NPSN",
            "message": "NPSN 20401001 muncul lebih dari sekali dalam berkas.",
        },
    ]


def test_rows_outside_the_office_region_are_refused(office):
    text = "npsn,nama,jenjang,status,kode_kecamatan\n20401003,SD Sleman,SD,negeri,34.04.01\n"
    run = import_file(actor=office, kind="schools", file=csv_file(text), filename="s.csv")
    assert run.status == "rejected"
    assert "di luar wilayah" in run.errors[0]["message"]


def test_missing_required_column_is_reported_on_the_header_row(office):
    run = import_file(
        actor=office, kind="schools", file=csv_file("npsn,nama\n1,2\n"), filename="s.csv"
    )
    assert run.errors[0]["row"] == 1
    assert "jenjang" in run.errors[0]["message"]


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_people_import_from_xlsx_with_upsert_by_nuptk_or_nip(office):
    import_file(actor=office, kind="schools", file=csv_file(SCHOOLS), filename="s.csv")
    header = ["Nama", "NUPTK", "NIP", "JK", "Jabatan", "NPSN", "Mapel"]
    rows = [
        header,
        ["Sri Wahyuni, S.Pd.", "1111222233334444", None, "P", "guru", "20401001", "guru-kelas"],
        ["Ahmad Fauzi", None, "198001012005011002", None, "kepala", 20401002, ""],
    ]
    run = import_file(actor=office, kind="people", file=_xlsx(rows), filename="p.xlsx")
    assert (run.status, run.created) == ("done", 2), run.errors
    ahmad = Person.objects.get(nip="198001012005011002")
    assert ahmad.gender == "L" and ahmad.school.npsn == "20401002"
    rows[1][0] = "Sri Wahyuni, M.Pd."
    run = import_file(actor=office, kind="people", file=_xlsx(rows), filename="p.xlsx")
    assert (run.created, run.updated, run.unchanged) == (0, 1, 1)
    assert Person.objects.get(nuptk="1111222233334444").name == "Sri Wahyuni, M.Pd."
    assert Person.objects.count() == 2


def test_people_import_reports_every_bad_row_and_writes_nothing(office):
    import_file(actor=office, kind="schools", file=csv_file(SCHOOLS), filename="s.csv")
    text = (
        "nama,nuptk,nip,jenis_kelamin,npsn\n"
        "Ani,1111222233334444,,P,20401001\n"
        ",123,,X,20401001\n"
        "Budi,,,L,20401001\n"
        "Citra,1111222233334444,,P,99999999\n"
    )
    run = import_file(actor=office, kind="people", file=csv_file(text), filename="p.csv")
    assert run.status == "rejected" and not Person.objects.exists()
    cells = {(e["row"], e["column"]) for e in run.errors}
    assert {(3, "nama"), (3, "nuptk"), (3, "jenis_kelamin"), (4, "nuptk"), (5, "npsn")} <= cells


def test_unreadable_files_get_a_clear_message(office):
    run = import_file(actor=office, kind="people", file=io.BytesIO(b"\x00\x01"), filename="p.xlsx")
    assert run.errors[0]["message"] == "Berkas bukan buku kerja XLSX yang dapat dibaca."
    run = import_file(actor=office, kind="people", file=io.BytesIO(b"x"), filename="p.pdf")
    assert run.errors[0]["message"] == "Unggah berkas .csv atau .xlsx."


def test_the_api_imports_as_the_page_does_and_reports_by_row(client, office):
    """An office's script uploads the same file the page takes; a bad file writes nothing."""
    client.force_login(office)
    kinds = client.get("/api/v1/imports/kinds").json()["items"]
    schools = next(k for k in kinds if k["kind"] == "schools")
    assert schools["columns"][:2] == ["npsn", "nama"]
    assert client.get(schools["template"]).content.decode().startswith("npsn,nama,")
    bad = SCHOOLS + "2040100X;SMP Baru;SMP;negeri;34.71.01;\n"
    rejected = client.post(
        "/api/v1/imports",
        {"kind": "schools", "file": _named(bad, "sekolah.csv")},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert rejected.status_code == 201
    body = rejected.json()
    assert (body["status"], body["error_count"]) == ("rejected", 1)
    assert body["errors"][0]["row"] == 4 and body["errors"][0]["column"] == "NPSN"
    assert not School.objects.exists()
    done = client.post("/api/v1/imports", {"kind": "schools", "file": _named(SCHOOLS, "s.csv")})
    assert (done.json()["status"], done.json()["created"]) == ("done", 2)
    again = client.get(f"/api/v1/imports/{done.json()['id']}").json()
    assert again["created"] == 2


def test_imports_are_office_work_and_name_unknown_kinds(client, office, yogya_school):
    client.force_login(office)
    unknown = client.post(
        "/api/v1/imports",
        {"kind": "murid", "file": _named(SCHOOLS, "s.csv")},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert unknown.status_code == 422
    detail = unknown.json()["details"][0]
    assert detail["field"] == "kind"
    assert detail["message"] == (
        "Gunakan salah satu dari: schools, people, groups, memberships, practices, points, "
        "outcomes."
    )
    teacher = user_with_role(Role.GURU, school=yogya_school)
    client.force_login(teacher)
    refused = client.post("/api/v1/imports", {"kind": "schools", "file": _named(SCHOOLS, "s.csv")})
    assert refused.status_code == 403
    assert not School.objects.filter(npsn="20401001").exists()


def _named(text: str, name: str):
    upload = csv_file(text)
    upload.name = name
    return upload


def test_the_upload_page_offers_every_registered_import_and_its_template(client, office):
    client.force_login(office)
    page = client.get("/impor/").content.decode()
    for slug in ("sekolah", "ptk", "kelompok", "anggota-kelompok"):
        assert f'href="/impor/templat/{slug}.csv"' in page
    assert '<option value="memberships">Keanggotaan kelompok</option>' in page
