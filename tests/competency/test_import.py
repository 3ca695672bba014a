"""UKG import: every validation rule, all or nothing, valid rows only, idempotence, the
error report row by row, XLSX, the command line and the background job."""

import contextlib
import csv
import io
import random
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook

from gugus.competency import services, tasks
from gugus.competency.imports import UkgImporter, parse_score
from gugus.competency.models import Result, UkgEvent, UkgImport
from gugus.core.errors import FieldErrors, Forbidden
from gugus.core.imports import ImportFileError
from gugus.core.models import AuditEntry
from gugus.core.roles import Role
from tests.factories import PersonFactory, SchoolFactory, user_with_role

pytestmark = pytest.mark.usefixtures("indonesian")

HEADER = ["NUPTK", "Nilai Akhir", "Nilai Pedagogik", "Nilai Profesional", "Mapel", "Kelompok A"]


@pytest.fixture
def event(db):
    return UkgEvent.objects.create(code="ukg-2015", name="UKG 2015", year=2015)


@pytest.fixture
def teachers(db):
    school = SchoolFactory()
    return [PersonFactory(school=school) for _i in range(4)]


def csv_file(rows, header=HEADER, delimiter=";"):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return io.BytesIO(out.getvalue().encode("utf-8"))


def run(event, data, name="ukg.csv", mode="all"):
    job = UkgImport.objects.create(event=event, filename=name, sha256="x", mode=mode)
    return UkgImporter(job).run(data, name)


def report(job):
    with job.error_report.open("rb") as f:
        return list(csv.reader(io.StringIO(f.read().decode("utf-8-sig"))))


def test_parse_score_accepts_the_offices_formats():
    assert str(parse_score("72,5")) == "72.50"
    assert str(parse_score("72.25")) == "72.25"
    assert str(parse_score(61)) == "61.00"
    assert parse_score("  ") is None


def test_a_valid_file_is_imported_with_decimal_commas(event, teachers):
    rows = [[t.nuptk, "65,40", "60,1", "70,75", "guru-kelas", "55"] for t in teachers]
    job = run(event, csv_file(rows))
    assert (job.status, job.created, job.error_count) == ("done", 4, 0)
    result = Result.objects.get(person=teachers[0])
    assert (str(result.total), str(result.pedagogik), str(result.group_a)) == (
        "65.40",
        "60.10",
        "55.00",
    )
    assert result.province_id == teachers[0].province_id
    assert result.school_id == teachers[0].school_id and result.jenjang == "sd"


def test_every_rule_is_reported_by_row_and_column_and_nothing_is_written(event, teachers):
    rows = [
        [teachers[0].nuptk, "65", "60", "70", "guru-kelas", ""],  # row 2: valid
        ["9999999999999999", "65", "60", "70", "", ""],  # 3: nobody has it
        [teachers[1].nuptk, "101", "60", "70", "", ""],  # 4: out of range
        [teachers[2].nuptk, "enam puluh", "60", "70", "", ""],  # 5: not a number
        ["12345", "65", "60", "70", "", ""],  # 6: malformed NUPTK
        [teachers[0].nuptk, "66", "61", "71", "", ""],  # 7: duplicate of row 2
        [teachers[3].nuptk, "65", "", "70", "", ""],  # 8: pedagogik missing
        [teachers[3].nuptk, "65", "60", "70", "astronomi", "120"],  # 9: subject, group A
        ["1,23457E+15", "65", "60", "70", "", ""],  # 10: an identifier Excel made a number
        [teachers[1].nuptk, "-5", "60,5,1", "70", "", ""],  # 11: negative, two commas
    ]
    job = run(event, csv_file(rows))
    assert job.status == "rejected" and job.created == 0
    assert not Result.objects.exists()
    lines = report(job)
    assert lines[0] == ["Baris", "Kolom", "Nilai", "Masalah"]
    by_row = [(int(r[0]), r[1]) for r in lines[1:]]
    assert by_row == [
        (3, "NUPTK / NIP"),
        (4, "Nilai Akhir"),
        (5, "Nilai Akhir"),
        (6, "NUPTK"),
        (7, "NUPTK / NIP"),
        (8, "Nilai Pedagogik"),
        (9, "NUPTK / NIP"),  # teachers[3] is on row 8 already
        (9, "Mapel"),
        (9, "Kelompok A"),
        (10, "NUPTK"),
        (11, "NUPTK / NIP"),  # teachers[1] is on row 4 already
        (11, "Nilai Akhir"),
        (11, "Nilai Pedagogik"),
    ]
    messages = {int(r[0]): r[3] for r in lines[1:]}
    assert messages[3] == "Tidak ada guru di wilayah Anda dengan NUPTK atau NIP ini."
    assert messages[4] == "Nilai berada antara 0 dan 100."
    assert messages[7] == "Guru yang sama sudah ada pada baris 2"
    assert messages[10].startswith("Tersimpan sebagai angka")
    problems = {(int(r[0]), r[1]): r[3] for r in lines[1:]}
    assert problems[(11, "Nilai Akhir")] == "Nilai berada antara 0 dan 100."
    assert problems[(11, "Nilai Pedagogik")] == "Bukan angka."
    assert job.error_count == 13


