"""Streaming import of UKG results from CSV or XLSX, as the offices have them.

1. On PostgreSQL a CSV goes into the database whole: COPY into a temporary table, then one
   statement stages every row with its teacher and its verdict against the pattern of a
   clean row (identifiers of the right length, scores 0-100 with at most two decimals),
   into a temporary staging table. Any other file, or a CSV that COPY refuses, streams
   once: Python picks each row's columns and matches them, joined, against the same
   pattern; the cells go as text, with that verdict, into `Staging` in chunks (COPY on
   PostgreSQL, batched INSERTs on SQLite that also find the teacher). Memory holds one
   chunk.
2. The rows that are not clean (no teacher found, a cell the pattern refused, an unknown
   subject, a total further than half a point from what the event's weights make of its
   components) come back to Python in pages: `RowChecker` names each problem by column, or
   tidies a row that is only untidy (spaces in an identifier, three decimals). Duplicate
   rows of one teacher are found by grouping in SQL.
3. Unless every row is valid (or the job imports the valid rows), write nothing; else
   upsert into `Result` in one statement that converts the text and leaves identical rows
   untouched, so importing the same file again changes nothing. On PostgreSQL the event
   and the teachers are locked first, set-based, instead of foreign-key triggers per row
   (decision 0013).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import tempfile
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter

import psycopg
from django.core.files import File
from django.db import DataError, connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from gugus.competency import locks, rollups
from gugus.competency.models import (
    GROUPS,
    TOTAL_TOLERANCE,
    ImportIssue,
    Result,
    Staging,
    UkgEvent,
    UkgImport,
)
from gugus.core import audit
from gugus.core.access import changeable
from gugus.core.bulk import RowWriter
from gugus.core.changes import mark_rows
from gugus.core.imports import ImportFileError, csv_dialect, read_table
from gugus.core.sheets import CsvWriter
from gugus.directory.identifiers import validate_nip, validate_nuptk
from gugus.directory.models import Person, Subject

CHUNK = 5_000
MAPS_DUE = "maps"
SCORES = ("total", "pedagogik", "profesional", *(f"group_{g}" for g in GROUPS))
REQUIRED_SCORES = SCORES[:3]
TEXT_FIELDS = ("nuptk", "nip", "subject", *SCORES)
# Normalised header → field. Headers are compared lower-case without spaces or punctuation.
HEADERS = {
    "nuptk": "nuptk",
    "nip": "nip",
    "nilai": "total",
    "nilaiakhir": "total",
    "nilaitotal": "total",
    "nilaiukg": "total",
    "total": "total",
    "pedagogik": "pedagogik",
    "nilaipedagogik": "pedagogik",
    "profesional": "profesional",
    "nilaiprofesional": "profesional",
    "mapel": "subject",
    "matapelajaran": "subject",
    "kodemapel": "subject",
    "bidangstudi": "subject",
    **{f"kelompok{g}": f"group_{g}" for g in GROUPS},
    **{f"modul{g}": f"group_{g}" for g in GROUPS},
    **{f"kompetensi{g}": f"group_{g}" for g in GROUPS},
}
LABELS = {"total": "nilai", "subject": "mapel", "nuptk": "NUPTK", "nip": "NIP"}
# The grammar of a score: digits, optionally a decimal point or comma and more digits,
# once spaces (also non-breaking ones) are removed.
SCORE_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)?")
SIGNED_RE = re.compile(r"[+-][0-9]+(?:[.,][0-9]+)?")
# An identifier a spreadsheet turned into a number: 1.23457E+15, 1234567890123456.0.
NUMBER_ID_RE = re.compile(r"\d+(?:[.,]\d*)?(?:e\+?\d+)?|\d(?:[.,]\d+)?e\+?\d+", re.I)
HUNDREDTH = Decimal("0.01")
# A clean score: 0 to 100 with at most two decimals, nothing else. A row whose cells are
# all clean is written as it is; any other row goes through RowChecker.
CLEAN_SCORE = r"(?:100(?:[.,]00?)?|[0-9]{1,2}(?:[.,][0-9][0-9]?)?)"
CLEAN_CELL = {"nuptk": "(?:[0-9]{16})?", "nip": "(?:[0-9]{18})?"}
JOIN = "\x1f"  # between a row's cells for the clean-row pattern; never in a cell


def _clean_pattern(field: str) -> str | None:
    """The pattern a clean cell of the field matches (Python's and PostgreSQL's regular
    expressions read it alike); None for a field any text is clean in (the subject)."""
    if field == "subject":
        return None
    if field in CLEAN_CELL:
        return CLEAN_CELL[field]
    return CLEAN_SCORE if field in REQUIRED_SCORES else f"(?:{CLEAN_SCORE})?"


def _tune_for_bulk() -> None:
    """PostgreSQL, for the rest of the transaction: joins of a million rows hash in memory
    rather than in batches on disk, and no time goes to compiling expressions."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL jit = off")


