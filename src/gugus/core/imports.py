"""The import machinery every app's spreadsheet import runs on, all or nothing.

An app writes an `Importer` subclass (its columns, its row cleaning through the same
services the pages use) and `register`s it; the upload page, the template download and
the `ImportRun` record read the registry. Errors are reported by row number (as the
spreadsheet shows it), column (as the file names it) and a reason in the user's language.
If any row is wrong nothing is written; importing the same file twice changes nothing the
second time. Rows are processed in chunks inside one transaction, so memory stays flat
however long the file is.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from gugus.core.access import actor_for, office_covers
from gugus.core.errors import DomainError, FieldErrors, Forbidden
from gugus.core.models import ImportRun

CHUNK = 2000
MAX_STORED_ERRORS = 5000
# Python's csv module refuses a cell longer than this (its default field limit).
MAX_CELL = csv.field_size_limit()
# A real workbook unpacks to ten or twenty times its size; a zip bomb to thousands.
MAX_UNPACKED = 1024 * 2**20
MAX_RATIO = 100
# The largest spreadsheet an import reads (the UKG import, a national file, has its own).
MAX_IMPORT_BYTES = 50 * 2**20


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, header)."""


@dataclass
class Outcome:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0

    def error(self, row: int, column: str, message) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append({"row": row, "column": column, "message": str(message)})


def fold_header(header, aliases: dict, columns: dict | None = None) -> str:
    """A column header as a name: lower case, words joined by '_', aliases folded (unless
    the name is itself one of the importer's columns: its own template reads back)."""
    text = re.sub(r"[^a-z0-9]+", "_", str(header or "").strip().lower()).strip("_")
    if columns is not None and text in columns:
        return text
    return aliases.get(text, text)


def csv_dialect(sample: str) -> type[csv.Dialect]:
    """Excel's quoting, with the separator the header line holds most of: ',', ';' or a
    tab. The header decides because data rows mislead (decimal commas in a file separated
    by semicolons are what Indonesian spreadsheets write)."""
    header = sample.splitlines()[0] if sample else ""
    separator = max(",;\t", key=header.count)

    class Dialect(csv.excel):
        delimiter = separator if header.count(separator) else ","

    return Dialect


