"""Streaming import of UKG results from CSV or XLSX, as the offices have them.

1. Stream the file once: map the Indonesian headers, parse each row (NUPTK or NIP, scores
   with decimal commas, subject), record format problems as issues, and bulk-insert the
   well-formed rows into `Staging` in chunks. Memory holds one chunk.
2. Check across rows with SQL: unknown teachers, duplicate rows for one teacher.
3. Unless every row is valid (or the job imports the valid rows), write nothing; else
   upsert into `Result` in one statement that leaves identical rows untouched, so
   importing the same file again changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tempfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gugus.competency.models import GROUPS, ImportIssue, Staging, UkgImport
from gugus.core import audit
from gugus.core.bulk import RowWriter
from gugus.directory.identifiers import validate_nip, validate_nuptk
from gugus.directory.imports import ImportFileError, read_table
from gugus.directory.models import Subject

CHUNK = 5_000
SCORES = ("total", "pedagogik", "profesional", *(f"group_{g}" for g in GROUPS))
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
STAGING_FIELDS = ["job", "row", "nuptk", "nip", "subject_id", *SCORES]


def normalise_header(value) -> str:
    return re.sub(r"[^a-z0-9]", "", str(value or "").lower())


def file_digest(file) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def parse_score(raw) -> Decimal | None:
    """'72,5', '72.5', 72.5 → Decimal('72.50'); '' → None; anything else raises."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, int | float):
        value = Decimal(str(raw))
    else:
        text = raw.strip().replace(" ", "")
        if "," in text and "." in text:  # 1.234,5 — thousands dots, decimal comma
            text = text.replace(".", "")
        value = Decimal(text.replace(",", "."))
    return value.quantize(Decimal("0.01"))


@dataclass
class Columns:
    positions: dict[str, int]
    labels: dict[str, str]


