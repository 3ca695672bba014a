"""Hostile files offered to every import and to the UKG import: wrong encodings, NUL
bytes, a cell of megabytes, an XLSX zip bomb, a file of 100 MB, a workbook cut in half,
files whose extension lies. Each is refused with a message in Indonesian that says what
is wrong, and nothing is written."""

import io
import json
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from openpyxl import Workbook

from gugus.accounts.services import api_token_create
from gugus.communities.models import Membership, WorkingGroup
from gugus.competency.imports import UkgImporter
from gugus.competency.models import Result, UkgEvent, UkgImport
from gugus.core.imports import IMPORTERS, ImportFileError, template_csv
from gugus.core.models import ImportRun
from gugus.core.roles import Role
from gugus.directory.models import Person, School
from tests.factories import user_with_role

pytestmark = pytest.mark.usefixtures("indonesian")
REFUSALS: list[dict] = []


@pytest.fixture(scope="module", autouse=True)
def _report():
    """`make hostile-drill` keeps every refusal for docs/reliability.md."""
    yield
    if path := os.environ.get("GUGUS_HOSTILE_REPORT"):
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"vendor": connection.vendor, "refusals": REFUSALS}) + "\n")


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip_bomb() -> bytes:
    """A workbook of 200 KB whose sheet unpacks to 300 MB."""
    good = zipfile.ZipFile(io.BytesIO(_xlsx([["npsn", "nama"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in good.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(item, good.read(item))
        with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            chunk = b'<row><c t="inlineStr"><is><t>' + b"A" * 1_000_000 + b"</t></is></c></row>"
            for _i in range(300):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def _hostile(header: list[str]) -> dict:
    """Each hostile file with the importer's own header, so that only the hostility can be
    what refuses it; with the words the refusal must contain."""
    head = ";".join(header)
    width = len(header) - 1
    return {
        "utf16.csv": (f"{head}\n20000001{';x' * width}\n".encode("utf-16"), "UTF-8"),
        "latin1.csv": (f"{head}\nNégeri{';x' * width}\n".encode("latin-1"), "UTF-8"),
        "nul.csv": (f"{head}\n2000\x000001{';x' * width}\n".encode(), "NUL"),
        "huge-cell.csv": (
            f"{head}\n".encode() + b"A" * 2_000_000 + b";x" * width + b"\n",
            "terlalu panjang",
        ),
        "cut.xlsx": (_xlsx([header, ["20000001"] * len(header)])[:900], "XLSX"),
        "page.xlsx": (b"<html><script>alert(1)</script></html>", "XLSX"),
        "image.csv": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "UTF-8"),
        "program.exe": (b"MZ\x90\x00" * 100, ".csv"),
    }


NAMES = sorted(_hostile(["a"]))
UKG_HEADER = ["nuptk", "nilai", "pedagogik", "profesional"]


@pytest.fixture
def office(db):
    """A national office: every kind of import is open to it (the catalogues too)."""
    user = user_with_role(Role.ADMIN_PUSAT)
    _token, key = api_token_create(user=user, name="impor")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _counts():
    return (
        School.objects.count(),
        Person.objects.count(),
        WorkingGroup.objects.count(),
        Membership.objects.count(),
        Result.objects.count(),
    )


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
def test_every_import_reads_the_header_of_its_own_template(office, kind):
    importer = IMPORTERS[kind]
    name, header = template_csv(importer.slug)
    body = header.encode() + b"\r\n"

    response = Client().post(
        "/api/v1/imports", {"kind": kind, "file": SimpleUploadedFile(name, body)}, **office
    )

    assert response.json()["errors"] == [], response.json()["errors"]


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
@pytest.mark.parametrize("name", NAMES)
def test_every_import_refuses_a_hostile_file_with_a_reason_and_writes_nothing(office, kind, name):
    body, reason = _hostile(list(IMPORTERS[kind].columns))[name]
    before = _counts()

    response = Client().post(
        "/api/v1/imports",
        {"kind": kind, "file": SimpleUploadedFile(name, body, "text/csv")},
        **office,
    )

    assert response.status_code in (201, 400), response.content[:300]
    answer = response.json()
    message = answer["errors"][0]["message"] if response.status_code == 201 else answer["message"]
    if response.status_code == 201:
        assert answer["status"] == "rejected" and answer["created"] == 0
    assert reason in message, message
    assert _counts() == before
    REFUSALS.append({"import": kind, "file": name, "message": message})


def test_an_xlsx_zip_bomb_is_refused_before_it_is_unpacked(office):
    response = Client().post(
        "/api/v1/imports",
        {"kind": "schools", "file": SimpleUploadedFile("bom.xlsx", _zip_bomb())},
        **office,
    )

    assert response.json()["status"] == "rejected"
    message = response.json()["errors"][0]["message"]
    assert "terlalu besar setelah dibuka" in message
    REFUSALS.append({"import": "schools", "file": "zip bomb (300 MB unpacked)", "message": message})


def test_a_file_of_100_mb_is_refused_with_the_limit_named(office):
    big = b"npsn;nama\n" + b"20000001;SD Baru\n" * (100 * 2**20 // 17)

    response = Client().post(
        "/api/v1/imports",
        {"kind": "people", "file": SimpleUploadedFile("besar.csv", big)},
        **office,
    )

    assert response.status_code == 400
    message = response.json()["details"][0]["message"]
    assert "lebih besar dari" in message
    assert not ImportRun.objects.filter(status="done").exists()
    REFUSALS.append({"import": "people", "file": "100 MB CSV", "message": message})


def test_a_ukg_file_over_100_mb_is_refused_before_it_is_kept(office):
    big = b"nuptk;nilai;pedagogik;profesional\n" + b"x" * (100 * 2**20 + 1)

    response = Client().post(
        "/api/v1/ukg/imports",
        {"event": "ukg-2015", "year": "2015", "file": SimpleUploadedFile("ukg.csv", big)},
        **office,
    )

    assert response.status_code == 400
    message = response.json()["details"][0]["message"]
    assert "lebih besar dari 100 MB" in message
    assert not UkgImport.objects.exists()
    REFUSALS.append({"import": "ukg", "file": "CSV over 100 MB", "message": message})


@pytest.mark.parametrize("name", NAMES)
def test_the_ukg_import_refuses_a_hostile_file_and_writes_no_score(db, name):
    body, reason = _hostile(UKG_HEADER)[name]
    event = UkgEvent.objects.create(code="ukg-2015", name="UKG 2015", year=2015)
    job = UkgImport.objects.create(event=event, filename=name, sha256="x")

    try:
        job = UkgImporter(job).run(io.BytesIO(body), name)
    except ImportFileError as refused:
        assert reason in str(refused)
        message = str(refused)
    else:  # PostgreSQL loads a CSV as it is and judges each cell: a row error, named
        assert (job.status, job.created) == ("rejected", 0)
        issue = job.issues.first()
        message = f"baris {issue.row}, {issue.column}: {issue.message}"
    assert not Result.objects.exists()
    REFUSALS.append({"import": "ukg", "file": name, "message": message})
