"""Importing schools and people from CSV or XLSX, all or nothing.

Every row is validated by the same `clean_*` functions the forms and API use. Errors are
reported by row number (as the spreadsheet shows it), column (as the file names it) and a
reason in the user's language. If any row is wrong nothing is written; importing the same
file twice changes nothing the second time. Rows are processed in chunks inside one
transaction, so memory stays flat however long the file is.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from gugus.core import audit
from gugus.core.access import actor_for, office_covers
from gugus.directory.models import ImportRun, Person, School
from gugus.directory.services import (
    PERSON_FIELDS,
    SCHOOL_FIELDS,
    FieldErrors,
    Lookup,
    clean_person,
    clean_school,
    search_key,
)

CHUNK = 2000
MAX_STORED_ERRORS = 5000

# column name in the file -> service field; aliases are folded to the same name.
SCHOOL_COLUMNS = {
    "npsn": "npsn",
    "nama": "name",
    "jenjang": "jenjang",
    "status": "status",
    "kode_kecamatan": "district",
    "alamat": "address",
}
SCHOOL_REQUIRED = {"npsn", "nama", "jenjang", "status", "kode_kecamatan"}
PEOPLE_COLUMNS = {
    "nama": "name",
    "nuptk": "nuptk",
    "nip": "nip",
    "jenis_kelamin": "gender",
    "tanggal_lahir": "birth_date",
    "jabatan": "position",
    "npsn": "school",
    "kode_kabkota": "regency",
    "instruktur_nasional": "is_instruktur_nasional",
    "narasumber": "is_narasumber",
    "mapel": "subjects",
    "kementerian": "ministry",
}
PEOPLE_REQUIRED = {"nama"}
HEADER_ALIASES = {
    "nama_sekolah": "nama",
    "nama_lengkap": "nama",
    "kecamatan": "kode_kecamatan",
    "kode_wilayah": "kode_kecamatan",
    "jk": "jenis_kelamin",
    "l_p": "jenis_kelamin",
    "gender": "jenis_kelamin",
    "mata_pelajaran": "mapel",
    "kabupaten_kota": "kode_kabkota",
    "kode_kab_kota": "kode_kabkota",
    "in": "instruktur_nasional",
    "tgl_lahir": "tanggal_lahir",
    "npsn_sekolah": "npsn",
    "status_sekolah": "status",
}


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


def _fold(header) -> str:
    text = re.sub(r"[^a-z0-9]+", "_", str(header or "").strip().lower()).strip("_")
    return HEADER_ALIASES.get(text, text)


def read_table(file, filename: str) -> Iterator[list]:
    """Rows of the first sheet (XLSX) or of a CSV with ',', ';' or tab separators."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

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
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        try:
            yield from csv.reader(text, dialect)
        except UnicodeDecodeError as e:
            raise ImportFileError(_("The CSV file must be saved as UTF-8.")) from e
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))


def _records(rows: Iterator[list], columns: dict, required: set) -> tuple[dict, Iterator]:
    """Check the header; yield (row number, {field: value}) for each non-empty row."""
    try:
        header = next(rows)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    folded = [_fold(h) for h in header]
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


class Importer:
    """Base of every importer: read, validate each row, write while no error was seen,
    roll everything back at the end if any row failed."""

    kind: str
    columns: dict
    required: set

    def __init__(self, actor):
        self.actor = actor_for(actor)
        self.lookup = Lookup()
        self.out = Outcome()

    def run(self, file, filename: str) -> Outcome:
        rows = read_table(file, filename)
        self.labels, records = _records(rows, self.columns, self.required)
        self.present = set(self.labels)
        with transaction.atomic():
            for chunk in _chunks(records, CHUNK):
                self.out.rows += len(chunk)
                self.process(chunk)
            if self.out.error_count:
                transaction.set_rollback(True)
                self.out.created = self.out.updated = self.out.unchanged = 0
        return self.out

    def column(self, field_name: str) -> str:
        return self.labels.get(field_name, field_name)

    def in_scope(self, number: int, data: dict) -> bool:
        if office_covers(
            self.actor, province_id=data["province_id"], regency_id=data["regency_id"]
        ):
            return True
        self.out.error(
            number,
            self.column("school" if self.kind == "people" else "district"),
            _("This place is outside your area; you may not change it."),
        )
        return False

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