def _columns(header: list) -> Columns:
    positions, labels = {}, {}
    for i, cell in enumerate(header):
        field = HEADERS.get(normalise_header(cell))
        if field and field not in positions:
            positions[field] = i
            labels[field] = str(cell).strip()
    missing = []
    if "nuptk" not in positions and "nip" not in positions:
        missing.append("NUPTK / NIP")
    for field in ("total", "pedagogik", "profesional"):
        if field not in positions:
            missing.append(LABELS.get(field, field))
    if missing:
        raise ImportFileError(
            _("The file lacks the column(s): %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return Columns(positions, labels)


class UkgImporter:
    def __init__(self, job: UkgImport, progress=None):
        self.job = job
        self.progress = progress or (lambda job: None)
        self.subjects = {}
        for code, name in Subject.objects.values_list("code", "name"):
            self.subjects[code.lower()] = code
            self.subjects[normalise_header(name)] = code

    # -- pass 1: stream ------------------------------------------------------------------

    def _cell(self, row, field):
        i = self.cols.positions.get(field)
        return row[i] if i is not None and i < len(row) else None

    def _issue(self, number, field, value, message):
        self.row_issues.append(
            (self.cols.positions.get(field, 0), len(self.row_issues)),
        )
        self.issues.append(
            ImportIssue(
                job=self.job,
                row=number,
                column=self.cols.labels.get(field, LABELS.get(field, field)),
                value=str(value if value is not None else "")[:100],
                message=str(message)[:300],
            )
        )

    def _parse(self, number, row) -> tuple | None:
        before = len(self.issues)
        self.row_issues: list[tuple[int, int]] = []
        ids = {}
        for field in ("nuptk", "nip"):
            raw = self._cell(row, field)
            if isinstance(raw, float):
                # A spreadsheet number keeps 15 digits: a 16-18 digit identifier is lost.
                self._issue(
                    number,
                    field,
                    raw,
                    _("Stored as a number, which loses digits; format the column as text."),
                )
                raw = None
            ids[field] = str(raw if raw is not None else "").strip().replace(" ", "")
        nuptk, nip = ids["nuptk"], ids["nip"]
        if not nuptk and not nip and len(self.issues) == before:
            self._issue(number, "nuptk", "", _("Give the teacher's NUPTK or NIP."))
        for field, value, check in (("nuptk", nuptk, validate_nuptk), ("nip", nip, validate_nip)):
            if value:
                try:
                    check(value)
                except Exception as e:  # ValidationError with the identifier's reason
                    message = getattr(e, "messages", [str(e)])[0]
                    self._issue(number, field, value, message)
        scores = [None] * len(SCORES)
        width = len(row)
        for slot, field, i in self.score_columns:
            raw = row[i] if i < width else None
            if raw is None or raw == "":
                if slot < 3:  # total, pedagogik, profesional
                    self._issue(number, field, raw, _("The score is required."))
                continue
            try:
                value = parse_score(raw)
            except (InvalidOperation, ValueError):
                self._issue(number, field, raw, _("Not a number."))
                continue
            if value is None:
                if slot < 3:
                    self._issue(number, field, raw, _("The score is required."))
                continue
            if not 0 <= value <= 100:
                self._issue(number, field, raw, _("A score is between 0 and 100."))
                continue
            scores[slot] = value
        subject = ""
        raw_subject = self._cell(row, "subject")
        if raw_subject not in (None, ""):
            subject = self.subjects.get(str(raw_subject).strip().lower()) or self.subjects.get(
                normalise_header(raw_subject), ""
            )
            if not subject:
                self._issue(number, "subject", raw_subject, _("Unknown subject."))
        if len(self.issues) > before:
            # In the report, a row's problems follow the file's column order.
            found = self.issues[before:]
            order = sorted(range(len(found)), key=lambda i: self.row_issues[i])
            self.issues[before:] = [found[i] for i in order]
            return None
        return (self.job.pk, number, nuptk, nip, subject, *scores)

    def _stream(self, file, filename):
        rows = read_table(file, filename)
        header = next(rows, None)
        if header is None:
            raise ImportFileError(_("The file is empty."))
        self.cols = _columns(header)
        # Only the score columns the file has, in the order of SCORES (slot).
        self.score_columns = [
            (slot, field, self.cols.positions[field])
            for slot, field in enumerate(SCORES)
            if field in self.cols.positions
        ]
        self.issues: list[ImportIssue] = []
        staged: list[tuple] = []
        number = 1
        for number, row in enumerate(rows, start=2):
            if not any(c not in (None, "") for c in row):
                continue
            parsed = self._parse(number, row)
            if parsed:
                staged.append(parsed)
            if len(staged) >= CHUNK or len(self.issues) >= CHUNK:
                self._flush(staged, number)
                staged = []
        self._flush(staged, number)

    def _flush(self, staged, number):
        # One transaction per chunk (SQLite would commit every row otherwise), with the
        # bulk writer: COPY on PostgreSQL, batched INSERTs on SQLite.
        with transaction.atomic():
            RowWriter.insert(Staging, STAGING_FIELDS, staged)
            ImportIssue.objects.bulk_create(self.issues, batch_size=1000)
        self.issues = []
        self.job.rows_read = max(number - 1, 0)
        UkgImport.objects.filter(pk=self.job.pk).update(rows_read=self.job.rows_read)
        self.progress(self.job)

    # -- pass 2: checks across rows ---------------------------------------------------------

    def _sql(self, sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def _resolve(self):
        job = self.job.pk
        for column in ("nuptk", "nip"):
            self._sql(
                f"""UPDATE competency_staging SET person_id = (
                        SELECT p.id FROM directory_person p
                        WHERE p.{column} = competency_staging.{column})
                    WHERE job_id = %s AND person_id IS NULL AND {column} <> ''""",
                [job],
            )
        self._sql(
            """INSERT INTO competency_importissue (job_id, row, "column", value, message)
               SELECT job_id, row, %s, CASE WHEN nuptk <> '' THEN nuptk ELSE nip END, %s
               FROM competency_staging WHERE job_id = %s AND person_id IS NULL""",
            [_("NUPTK / NIP"), _("No teacher in Gugus has this NUPTK or NIP."), job],
        )
        # Duplicates: every row of a teacher after their first (grouped, not correlated,
        # so it stays n log n on a million rows).
        self._sql(
            """INSERT INTO competency_importissue (job_id, row, "column", value, message)
               SELECT s.job_id, s.row, %s, CASE WHEN s.nuptk <> '' THEN s.nuptk ELSE s.nip END,
                      %s || d.first
               FROM competency_staging s
               JOIN (SELECT person_id, MIN(row) AS first FROM competency_staging
                     WHERE job_id = %s AND person_id IS NOT NULL
                     GROUP BY person_id HAVING COUNT(*) > 1) d ON d.person_id = s.person_id
               WHERE s.job_id = %s AND s.row > d.first""",
            [_("NUPTK / NIP"), _("The same teacher appears already on row "), job, job],
        )

    # -- pass 3: write ---------------------------------------------------------------------

    def _write(self):
        job, event = self.job.pk, self.job.event_id
        valid = """FROM competency_staging s
            JOIN directory_person p ON p.id = s.person_id
            LEFT JOIN directory_school sc ON sc.id = p.school_id
            WHERE s.job_id = %s AND NOT EXISTS (
                SELECT 1 FROM competency_importissue i
                WHERE i.job_id = s.job_id AND i.row = s.row)"""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) {valid}", [job])
            rows = cursor.fetchone()[0]
            cursor.execute(
                f"""SELECT COUNT(*) {valid} AND EXISTS (SELECT 1 FROM competency_result r
                    WHERE r.person_id = s.person_id AND r.event_id = %s)""",
                [job, event],
            )
            existing = cursor.fetchone()[0]
        columns = ["subject_id", *SCORES]
        selected = ", ".join(
            "NULLIF(s.subject_id, '')" if c == "subject_id" else f"s.{c}" for c in columns
        )
        changed = " OR ".join(
            f"competency_result.{c} IS DISTINCT FROM excluded.{c}" for c in columns
        )
        written = self._sql(
            f"""INSERT INTO competency_result (event_id, person_id, {", ".join(columns)},
                    province_id, regency_id, school_id, jenjang, imported_by_id)
                SELECT %s, s.person_id, {selected},
                    p.province_id, COALESCE(p.regency_id, ''), p.school_id,
                    COALESCE(sc.jenjang, ''), %s
                {valid}
                ON CONFLICT (person_id, event_id) DO UPDATE SET
                    {", ".join(f"{c} = excluded.{c}" for c in columns)},
                    province_id = excluded.province_id, regency_id = excluded.regency_id,
                    school_id = excluded.school_id, jenjang = excluded.jenjang,
                    imported_by_id = excluded.imported_by_id
                WHERE {changed}""",
            [event, job, job],
        )
        created = rows - existing
        updated = max(written - created, 0)
        return created, updated, existing - updated

    # -- the job -------------------------------------------------------------------------

    def run(self, file, filename):
        """Staging rows commit as they stream (so the page sees the progress); the checks
        and the write to the results happen in one transaction."""
        job = self.job
        ImportIssue.objects.filter(job=job).delete()  # a retried job starts over
        Staging.objects.filter(job=job).delete()
        try:
            self._stream(file, filename)
            UkgImport.objects.filter(pk=job.pk).update(phase="checking")
            with transaction.atomic():
                self._resolve()
                errors = ImportIssue.objects.filter(job=job).count()
                write = errors == 0 or job.mode == UkgImport.Mode.VALID_ROWS
                created = updated = unchanged = 0
                if write:
                    created, updated, unchanged = self._write()
        finally:
            Staging.objects.filter(job=job).delete()
        job.error_count = errors
        job.created, job.updated, job.unchanged = created, updated, unchanged
        job.status = UkgImport.Status.DONE if write else UkgImport.Status.REJECTED
        if errors:
            with tempfile.TemporaryFile() as out:
                write_error_report(job, out)
                out.seek(0)
                job.error_report.save(f"laporan-galat-{job.pk}.csv", File(out), save=False)
        job.finished_at = timezone.now()
        job.phase = ""
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
        return job


def write_error_report(job: UkgImport, out) -> None:
    """The issues as CSV (row, column, value, problem), ordered by row, streamed."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([_("Row"), _("Column"), _("Value"), _("Problem")])
    for issue in ImportIssue.objects.filter(job=job).order_by("row", "id").iterator(2000):
        writer.writerow([issue.row, issue.column, issue.value, issue.message])
    text.flush()
    text.detach()