def read_table(file, filename: str) -> Iterator[list]:
    """Rows of the first sheet (XLSX) or of a CSV with ',', ';' or tab separators. A file
    that is not what it says, or that would take the server down (a workbook that unpacks
    to gigabytes, a cell of megabytes, NUL bytes), is refused with the reason."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        _refuse_zip_bomb(file)
        try:
            book = load_workbook(file, read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises many types for a damaged file
            raise ImportFileError(_("The file is not a readable XLSX workbook.")) from e
        try:
            for row in book.worksheets[0].iter_rows(values_only=True):
                yield list(row)
        finally:
            book.close()
    elif name.endswith(".csv"):
        text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
        try:
            sample = text.read(4096)
            text.seek(0)
        except UnicodeDecodeError as e:
            raise ImportFileError(_("The CSV file must be saved as UTF-8.")) from e
        dialect = csv_dialect(sample)
        try:
            yield from csv.reader(_text_lines(text), dialect)
        except UnicodeDecodeError as e:
            raise ImportFileError(_("The CSV file must be saved as UTF-8.")) from e
        except csv.Error as e:
            if "field larger than field limit" in str(e):
                raise ImportFileError(
                    _("A cell is too long (over %(n)s characters).") % {"n": MAX_CELL}
                ) from e
            raise ImportFileError(
                _("The CSV file could not be read: %(error)s") % {"error": e}
            ) from e
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))


def _text_lines(text) -> Iterator[str]:
    for line in text:
        if "\x00" in line:
            raise ImportFileError(
                _("The file contains NUL characters: it is not a text (CSV) file.")
            )
        yield line


def _refuse_zip_bomb(file) -> None:
    """An XLSX is a zip: refuse one that would unpack to more than MAX_UNPACKED bytes or
    more than MAX_RATIO times its own size, before anything reads it."""
    try:
        size = file.seek(0, io.SEEK_END)
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from e
    finally:
        file.seek(0)
    if unpacked > MAX_UNPACKED or unpacked > MAX_RATIO * max(size, 1):
        raise ImportFileError(
            _("The workbook is too large once unpacked (%(mb)s MB); save it as CSV or split it.")
            % {"mb": unpacked // 2**20}
        )


def records(
    rows: Iterator[list], columns: dict, required: set, aliases: dict
) -> tuple[dict, Iterator]:
    """Check the header; yield (row number, {field: value}) for each non-empty row."""
    try:
        header = next(rows)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    folded = [fold_header(h, aliases, columns) for h in header]
    unknown = [str(h) for h, f in zip(header, folded, strict=True) if f and f not in columns]
    missing = sorted(required - set(folded))
    if missing:
        raise ImportFileError(
            _("Required column(s) missing: %(columns)s. Expected columns: %(expected)s.")
            % {"columns": ", ".join(missing), "expected": ", ".join(columns)}
        )
    if unknown:
        raise ImportFileError(
            _("Unknown column(s): %(columns)s. Expected columns: %(expected)s.")
            % {"columns": ", ".join(unknown), "expected": ", ".join(columns)}
        )
    labels = {columns[f]: str(h).strip() for h, f in zip(header, folded, strict=True) if f}

    def generate():
        for number, row in enumerate(rows, start=2):
            if not any(v not in (None, "") and str(v).strip() for v in row):
                continue
            yield number, {columns[f]: v for f, v in zip(folded, row, strict=False) if f}

    return labels, generate()


def _chunks(iterator, size):
    while chunk := list(islice(iterator, size)):
        yield chunk


class Importer(ABC):
    """Base of every importer: read, validate each row, write while no error was seen,
    roll everything back at the end if any row failed.

    A subclass names its `kind` (stored on the ImportRun), `label` (offered on the upload
    page), `slug` (its template's address), `columns` (file column -> service field),
    `required` columns, header `aliases`, and implements `process(chunk)`; importers that
    validate with a `clean_row(raw)` get `clean(chunk)` with the scope check."""

    kind: str
    label: str
    slug: str
    # Pages list the importer classes; a template must read them, not call them.
    do_not_call_in_templates = True
    columns: dict
    required: set
    aliases: dict = {}
    # The field whose column an out-of-scope row is reported on.
    scope_field: str = "regency"

    def __init__(self, actor):
        self.actor = actor_for(actor)
        self.out = Outcome()

    def run(self, file, filename: str) -> Outcome:
        rows = read_table(file, filename)
        self.labels, rows_in = records(rows, self.columns, self.required, self.aliases)
        self.present = set(self.labels)
        with transaction.atomic():
            for chunk in _chunks(rows_in, CHUNK):
                self.out.rows += len(chunk)
                self.process(chunk)
            if self.out.error_count:
                transaction.set_rollback(True)
                self.out.created = self.out.updated = self.out.unchanged = 0
        return self.out

    @abstractmethod
    def process(self, chunk) -> None:
        """Validate and write one chunk of (row number, {field: value}) records."""

    def column(self, field_name: str) -> str:
        return self.labels.get(field_name, field_name)

    def refusal(self, *, province_id, regency_id, ministry=None) -> str | None:
        """Why the importing office may not write a record of this place and ministry (the
        governing office of the record's ministry in its region may); None when it may."""
        place = {"province_id": province_id, "regency_id": regency_id}
        if office_covers(self.actor, **place, ministry=ministry, governing=True):
            return None
        if office_covers(self.actor, **place):
            return _("This record is kept by the other ministry's office; you may not change it.")
        return _("This place is outside your area; you may not change it.")

    def in_scope(self, number: int, data: dict) -> bool:
        reason = self.refusal(
            province_id=data["province_id"],
            regency_id=data["regency_id"],
            ministry=data.get("ministry"),
        )
        if reason:
            self.out.error(number, self.column(self.scope_field), reason)
        return reason is None

    def clean(self, chunk):
        good = []
        for number, raw in chunk:
            try:
                data = self.clean_row(raw)
            except FieldErrors as e:
                for d in e.details:
                    self.out.error(number, self.column(d["field"]), d["message"])
                continue
            if self.in_scope(number, data):
                good.append((number, data))
        return good


# kind -> importer, in the order the apps register them.
IMPORTERS: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    IMPORTERS[importer.kind] = importer
    return importer


def importer_choices() -> list[tuple[str, str]]:
    return [(kind, importer.label) for kind, importer in IMPORTERS.items()]


def template_csv(slug: str) -> tuple[str, str] | None:
    """(file name, header line) of the empty file for the importer at `slug`."""
    for importer in IMPORTERS.values():
        if importer.slug == slug:
            return f"templat-{slug}.csv", ",".join(importer.columns) + "\r\n"
    return None


def import_file(*, actor, kind: str, file, filename: str) -> ImportRun:
    """Run an import and keep its outcome (with the error report) as an ImportRun.
    Imports are office work; each importer then writes only inside the office's scope."""
    actor = actor_for(actor)
    if not actor.is_office:
        raise Forbidden()
    if kind not in IMPORTERS:
        raise DomainError(
            _("Unknown kind of import; choose one of: %(kinds)s.")
            % {"kinds": ", ".join(IMPORTERS)},
            code="unknown_kind",
            field="kind",
        )
    if getattr(file, "size", 0) > MAX_IMPORT_BYTES:
        raise FieldErrors(
            [("file", _("The file is larger than %(mb)s MB.") % {"mb": MAX_IMPORT_BYTES // 2**20})]
        )
    try:
        outcome = IMPORTERS[kind](actor).run(file, filename)
    except ImportFileError as e:
        outcome = Outcome()
        outcome.error(1, "", str(e))
    return ImportRun.objects.create(
        kind=kind,
        user=actor.user,
        filename=filename[:255],
        status=ImportRun.Status.REJECTED if outcome.error_count else ImportRun.Status.DONE,
        rows=outcome.rows,
        created=outcome.created,
        updated=outcome.updated,
        unchanged=outcome.unchanged,
        error_count=outcome.error_count,
        errors=outcome.errors,
    )
