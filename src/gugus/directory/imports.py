"""Importing schools and people from CSV or XLSX, all or nothing, on the import
machinery of `core.imports`: every row is validated by the same `clean_*` functions the
forms and API use."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gugus.core import audit
from gugus.core.changes import mark_places
from gugus.core.imports import Importer, register
from gugus.directory.models import Person, School
from gugus.directory.services import (
    PERSON_FIELDS,
    SCHOOL_FIELDS,
    FieldErrors,
    Lookup,
    clean_person,
    clean_school,
    search_key,
)

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


class DirectoryImporter(Importer):
    """Schools and people: rows cleaned by `clean_school` / `clean_person`, which share
    one lookup of regions, schools and subjects across the file."""

    aliases = HEADER_ALIASES

    def __init__(self, actor):
        super().__init__(actor)
        self.lookup = Lookup()


@register
class SchoolImporter(DirectoryImporter):
    kind = "schools"
    label = gettext_lazy("Schools")
    slug = "sekolah"
    scope_field = "district"
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
        creates, updates, entries, moved_from = [], [], [], []
        fields = [f for f in SCHOOL_FIELDS if f in self.present or f == "ministry"]
        for number, data in good:
            school = existing.get(data["npsn"])
            if school is None:
                creates.append(School(**data))
                continue
            reason = self.refusal(
                province_id=school.province_id,
                regency_id=school.regency_id,
                ministry=school.ministry,
            )
            if reason:
                self.out.error(number, self.column("npsn"), reason)
                continue
            before = audit.snapshot(school, fields)
            origin = (school.province_id, school.regency_id)
            for name in fields:
                setattr(school, name, data[name])
            if "district" in fields:
                school.regency_id, school.province_id = data["regency_id"], data["province_id"]
            changes = audit.diff(before, audit.snapshot(school, fields))
            if changes:
                updates.append(school)
                moved_from.append(origin)
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
        mark_places([*moved_from, *((s.province_id, s.regency_id) for s in creates + updates)])
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


@register
class PersonImporter(DirectoryImporter):
    kind = "people"
    label = gettext_lazy("People (teachers, heads, supervisors)")
    slug = "ptk"
    scope_field = "school"
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
        creates, updates, subject_sets, entries, moved_from = [], [], {}, [], []
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
            reason = self.refusal(
                province_id=person.province_id,
                regency_id=person.regency_id,
                ministry=person.ministry,
            )
            if reason:
                self.out.error(number, self.column("name"), reason)
                continue
            before = audit.snapshot(person, fields)
            origin = (person.province_id, person.regency_id)
            self._apply(person, data, fields)
            after = audit.snapshot(person, [f for f in fields if f != "subjects"])
            if "subjects" in fields:
                after["subjects"] = sorted(s.pk for s in data["subjects"])
            changes = audit.diff(before, after)
            if changes:
                person.name_search = search_key(person.name)
                updates.append(person)
                moved_from.append(origin)
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
        now = [(p.province_id, p.regency_id) for p in [*(p for p, _s in creates), *updates]]
        mark_places([*moved_from, *now])
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