def test_valid_rows_mode_imports_the_rest(event, teachers):
    rows = [
        [teachers[0].nuptk, "65", "60", "70", "", ""],
        [teachers[1].nuptk, "165", "60", "70", "", ""],
    ]
    job = run(event, csv_file(rows), mode="valid")
    assert (job.status, job.created, job.error_count) == ("done", 1, 1)
    assert list(Result.objects.values_list("person_id", flat=True)) == [teachers[0].pk]


def test_importing_the_same_file_again_changes_nothing(event, teachers):
    rows = [[t.nuptk, "65", "60", "70", "", ""] for t in teachers]
    run(event, csv_file(rows))
    again = run(event, csv_file(rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    rows[0][1] = "80"
    changed = run(event, csv_file(rows))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 3)
    # Every import that changed scores is audited; the no-op one is not.
    entries = AuditEntry.objects.filter(action="import_scores").order_by("id")
    assert [e.changes["updated"][1] for e in entries] == [0, 1]
    assert entries[0].changes["created"] == [None, 4]
    assert Result.objects.get(person=teachers[0]).total == 80


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


def test_xlsx_with_number_cells_and_nip(event, teachers):
    person = teachers[0]
    person.nip = "198503122010012003"
    person.save()
    header = ["NIP", "nilai", "pedagogik", "profesional"]
    job = run(event, xlsx([header, [person.nip, 58.5, 50, 67]]), name="ukg.xlsx")
    assert (job.status, job.created) == ("done", 1)
    assert str(Result.objects.get().total) == "58.50"
    # The same NIP typed as a number: Excel kept 15 of its 18 digits.
    job = run(event, xlsx([header, [float(person.nip), 58.5, 50, 67]]), name="ukg.xlsx")
    assert job.status == "rejected"
    assert report(job)[1][3] == (
        "Tersimpan sebagai angka sehingga digitnya hilang; format kolom sebagai teks."
    )


def test_a_file_without_the_key_column_is_refused(event):
    with pytest.raises(Exception, match="NUPTK / NIP"):
        run(event, csv_file([["65"]], header=["Nilai"]))


def test_command_line_import(event, teachers, tmp_path, capsys):
    path = tmp_path / "ukg.csv"
    path.write_bytes(csv_file([[t.nuptk, "65", "60", "70", "", ""] for t in teachers]).read())
    call_command("import-ukg", str(path), "--event", "ukg-2016", "--year", "2016")
    out = capsys.readouterr().out
    assert "4 created" in out
    assert Result.objects.filter(event__code="ukg-2016").count() == 4


@pytest.mark.django_db(transaction=True)
def test_an_upload_runs_as_a_background_job(regions, event, teachers):
    """Transactional: the worker runs the job on its own connection, as in production."""
    office = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")
    upload = SimpleUploadedFile(
        "ukg.csv", csv_file([[t.nuptk, "65", "60", "70", "", ""] for t in teachers]).read()
    )
    job = services.ukg_import_start(
        actor=office, event=event.code, upload=upload, filename="ukg.csv"
    )
    job.refresh_from_db()
    assert job.status == "queued"
    call_command("worker", "--batch")
    job.refresh_from_db()
    assert (job.status, job.created, job.percent) == ("done", 4, 100)
    teacher = user_with_role(Role.GURU, school_id=teachers[0].school_id)
    with pytest.raises(Forbidden):
        services.ukg_import_start(
            actor=teacher, event=event.code, upload=upload, filename="ukg.csv"
        )


def test_an_unexpected_failure_is_retried_then_marked_failed(event, teachers, monkeypatch):
    job = UkgImport.objects.create(
        event=event,
        filename="ukg.csv",
        sha256="x",
        file=SimpleUploadedFile(
            "ukg.csv", csv_file([[teachers[0].nuptk, "60", "60", "60"]]).read()
        ),
    )

    def broken(self, file, filename):
        raise OSError("disk full")

    monkeypatch.setattr(tasks.UkgImporter, "run", broken)
    for attempt in (1, 2):
        with pytest.raises(OSError):
            tasks.run_ukg_import.call(job.pk)
        job.refresh_from_db()
        assert (job.status, job.attempts, job.message) == ("queued", attempt, "disk full")
    assert DBTaskResult.objects.count() == 2  # each retry queued, later each time
    with pytest.raises(OSError):
        tasks.run_ukg_import.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("failed", 3)


def test_untidy_cells_are_read_as_the_office_meant(event, teachers):
    """Spaces inside an identifier, non-breaking spaces, a score with three decimals: not
    clean, but valid — checked one by one and written like the clean rows."""
    rows = [
        [teachers[0].nuptk, "65,4", "60", "70", "guru-kelas", ""],  # clean
        [" " + teachers[1].nuptk[:8] + " " + teachers[1].nuptk[8:], "65", "60", "70", "", ""],
        [teachers[2].nuptk, "72,555", "60\xa0", "70", " Guru Kelas ", " "],
        [teachers[3].nuptk, "100", "0", "99.99", "", "55,5"],
    ]
    job = run(event, csv_file(rows))
    assert (job.status, job.created, job.error_count) == ("done", 4, 0)
    scores = {
        r.person_id: (str(r.total), str(r.pedagogik), r.subject_id, r.group_a)
        for r in Result.objects.all()
    }
    assert scores[teachers[1].pk] == ("65.00", "60.00", None, None)
    assert scores[teachers[2].pk] == ("72.56", "60.00", "guru-kelas", None)
    assert scores[teachers[3].pk][:2] == ("100.00", "0.00")
    assert str(Result.objects.get(person=teachers[3]).group_a) == "55.50"
    again = run(event, csv_file(rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_a_generated_file_with_errors_is_reported_row_by_row(event):
    """Hundreds of rows, one problem planted in every seventh, at random columns: the report
    names exactly the planted problems, row by row, and nothing is written."""
    rng = random.Random(5)
    school = SchoolFactory()
    people = [PersonFactory(school=school) for _i in range(120)]
    plants = {
        "unknown": ("NUPTK / NIP", "Tidak ada guru di wilayah Anda dengan NUPTK atau NIP ini."),
        "malformed": ("NUPTK", "NUPTK harus tepat 16 digit."),
        "range": ("Nilai Pedagogik", "Nilai berada antara 0 dan 100."),
        "text": ("Nilai Profesional", "Bukan angka."),
        "missing": ("Nilai Akhir", "Nilai wajib diisi."),
        "subject": ("Mapel", "Mata pelajaran tidak dikenal."),
    }
    rows, expected = [], []
    for i, person in enumerate(people):
        row = [person.nuptk, f"{rng.uniform(30, 90):.2f}".replace(".", ","), "55", "61,5", "", ""]
        number = i + 2
        if i % 7 == 3:
            kind = rng.choice(sorted(plants))
            if kind == "unknown":
                row[0] = "9" * 16
            elif kind == "malformed":
                row[0] = person.nuptk[:10]
            elif kind == "range":
                row[2] = "105"
            elif kind == "text":
                row[3] = "n/a"
            elif kind == "missing":
                row[1] = ""
            else:
                row[4] = "kimia murni"
            expected.append([str(number), *plants[kind]])
        rows.append(row)
    job = run(event, csv_file(rows))
    lines = report(job)[1:]
    assert [[r[0], r[1], r[3]] for r in lines] == expected
    assert len(expected) == job.error_count > 10
    assert job.status == "rejected" and not Result.objects.exists()


def test_an_office_writes_only_the_scores_of_teachers_it_covers(event, yogya_school, sleman_school):
    """A Sleman office imports a Kota Yogyakarta teacher's NUPTK (twice: tidy and untidy):
    the rows read exactly as a NUPTK nobody has, and no Yogyakarta score is written."""
    yogya = PersonFactory(school=yogya_school)
    own = PersonFactory(school=sleman_school)
    assert own.regency_id == "34.04"
    sleman = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.04")
    rows = [
        [own.nuptk, "70", "65", "75", "", ""],
        [yogya.nuptk, "10", "10", "10", "", ""],
        [f" {yogya.nuptk} ", "10", "10", "10", "", ""],
        ["9999999999999999", "10", "10", "10", "", ""],
    ]
    job = UkgImport.objects.create(
        event=event, filename="ukg.csv", sha256="x", mode="valid", user=sleman
    )
    job = UkgImporter(job).run(csv_file(rows), "ukg.csv")
    assert (job.created, job.error_count) == (1, 3)
    messages = {i.row: (i.column, i.message) for i in job.issues.all()}
    assert messages[3] == messages[4] == messages[5]
    assert messages[5] == (
        "NUPTK / NIP",
        "Tidak ada guru di wilayah Anda dengan NUPTK atau NIP ini.",
    )
    assert not Result.objects.filter(person=yogya).exists()
    assert Result.objects.filter(person=own).exists()


@pytest.mark.parametrize(
    ("pedagogik", "profesional", "total"),
    [("48.94", "54.77", "53.02"), ("0", "100", "70.00"), ("100", "0", "30.00")],
)
def test_the_2015_weights_reproduce_the_published_totals(db, pedagogik, profesional, total):
    """National UKG 2015: pedagogik 48.94 and profesional 54.77 give the published 53.02."""
    event = services.ukg_event_create(actor=None, code="ukg-2015", year=2015)
    assert str(event.expected_total(pedagogik, profesional)) == total


def test_a_total_that_disagrees_with_its_components_is_reported(db, teachers):
    event = services.ukg_event_create(actor=None, code="ukg-2015", year=2015)
    assert event.weights == (Decimal("0.30"), Decimal("0.70"))
    a, b, c, d = (t.nuptk for t in teachers)
    rows = [
        [a, "53,02", "48,94", "54,77", "", ""],  # row 2: exactly the rule
        [b, "53,50", "48,94", "54,77", "", ""],  # 3: 0.48 apart, within half a point
        [c, "60,00", "48,94", "54,77", "", ""],  # 4: 6.98 apart
        [f" {d} ", "45", "48,94", "54,77", "", ""],  # 5: untidy and 8.02 apart
    ]
    job = run(event, csv_file(rows))
    assert (job.status, job.error_count, job.created) == ("rejected", 2, 0)
    lines = report(job)[1:]
    assert [(r[0], r[1], r[2]) for r in lines] == [
        ("4", "Nilai Akhir", "60,00"),
        ("5", "Nilai Akhir", "45,00"),
    ]
    assert "0,3 × pedagogik + 0,7 × profesional = 53,02" in lines[0][3]
    valid_rows = run(event, csv_file(rows), mode="valid")
    assert (valid_rows.created, valid_rows.error_count) == (2, 2)


def test_an_event_without_weights_does_not_check_totals(event, teachers):
    rows = [[teachers[0].nuptk, "90", "10", "10", "", ""]]
    assert run(event, csv_file(rows)).status == "done"


def test_weights_must_add_up_to_one(db):
    with pytest.raises(FieldErrors) as info:
        services.ukg_event_create(actor=None, code="ukg-x", year=2030, weights=("0.5", "0.6"))
    assert [d["field"] for d in info.value.details] == ["weights"]


def outcome(job):
    """What an office sees of an import: its counts, its issues and the scores written."""
    issues = sorted(job.issues.values_list("row", "column", "value", "message"))
    results = sorted(
        Result.objects.filter(event=job.event).values_list(
            "person__nuptk", "total", "pedagogik", "profesional", "subject_id", "group_a"
        )
    )
    return (job.status, job.created, job.updated, job.error_count, job.rows_read), issues, results


def imported(event, data, mode, monkeypatch=None):
    """The import's outcome, or the refusal of the whole file; with `monkeypatch`, through
    the streaming path alone (Python reads every row). Leaves no results behind."""
    job = UkgImport.objects.create(event=event, filename="ukg.csv", sha256="x", mode=mode)
    importer = UkgImporter(job)
    with monkeypatch.context() if monkeypatch else contextlib.nullcontext() as m:
        if m:
            m.setattr(UkgImporter, "_copy", lambda self, file, filename: False)
        try:
            importer.run(data, "ukg.csv")
        except ImportFileError as refused:
            return str(refused), False
    seen = outcome(job)
    Result.objects.all().delete()
    return seen, importer.staged_with_people


TRICKY = [
    ["{0}", "65,40", "60,1", "70,75", "guru-kelas", "55"],
    [" {1} ", "72.255", " 61 ", "77,5", "Guru Kelas", ""],  # untidy: spaces, 3 decimals
    ["", "", "", "", "", ""],  # an empty row
    ["{2}", "101", "60", "70", "fisika-kuno", "abc"],  # out of range, unknown, unreadable
    ["{3}", "80", "70", "85", "guru-kelas", "60;5"],  # a separator inside a quoted cell
    ["1234", "60", "60", "60", "", ""],  # a malformed NUPTK
    ["{0}", "66", "60", "70", "", ""],  # the same teacher again
]


def tricky_file(teachers, extra=b""):
    rows = [[cell.format(*(t.nuptk for t in teachers)) for cell in row] for row in TRICKY]
    return io.BytesIO(b"\xef\xbb\xbf" + csv_file(rows).getvalue() + extra)  # with a BOM


@pytest.mark.parametrize("mode", ["all", "valid"])
def test_the_database_load_and_the_streaming_path_agree(event, teachers, monkeypatch, mode):
    """PostgreSQL loads a CSV with COPY and checks it in SQL; the outcome is the streaming
    path's, issue for issue and score for score."""
    expected, _streamed = imported(event, tricky_file(teachers), mode, monkeypatch)
    seen, loaded_whole = imported(event, tricky_file(teachers), mode)
    assert loaded_whole == (connection.vendor == "postgresql")
    assert seen == expected
    (_status, created, _updated, errors, rows), issues, results = seen
    assert (errors, rows) == (6, 7) and {i[0] for i in issues} == {5, 6, 7, 8}
    assert created == (2 if mode == "valid" else 0) == len(results)


@pytest.mark.parametrize(
    "extra",
    [
        b"9999999999999999;60\n",  # a short row: too few cells for COPY
        b"9999999999999999;60;60;60;;;surplus\n",  # a row with a cell too many
        b"\xff\xfe;60;60;60;;\n",  # not UTF-8
        b'"9999999999999999;60;60;60;;\n',  # a quote never closed
    ],
)
def test_a_file_the_database_refuses_to_load_is_read_row_by_row(
    event, teachers, monkeypatch, extra
):
    """A file COPY cannot read goes through the streaming path, which reports what it
    always has, whatever the database."""
    expected, _streamed = imported(event, tricky_file(teachers, extra), "all", monkeypatch)
    seen, loaded_whole = imported(event, tricky_file(teachers, extra), "all")
    assert not loaded_whole
    assert seen == expected