def _literal(text: str) -> str:
    """A one-character SQL string literal (the CSV separator)."""
    return "E'\\t'" if text == "\t" else "'" + text.replace("'", "''") + "'"


def normalise_header(value) -> str:
    return re.sub(r"[^a-z0-9]", "", str(value or "").lower())


def file_digest(file) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _squeeze(text: str) -> str:
    return text.replace(" ", "").replace("\xa0", "")


def parse_score(raw) -> Decimal | None:
    """'72,5', '72.5', 72.5 → Decimal('72.50'); '' → None; anything else raises ValueError."""
    if raw is None:
        return None
    if isinstance(raw, int | float):
        return Decimal(str(raw)).quantize(HUNDREDTH, ROUND_HALF_UP)
    text = _squeeze(str(raw))
    if not text:
        return None
    if not SCORE_RE.fullmatch(text):
        raise ValueError(text)
    return Decimal(text.replace(",", ".")).quantize(HUNDREDTH, ROUND_HALF_UP)


def cell_text(value) -> str:
    """A workbook cell as the text a CSV would hold: 72.5 → '72.5', and an identifier the
    spreadsheet stored as a number keeps the look (1234567890123456.0, 1.2e+17) by which
    the checker recognises it."""
    if value is None:
        return ""
    if isinstance(value, float):
        return format(value, ".15g") if "e" in repr(value) else repr(value)
    return str(value)


class Columns:
    """Where each field is in the file, and the header text to name it by in the report."""

    def __init__(self, header: list):
        self.positions: dict[str, int] = {}
        self.labels: dict[str, str] = {}
        for i, cell in enumerate(header):
            field = HEADERS.get(normalise_header(cell))
            if field and field not in self.positions:
                self.positions[field] = i
                self.labels[field] = str(cell).strip()
        missing = []
        if "nuptk" not in self.positions and "nip" not in self.positions:
            missing.append("NUPTK / NIP")
        for field in REQUIRED_SCORES:
            if field not in self.positions:
                missing.append(LABELS.get(field, field))
        if missing:
            raise ImportFileError(
                _("The file lacks the column(s): %(columns)s.") % {"columns": ", ".join(missing)}
            )
        self.fields = [f for f in TEXT_FIELDS if f in self.positions]
        self.count = len(header)
        self.width = max(self.positions.values()) + 1
        self.clean = re.compile(JOIN.join(_clean_pattern(f) or "[^\x1f]*" for f in self.fields))

    def label(self, field: str) -> str:
        return self.labels.get(field, LABELS.get(field, field))