class SchoolImporter(Importer):
    kind = "schools"
    columns = SCHOOL_COLUMNS
    required = SCHOOL_REQUIRED

    def __init__(self, actor):
        super().__init__(actor)
        self.seen: set[str] = set()

    def clean_row(self, raw):
        return clean_school(raw, lookup=self.lookup)

    def process(self, chunk):
        good = []
        for number, data in self.clean(chunk):
            if data["npsn"] in self.seen:
                self.out.error(
                    number,
                    self.column("npsn"),
                    _("NPSN %(npsn)s appears more than once in the file.") % {"npsn": data["npsn"]},
                )
                continue
            self.seen.add(data["npsn"])
            good.append((number, data))
        existing = School.objects.in_bulk([d["npsn"] for _n, d in good], field_name="npsn")
        creates, updates, entries = [], [], []
        fields = [f for f in SCHOOL_FIELDS if f in self.present or f == "ministry"]
        for number, data in good:
            school = existing.get(data["npsn"])
            if school is None:
                creates.append(School(**data))
                continue
            if not office_covers(
                self.actor, province_id=school.province_id, regency_id=school.regency_id
            ):
                self.out.error(
                    number,
                    self.column("npsn"),
                    _("This school is outside your area; you may not change it."),
                )
                continue
            before = audit.snapshot(school, fields)
            for name in fields:
                setattr(school, name, data[name])
            if "district" in fields:
                school.regency_id, school.province_id = data["regency_id"], data["province_id"]
            changes = audit.diff(before, audit.snapshot(school, fields))
            if changes:
                updates.append(school)
                entries.append(
                    audit.entry(
                        actor=self.actor,
                        action="update",
                        obj=school,
                        changes=changes,
                        source="import",
                        province_id=school.province_id,
                        regency_id=school.regency_id,
                    )
                )
            else:
                self.out.unchanged += 1
        if self.out.error_count:
            return
        School.objects.bulk_create(creates, batch_size=500)
        for school in creates:
            entries.append(
                audit.entry(
                    actor=self.actor,
                    action="create",
                    obj=school,
                    source="import",
                    changes=audit.diff({}, audit.snapshot(school, SCHOOL_FIELDS)),
                    province_id=school.province_id,
                    regency_id=school.regency_id,
                )
            )
        if updates:
            located = ["regency", "province"] if "district" in fields else []
            School.objects.bulk_update(updates, [*fields, *located], batch_size=500)
        audit.AuditEntry.objects.bulk_create(entries, batch_size=500)
        self.out.created += len(creates)
        self.out.updated += len(updates)
        for school in creates:
            self.lookup.schools[school.npsn] = school


class PersonImporter(Importer):
    kind = "people"
    columns = PEOPLE_COLUMNS
    required = PEOPLE_REQUIRED

    def __init__(self, actor):
        super().__init__(actor)
        self.seen = {"nuptk": set(), "nip": set()}

    def clean_row(self, raw):
        if not any(str(raw.get(k) or "").strip() for k in ("nuptk", "nip")):
            raise FieldErrors(
                [
                    (
                        "nuptk",
                        _(
                            "Give the NUPTK or the NIP: one of them identifies "
                            "the person on re-import."
                        ),
                    )
                ]
            )
        return clean_person(raw, lookup=self.lookup)

    def process(self, chunk):
        good = []
        for number, data in self.clean(chunk):
            duplicate = False
            for key in ("nuptk", "nip"):
                if data[key] and data[key] in self.seen[key]:
                    self.out.error(
                        number,
                        self.column(key),
                        _("%(field)s %(value)s appears more than once in the file.")
                        % {"field": key.upper(), "value": data[key]},
                    )
                    duplicate = True
            if duplicate:
                continue
            for key in ("nuptk", "nip"):
                if data[key]:
                    self.seen[key].add(data[key])
            good.append((number, data))
        nuptks = [d["nuptk"] for _n, d in good if d["nuptk"]]
        nips = [d["nip"] for _n, d in good if d["nip"]]
        known = list(
            Person.objects.filter(Q(nuptk__in=nuptks) | Q(nip__in=nips)).prefetch_related(
                "subjects"
            )
        )
        by_nuptk = {p.nuptk: p for p in known if p.nuptk}
        by_nip = {p.nip: p for p in known if p.nip}
        fields = [f for f in PERSON_FIELDS if f in self.present]
        if "nip" in self.present:
            fields += [f for f in ("gender", "birth_date") if f not in fields]
        if "school" in self.present:
            fields += ["regency", *(["ministry"] if "ministry" not in fields else [])]
        creates, updates, subject_sets, entries = [], [], {}, []
        for number, data in good:
            matches = {
                p.pk: p
                for p in (by_nuptk.get(data["nuptk"]), by_nip.get(data["nip"]))
                if p is not None
            }
            if len(matches) > 1:
                self.out.error(
                    number,
                    self.column("nip"),
                    _("The NUPTK and the NIP belong to two different people."),
                )
                continue
            if not matches:
                person = Person(name_search=search_key(data["name"]))
                self._apply(person, data, PERSON_FIELDS)
                creates.append((person, data["subjects"]))
                continue
            person = next(iter(matches.values()))
            if not office_covers(
                self.actor, province_id=person.province_id, regency_id=person.regency_id
            ):
                self.out.error(
                    number,
                    self.column("name"),
                    _("This person is outside your area; you may not change them."),
                )
                continue
            before = audit.snapshot(person, fields)
            self._apply(person, data, fields)
            after = audit.snapshot(person, [f for f in fields if f != "subjects"])
            if "subjects" in fields:
                after["subjects"] = sorted(s.pk for s in data["subjects"])
            changes = audit.diff(before, after)
            if changes:
                person.name_search = search_key(person.name)
                updates.append(person)
                if "subjects" in changes:
                    subject_sets[person.pk] = data["subjects"]
                entries.append(
                    audit.entry(
                        actor=self.actor,
                        action="update",
                        obj=person,
                        changes=changes,
                        source="import",
                        province_id=person.province_id,
                        regency_id=person.regency_id,
                    )
                )
            else:
                self.out.unchanged += 1
        if self.out.error_count:
            return
        self._write(creates, updates, subject_sets, entries, fields)

    @staticmethod
    def _apply(person, data, fields):
        for name in fields:
            if name == "regency":
                person.regency_id, person.province_id = data["regency_id"], data["province_id"]
            elif name != "subjects":
                setattr(person, name, data[name])
        if "regency_id" in data and person.regency_id is None:
            person.regency_id, person.province_id = data["regency_id"], data["province_id"]

    def _write(self, creates, updates, subject_sets, entries, fields):
        through = Person.subjects.through
        Person.objects.bulk_create([p for p, _s in creates], batch_size=500)
        links = [
            through(person_id=p.pk, subject_id=s.pk) for p, subjects in creates for s in subjects
        ]
        for person, _subjects in creates:
            entries.append(
                audit.entry(
                    actor=self.actor,
                    action="create",
                    obj=person,
                    source="import",
                    changes=audit.diff(
                        {},
                        {
                            k: v
                            for k, v in audit.snapshot(
                                person, [f for f in PERSON_FIELDS if f != "subjects"]
                            ).items()
                        },
                    ),
                    province_id=person.province_id,
                    regency_id=person.regency_id,
                )
            )
        if updates:
            model_fields = [f for f in fields if f != "subjects"]
            if "regency" in model_fields:
                model_fields.append("province")
            Person.objects.bulk_update(updates, [*model_fields, "name_search"], batch_size=500)
        if subject_sets:
            through.objects.filter(person_id__in=list(subject_sets)).delete()
            links += [
                through(person_id=pk, subject_id=s.pk)
                for pk, subjects in subject_sets.items()
                for s in subjects
            ]
        through.objects.bulk_create(links, batch_size=1000)
        audit.AuditEntry.objects.bulk_create(entries, batch_size=500)
        self.out.created += len(creates)
        self.out.updated += len(updates)


# kind -> importer; other apps register theirs (communities: groups and memberships).
IMPORTERS: dict[str, type[Importer]] = {
    ImportRun.Kind.SCHOOLS: SchoolImporter,
    ImportRun.Kind.PEOPLE: PersonImporter,
}


def import_file(*, actor, kind: str, file, filename: str) -> ImportRun:
    """Run an import and keep its outcome (with the error report) as an ImportRun."""
    actor = actor_for(actor)
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