class RowChecker:
    """The rules of one row in Python, for the rows the SQL pass does not read as clean:
    a problem gets a message naming its column; a row that is only untidy (spaces in an
    identifier or a score) comes back cleaned, with its teacher found."""

    def __init__(
        self, columns: Columns, subjects: dict[str, str], people=None, event: UkgEvent = None
    ):
        self.columns = columns
        self.subjects = subjects
        self.people = Person.objects.all() if people is None else people  # who may be found
        self.event = event

    def check(self, values: dict[str, str], person: int | None) -> tuple[list, dict]:
        """(problems as (field, value, message[, column]), cleaned cells with person_id)."""
        problems, clean = [], {}
        for field, validate in (("nuptk", validate_nuptk), ("nip", validate_nip)):
            if field not in self.columns.positions:
                continue
            value = clean[field] = _squeeze(values.get(field) or "")
            if not value:
                continue
            if NUMBER_ID_RE.fullmatch(value) and not value.isdigit():
                message = _("Stored as a number, which loses digits; format the column as text.")
                problems.append((field, value, message))
                continue
            try:
                validate(value)
            except Exception as e:  # ValidationError with the identifier's reason
                problems.append((field, value, getattr(e, "messages", [str(e)])[0]))
        given = [f for f in ("nuptk", "nip") if clean.get(f)]
        if not given:
            problems.append(("nuptk", "", _("Give the teacher's NUPTK or NIP.")))
        elif not problems:
            clean["person_id"] = person or self._find(clean, given)
            if clean["person_id"] is None:
                value = clean[given[0]]
                message = _("No teacher in your area has this NUPTK or NIP.")
                problems.append((given[0], value, message, "NUPTK / NIP"))
        for field in SCORES:
            if field not in self.columns.positions:
                continue
            raw = values.get(field) or ""
            message = self._score_problem(raw, required=field in REQUIRED_SCORES)
            if message:
                problems.append((field, raw, message))
            elif _squeeze(raw):
                clean[field] = str(parse_score(raw))  # two decimals, a point
            else:
                clean[field] = ""
        problems += self._total_problem(clean)
        raw_subject = values.get("subject") or ""
        if raw_subject.strip() and subject_code(self.subjects, raw_subject) is None:
            problems.append(("subject", raw_subject, _("Unknown subject.")))
        problems.sort(key=lambda p: self.columns.positions.get(p[0], 0))
        clean["clean"] = True
        return problems, clean

    def _find(self, clean: dict, given: list[str]) -> int | None:
        for field in given:
            found = self.people.filter(**{field: clean[field]}).values_list("id", flat=True)
            if found:
                return found[0]
        return None

    def _total_problem(self, clean: dict) -> list[tuple]:
        """The total against its components by the event's weights (2015: 0.3 × pedagogik
        + 0.7 × profesional), when the event has them and the three scores are readable."""
        cells = [clean.get(f) for f in ("total", "pedagogik", "profesional")]
        if self.event is None or self.event.weights is None or not all(cells):
            return []
        total, pedagogik, profesional = (Decimal(c) for c in cells)
        expected = self.event.expected_total(pedagogik, profesional)
        if abs(total - expected) <= TOTAL_TOLERANCE:
            return []
        wp, wf = self.event.weights
        message = _(
            "The total does not match its components: %(wp)s × pedagogik + %(wf)s × "
            "profesional = %(expected)s (more than %(tolerance)s apart)."
        ) % {
            "wp": number_format(wp, 1),
            "wf": number_format(wf, 1),
            "expected": number_format(expected, 2),
            "tolerance": number_format(TOTAL_TOLERANCE, 1),
        }
        return [("total", number_format(total, 2), message)]

    @staticmethod
    def _score_problem(raw: str, required: bool) -> str | None:
        text = _squeeze(raw)
        if not text:
            return _("The score is required.") if required else None
        if SIGNED_RE.fullmatch(text) and text.startswith("-"):
            return _("A score is between 0 and 100.")
        try:
            value = parse_score(text)
        except ValueError:
            return _("Not a number.")
        if not 0 <= value <= 100:
            return _("A score is between 0 and 100.")
        return None


def subject_code(subjects: dict[str, str], raw: str) -> str | None:
    text = raw.strip()
    return subjects.get(text.lower()) or subjects.get(normalise_header(text))


def _score_value(column: str) -> str:
    """SQL: the score a clean cell holds; NULL for an empty cell."""
    kind = "numeric" if connection.vendor == "postgresql" else "REAL"
    return f"CAST(REPLACE(NULLIF({column}, ''), ',', '.') AS {kind})"


class UkgImporter:
    def __init__(self, job: UkgImport, progress=None):
        self.job = job
        self.progress = progress or (lambda job: None)
        self.subjects: dict[str, str] = {}
        for code, name in Subject.objects.values_list("code", "name"):
            self.subjects[code.lower()] = code
            self.subjects[normalise_header(name)] = code
        # Subject cells of this file that name a known subject → its code.
        self.subject_cells: dict[str, str] = {}
        self.unknown_subjects = False
        self.staged_with_people = False
        # Where the rows wait: the shared table, or a file's own temporary table.
        self.staging = "competency_staging"

    # -- pass 1, PostgreSQL and CSV: the file straight into the database ------------------

    def _copy(self, file, filename) -> bool:
        """Load a CSV with COPY, untouched by Python, and stage it with one statement that
        finds the teachers and judges every row clean or not (the same patterns as the
        streaming path). False when the file needs the streaming path instead: another
        database or format, a header longer than the sample or with a line break in a
        cell, or any record COPY refuses (ragged rows, bad UTF-8) — the
        streaming path then names the problem as it always has."""
        if connection.vendor != "postgresql" or not filename.lower().endswith(".csv"):
            return False
        head = file.read(4096)
        file.seek(0)
        try:  # not UTF-8 (or not text at all): the streaming path says so
            sample = codecs.getincrementaldecoder("utf-8-sig")().decode(head)
        except UnicodeDecodeError:
            return False
        dialect = csv_dialect(sample)
        lines = sample.splitlines(keepends=True)
        if len(lines) < 2 or lines[0].count('"') % 2:  # a header cell with a line break
            return False
        header = next(csv.reader(lines[:1], dialect), None)
        if not header:
            return False
        self.cols = Columns(header)
        self.checker = RowChecker(self.cols, self.subjects, self._people(), self.job.event)
        raw = [f"c{i}" for i in range(len(header))]
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                _tune_for_bulk()
                cursor.execute(
                    f"""CREATE TEMP TABLE ukg_file (
                            row integer GENERATED ALWAYS AS IDENTITY (START WITH 2),
                            {", ".join(f"{c} text" for c in raw)}) ON COMMIT DROP"""
                )
                with cursor.cursor.copy(
                    f"""COPY ukg_file ({", ".join(raw)}) FROM STDIN WITH (FORMAT csv,
                        HEADER true, DELIMITER {_literal(dialect.delimiter)}, ENCODING 'UTF8')"""
                ) as copy:
                    while data := file.read(1 << 20):
                        copy.write(data)
                self._stage_file(cursor)
        except (DataError, psycopg.DataError):  # COPY's own errors come unwrapped
            file.seek(0)
            return False
        self.staging, self.staged_with_people = "ukg_staging", True
        self.progress(self.job)
        return True

    def _stage_file(self, cursor):
        """ukg_file → this job's own temporary staging table, in one statement: the cells
        as text, the teacher, the verdict. Private to the connection and never logged, it
        is dropped, not deleted row by row, when the job ends."""
        cell = {f: f"COALESCE(f.c{self.cols.positions[f]}, '')" for f in self.cols.fields}
        clean = " AND ".join(
            f"{cell[f]} ~ '^(?:{pattern})$'"
            for f in self.cols.fields
            if (pattern := _clean_pattern(f)) is not None
        )
        people = {
            key: f"LEFT JOIN directory_person p_{key} ON p_{key}.{key} = {cell[key]} "
            f"AND {cell[key]} <> ''"
            for key in ("nuptk", "nip")
            if key in cell
        }
        any_cell = " OR ".join(f"COALESCE(f.c{i}, '') <> ''" for i in range(self.cols.count))
        # Every text column of the shared table, NULL where the file lacks it.
        named = zip(TEXT_FIELDS, self._columns(TEXT_FIELDS), strict=True)
        cursor.execute("ANALYZE ukg_file")
        cursor.execute(
            f"""CREATE TEMP TABLE ukg_staging AS
                SELECT %s::bigint AS job_id, f.row,
                       COALESCE({", ".join(f"p_{k}.id" for k in people)}, NULL) AS person_id,
                       {clean} AS clean,
                       {", ".join(f"{cell.get(f, 'NULL::text')} AS {name}" for f, name in named)}
                FROM ukg_file f {" ".join(people.values())}
                WHERE {any_cell}""",
            [self.job.pk],
        )
        cursor.execute("ALTER TABLE ukg_staging ADD PRIMARY KEY (job_id, row)")
        cursor.execute("SELECT COALESCE(MAX(row), 1) FROM ukg_file")
        self.job.rows_read = cursor.fetchone()[0] - 1
        if "subject" in self.cols.fields:
            cursor.execute(f"SELECT DISTINCT {cell['subject']} FROM ukg_file f")
            self._note_subjects({subject for (subject,) in cursor.fetchall()})
        cursor.execute("DROP TABLE ukg_file")
        UkgImport.objects.filter(pk=self.job.pk).update(rows_read=self.job.rows_read)

    # -- pass 1: stream ------------------------------------------------------------------

    def _stream(self, file, filename):
        rows = read_table(file, filename)
        header = next(rows, None)
        if header is None:
            raise ImportFileError(_("The file is empty."))
        self.cols = Columns(header)
        self.checker = RowChecker(self.cols, self.subjects, self._people(), self.job.event)
        pick = itemgetter(*(self.cols.positions[f] for f in self.cols.fields))
        is_clean = self.cols.clean.fullmatch
        width, workbook = self.cols.width, filename.lower().endswith(".xlsx")
        job = self.job.pk
        number, chunk = 1, []
        for number, row in enumerate(rows, start=2):
            if workbook:
                row = [cell_text(c) for c in row]
            if not any(row):
                continue
            if len(row) < width:
                row = [*row, *[""] * (width - len(row))]
            values = pick(row)
            chunk.append((job, number, *values, is_clean(JOIN.join(values)) is not None))
            if len(chunk) >= CHUNK:
                self._flush(chunk, number)
                chunk = []
        self._flush(chunk, number)

    def _flush(self, chunk, number):
        if "subject" in self.cols.positions:
            self._note_subjects({r[2 + self.cols.fields.index("subject")] for r in chunk})
        # One transaction per chunk: SQLite would commit every row otherwise.
        with transaction.atomic():
            self._stage(chunk)
        self.job.rows_read = max(number - 1, 0)
        UkgImport.objects.filter(pk=self.job.pk).update(rows_read=self.job.rows_read)
        self.progress(self.job)

    def _note_subjects(self, cells: set[str]):
        """Remember the cells naming a known subject (a blank cell names none); a file has
        a few spellings of each subject, so this stays small whatever its length."""
        for cell in cells - self.subject_cells.keys():
            if not cell:
                continue
            code = subject_code(self.subjects, cell) if cell.strip() else None
            if code is None and cell.strip():
                self.unknown_subjects = True
            else:
                self.subject_cells[cell] = code

    def _stage(self, chunk):
        fields = ["job", "row", *self.cols.fields, "clean"]
        if connection.vendor != "sqlite":
            RowWriter().insert(Staging, fields, chunk)  # COPY; teachers found in _resolve
            return
        # SQLite: find the teacher while inserting, which saves rewriting every row. The
        # parameters are numbered so the identifier cells serve the lookups too.
        number = {f: i for i, f in enumerate(fields, start=1)}
        lookups = [
            f"(SELECT id FROM directory_person WHERE {key} = ?{number[key]})"
            for key in ("nuptk", "nip")
            if key in number
        ]
        sql = f"""INSERT INTO competency_staging ({", ".join(self._columns(fields))}, person_id)
                  VALUES ({", ".join(f"?{i}" for i in number.values())},
                          COALESCE({", ".join(lookups)}, NULL))"""
        with connection.cursor() as cursor:
            cursor.executemany(sql, chunk)

    @staticmethod
    def _columns(fields):
        return [Staging._meta.get_field(f).column for f in fields]

    # -- pass 2: checks ----------------------------------------------------------------------

    @staticmethod
    def _count(sql, *params) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    def _sql(self, sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def _resolve(self):
        """PostgreSQL: find the teachers of the rows COPY staged (SQLite did on insert, and
        so did the staging of a file loaded whole)."""
        if connection.vendor == "sqlite":
            return
        for key in ("nuptk", "nip") if not self.staged_with_people else ():
            if key in self.cols.positions:
                self._sql(
                    f"""UPDATE {self.staging} s SET person_id = p.id
                        FROM directory_person p
                        WHERE s.job_id = %s AND s.person_id IS NULL AND s.{key} <> ''
                          AND p.{key} = s.{key}""",
                    [self.job.pk],
                )
        # Fresh statistics: planned on the empty table's, the duplicate check below would
        # join a million rows to a million rows in a nested loop.
        self._sql(f"ANALYZE {self.staging}")

    def _people(self):
        """The teachers whose results this job may write, None for all: those the
        importer's office covers. A job without a user is the server's operator at the
        command line."""
        return None if self.job.user_id is None else changeable(self.job.user, Person)

    def _within_scope(self):
        """Forget the teacher of every row the importer's office does not cover: the row
        then reads exactly as an unknown NUPTK/NIP, so the report tells an office nothing
        about people outside its region, and nothing outside it is written."""
        allowed = self._people()
        if allowed is None:
            return
        people, params = allowed.values("pk").query.sql_with_params()
        self._sql(
            f"""UPDATE {self.staging} SET person_id = NULL
                WHERE job_id = %s AND person_id IS NOT NULL AND person_id NOT IN ({people})""",
            [self.job.pk, *params],
        )

    def _unreadable(self) -> str:
        """SQL: the staging rows that are not clean — no teacher found, a cell the clean
        pattern refused, or a subject cell naming no known subject."""
        tests = ["s.person_id IS NULL", "NOT s.clean"]
        weights = self.job.event.weights
        if weights:
            # Only clean cells are cast; CASE keeps the cast from reading the others.
            total, ped, prof = (
                _score_value(f"s.{f}") for f in ("total", "pedagogik", "profesional")
            )
            tests.append(
                f"""(CASE WHEN s.clean THEN
                       ABS({total} - (%s * {ped} + %s * {prof})) > %s
                     ELSE FALSE END)"""
            )
        if "subject" in self.cols.fields and self.unknown_subjects:
            if self.subject_cells:
                known = ", ".join(["%s"] * len(self.subject_cells))
                tests.append(f"(s.subject <> '' AND s.subject NOT IN ({known}))")
            else:
                tests.append("s.subject <> ''")
        return " OR ".join(tests)

    def _params(self) -> list:
        """Parameters of `_unreadable`, in its order."""
        params = []
        weights = self.job.event.weights
        if weights:
            params += [float(weights[0]), float(weights[1]), float(TOTAL_TOLERANCE)]
        if "subject" in self.cols.fields and self.unknown_subjects:
            params += list(self.subject_cells)
        return params

    def _check_rows(self):
        """Name the problems of every row that is not clean, in the file's order; tidy the
        rows that are only untidy so the write reads them. Pages by row, so each page is a
        fresh query and the tidying never changes rows a pending query reads."""
        fields = self.cols.fields
        sql = f"""SELECT s.row, s.person_id, {", ".join("s." + f for f in fields)}
                  FROM {self.staging} s
                  WHERE s.job_id = %s AND s.row > %s AND ({self._unreadable()})
                  ORDER BY s.row LIMIT 2000"""
        last = 0
        while True:
            with connection.cursor() as cursor:
                cursor.execute(sql, [self.job.pk, last, *self._params()])
                batch = cursor.fetchall()
            if not batch:
                break
            last = batch[-1][0]
            issues, tidy = [], []
            for number, person, *cells in batch:
                values = dict(zip(fields, cells, strict=True))
                problems, clean = self.checker.check(values, person)
                for field, value, message, *column in problems:
                    issues.append(self._issue(number, field, value, message, *column))
                if not problems:
                    tidy.append((number, clean))
            ImportIssue.objects.bulk_create(issues, batch_size=1000)
            self._tidy(tidy, self.job.pk)

    def _tidy(self, rows: list[tuple[int, dict]], job: int):
        """Write the cleaned cells (and the teacher found) back to their staging rows."""
        if not rows:
            return
        columns = list(rows[0][1])
        sql = f"""UPDATE {self.staging} SET {", ".join(f"{c} = %s" for c in columns)}
                  WHERE job_id = %s AND row = %s"""
        with connection.cursor() as cursor:
            cursor.executemany(sql, [(*clean.values(), job, row) for row, clean in rows])

    def _issue(self, number, field, value, message, column=None):
        return ImportIssue(
            job=self.job,
            row=number,
            column=column or self.cols.label(field),
            position=self.cols.positions.get(field, 0),
            value=str(value)[:100],
            message=str(message)[:300],
        )

    def _duplicates(self):
        # Every row of a teacher after their first (grouped, not correlated, so it stays
        # n log n on a million rows).
        self._sql(
            f"""INSERT INTO competency_importissue
                   (job_id, row, "column", position, value, message)
               SELECT s.job_id, s.row, %s, 0,
                      CASE WHEN s.nuptk <> '' THEN s.nuptk ELSE s.nip END, %s || d.first
               FROM {self.staging} s
               JOIN (SELECT person_id, MIN(row) AS first FROM {self.staging}
                     WHERE job_id = %s AND person_id IS NOT NULL
                     GROUP BY person_id HAVING COUNT(*) > 1) d ON d.person_id = s.person_id
               WHERE s.job_id = %s AND s.row > d.first""",
            [_("NUPTK / NIP"), _("The same teacher appears already on row "), *[self.job.pk] * 2],
        )

    # -- pass 3: write ---------------------------------------------------------------------

    def _hold_teachers_and_event(self):
        """PostgreSQL: what foreign keys would do, until the write commits (`locks`):
        imports of one event write one after the other, the event is key-share locked so
        it cannot go, and no teacher is deleted; a deletion that came first is seen by the
        write's join. SQLite writes under the database's own lock and needs none of this."""
        if connection.vendor != "postgresql":
            return
        locks.hold_event(self.job.event_id)
        held = self._count(
            "SELECT COUNT(*) FROM (SELECT 1 FROM competency_ukgevent WHERE id = %s "
            "FOR KEY SHARE) e",
            self.job.event_id,
        )
        if not held:
            raise UkgEvent.DoesNotExist(self.job.event_id)
        locks.share_teachers()

    def _write(self):
        job, event = self.job.pk, self.job.event_id
        # The file's subject cells and their codes, as a derived table (a leading WITH
        # would hide the row count from Python's sqlite3).
        pairs = " UNION ALL ".join(["SELECT %s AS cell, %s AS code"] * len(self.subject_cells))
        known_params = [x for pair in self.subject_cells.items() for x in pair]
        subject_join = (
            f"LEFT JOIN ({pairs}) m ON m.cell = s.subject"
            if pairs and "subject" in self.cols.fields
            else ""
        )
        staged = self._count(f"SELECT COUNT(*) FROM {self.staging} WHERE job_id = %s", job)
        refused = self._count(
            "SELECT COUNT(DISTINCT row) FROM competency_importissue WHERE job_id = %s", job
        )
        self._hold_teachers_and_event()
        before = self._count("SELECT COUNT(*) FROM competency_result WHERE event_id = %s", event)
        # Rows with a problem are left out (only when importing the valid rows).
        without_issues = (
            """AND NOT EXISTS (SELECT 1 FROM competency_importissue i
                               WHERE i.job_id = s.job_id AND i.row = s.row)"""
            if refused
            else ""
        )
        valid = f"""FROM {self.staging} s
            JOIN directory_person p ON p.id = s.person_id
            LEFT JOIN directory_school sc ON sc.id = p.school_id
            {subject_join}
            WHERE s.job_id = %s {without_issues}"""
        # The places whose results change, as they were and as they will be, for the
        # dashboards' recount.
        mark_rows(
            Result.objects.filter(
                event_id=event,
                person_id__in=RawSQL(
                    f"SELECT person_id FROM {self.staging} WHERE job_id = %s", [job]
                ),
            ),
            "province_id",
            "regency_id",
        )
        columns = ["subject_id", *SCORES]
        selected = ", ".join(
            ("m.code" if subject_join else "NULL")
            if c == "subject_id"
            else (_score_value("s." + c) if c in self.cols.fields else "NULL")
            for c in columns
        )
        changed = " OR ".join(
            f"competency_result.{c} IS DISTINCT FROM excluded.{c}" for c in columns
        )
        # The event's first results are inserted plainly, dearer checks spared; imports of
        # one event write one at a time (_hold_teachers_and_event), so none slips between.
        upsert = f"""ON CONFLICT (person_id, event_id) DO UPDATE SET
                    {", ".join(f"{c} = excluded.{c}" for c in columns)},
                    province_id = excluded.province_id, regency_id = excluded.regency_id,
                    school_id = excluded.school_id, jenjang = excluded.jenjang,
                    imported_by_id = excluded.imported_by_id
                WHERE {changed}"""
        # In the teachers' order: the write then walks the (person, event) index leaf by
        # leaf rather than at a million random places.
        written = self._sql(
            f"""INSERT INTO competency_result (event_id, person_id, {", ".join(columns)},
                    province_id, regency_id, school_id, jenjang, imported_by_id)
                SELECT %s, s.person_id, {selected},
                    p.province_id, COALESCE(p.regency_id, ''), p.school_id,
                    COALESCE(sc.jenjang, ''), %s
                {valid}
                ORDER BY s.person_id
                {upsert if before else ""}""",
            [event, job, *known_params, job],
        )
        mark_rows(Result.objects.filter(imported_by_id=job), "province_id", "regency_id")
        # Counting the event's results before and after (an index range) is cheaper than
        # asking of every row whether it existed.
        created = self._count("SELECT COUNT(*) FROM competency_result WHERE event_id = %s", event)
        created -= before
        updated = written - created
        return created, updated, staged - refused - written

    # -- the job -------------------------------------------------------------------------

    def _clear_staging(self):
        if self.staging == "competency_staging":
            Staging.objects.filter(job=self.job).delete()
        else:
            self._sql(f"DROP TABLE IF EXISTS {self.staging}")

    def run(self, file, filename):
        """Staging rows commit as they stream (so the page sees the progress); the checks,
        the write to the results, the job's outcome and the audit entry commit together, so
        a worker killed at any point leaves either nothing or all of them."""
        job = self.job
        ImportIssue.objects.filter(job=job).delete()  # a retried job starts over
        Staging.objects.filter(job=job).delete()
        try:
            if not self._copy(file, filename):
                self._stream(file, filename)
            UkgImport.objects.filter(pk=job.pk).update(phase="checking")
            with transaction.atomic():
                _tune_for_bulk()
                self._resolve()
                self._within_scope()
                self._check_rows()
                self._duplicates()
                errors = ImportIssue.objects.filter(job=job).count()
                write = errors == 0 or job.mode == UkgImport.Mode.VALID_ROWS
                created = updated = unchanged = 0
                if write:
                    created, updated, unchanged = self._write()
                self._finish(errors, write, created, updated, unchanged)
        finally:
            self._clear_staging()
        return job

    def _finish(self, errors, write, created, updated, unchanged):
        job = self.job
        job.error_count = errors
        job.created, job.updated, job.unchanged = created, updated, unchanged
        job.status = UkgImport.Status.DONE if write else UkgImport.Status.REJECTED
        if errors:
            with tempfile.TemporaryFile() as out:
                write_error_report(job, out)
                out.seek(0)
                job.error_report.save(f"laporan-galat-{job.pk}.csv", File(out), save=False)
        job.finished_at = timezone.now()
        # The maps are recounted after the commit; the phase says they still owe it, so a
        # job whose worker died before the recount is recounted when it runs again.
        job.phase = MAPS_DUE if created or updated else ""
        job.save()
        if created or updated:
            # Scores changed: who, when, which file, how many (the rows stay with the job).
            audit.record(
                actor=job.user,
                action="import_scores",
                obj=job,
                source="web" if job.user_id else "cli",
                changes={
                    "event": [None, job.event.code],
                    "created": [None, created],
                    "updated": [None, updated],
                    "sha256": [None, job.sha256],
                },
            )


def refresh_maps_due(job: UkgImport) -> bool:
    """Recount the event's maps if the job changed scores and they were not yet
    recounted; true if it did."""
    if job.phase != MAPS_DUE:
        return False
    rollups.refresh(job.event)
    UkgImport.objects.filter(pk=job.pk).update(phase="")
    job.phase = ""
    return True


def write_error_report(job: UkgImport, out) -> None:
    """The issues as CSV (row, column, value, problem), ordered by row, streamed."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = CsvWriter(text)
    writer.writerow([_("Row"), _("Column"), _("Value"), _("Problem")])
    for issue in ImportIssue.objects.filter(job=job).iterator(2000):
        writer.writerow([issue.row, issue.column, issue.value, issue.message])
    text.flush()
    text.detach()
