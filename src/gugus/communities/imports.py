"""Importing working groups and memberships from the offices' spreadsheets.

Same contract as the directory imports: each row validated by the services the pages use,
errors by row and column, nothing written unless every row is valid, and a repeated upload
changes nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gugus.communities import services
from gugus.communities.models import Membership, WorkingGroup
from gugus.core import audit
from gugus.core.access import visible
from gugus.core.cleaning import clean_date, clean_text
from gugus.core.errors import DomainError, FieldErrors
from gugus.core.imports import Importer, register
from gugus.directory.imports import HEADER_ALIASES
from gugus.directory.selectors import person_by_identifier

GROUP_COLUMNS = {
    "jenis": "kind",
    "nama": "name",
    "kode_kabkota": "regency",
    "kode_provinsi": "province",
    "kementerian": "ministry",
    "jenjang": "jenjang",
    "mapel": "subject",
    "jenis_kombel": "kombel_mode",
    "npsn_sekolah": "school",
    "nomor_sk": "decree_number",
    "tanggal_sk": "decree_date",
    "penerbit_sk": "decree_office",
    "program_mulai": "programme_start_year",
    "program_sampai": "programme_end_year",
    "program_kerja": "programme_summary",
}
MEMBERSHIP_COLUMNS = {
    "id_kelompok": "group_id",
    "nama_kelompok": "group_name",
    "kode_kabkota": "regency",
    "nuptk": "nuptk",
    "nip": "nip",
    "mulai": "started_on",
}


@register
class GroupImporter(Importer):
    kind = "groups"
    label = gettext_lazy("Working groups")
    slug = "kelompok"
    aliases = HEADER_ALIASES
    columns = GROUP_COLUMNS
    required = {"jenis", "nama"}

    def __init__(self, actor):
        super().__init__(actor)
        self.seen: set[tuple] = set()

    def process(self, chunk):
        for number, raw in chunk:
            try:
                data = services.clean_group(raw)
            except FieldErrors as e:
                for d in e.details:
                    self.out.error(number, self.column(d["field"]), d["message"])
                continue
            regency = data["regency"]
            key = (
                data["kind"],
                data["name"].lower(),
                regency.pk if regency else None,
                data["province"].pk,
            )
            if key in self.seen:
                self.out.error(
                    number, self.column("name"), _("This group appears more than once in the file.")
                )
                continue
            self.seen.add(key)
            existing = WorkingGroup.objects.filter(
                kind=data["kind"],
                name__iexact=data["name"],
                regency=regency,
                province=data["province"],
            ).first()
            try:
                if existing is None:
                    services.group_create(actor=self.actor, data=raw, source="import")
                    self.out.created += 1
                    continue
                fields = [*services.GROUP_FIELDS, "status"]
                before = audit.snapshot(existing, fields)
                present = {k: v for k, v in raw.items() if k in self.present}
                updated = services.group_update(
                    actor=self.actor, group=existing, data=present, source="import"
                )
                changed = audit.snapshot(updated, fields) != before
                self.out.updated += changed
                self.out.unchanged += not changed
            except DomainError as e:
                self._refused(number, e, "regency")

    def _refused(self, number, error, column_field):
        if error.details:
            for d in error.details:
                self.out.error(number, self.column(d.get("field") or column_field), d["message"])
        else:
            self.out.error(
                number,
                self.column(error.field or column_field),
                _("This place is outside your area; you may not change it.")
                if error.code in ("forbidden", "not_found")
                else str(error.message),
            )


@register
class MembershipImporter(GroupImporter):
    kind = "memberships"
    label = gettext_lazy("Group memberships")
    slug = "anggota-kelompok"
    columns = MEMBERSHIP_COLUMNS
    required = {"mulai"}

    def _group(self, raw):
        groups = visible(self.actor, WorkingGroup)
        group_id, name = clean_text(raw.get("group_id")), clean_text(raw.get("group_name"))
        if group_id:
            return groups.filter(pk=group_id).first() if group_id.isdigit() else None
        if name:
            matches = groups.filter(name__iexact=name)
            if clean_text(raw.get("regency")):
                matches = matches.filter(regency_id=clean_text(raw.get("regency")))
            return matches.first() if matches.count() == 1 else None
        return None

    def process(self, chunk):
        for number, raw in chunk:
            group = self._group(raw)
            if group is None:
                self.out.error(
                    number,
                    self.column("group_id" if "group_id" in self.present else "group_name"),
                    _("No single working group in your scope matches."),
                )
                continue
            try:
                person = person_by_identifier(
                    self.actor, clean_text(raw.get("nuptk")), clean_text(raw.get("nip"))
                )
            except DomainError as e:
                field = "nuptk" if "nuptk" in self.present else "nip"
                self.out.error(number, self.column(field), str(e.message))
                continue
            problems = []
            started = clean_date(raw.get("started_on"), "started_on", problems)
            if problems:
                self.out.error(number, self.column("started_on"), problems[0][1])
                continue
            if (group.pk, person.pk) in self.seen:
                self.out.error(
                    number,
                    self.column("nuptk"),
                    _("This membership appears more than once in the file."),
                )
                continue
            self.seen.add((group.pk, person.pk))
            if Membership.objects.filter(
                group=group, person=person, ended_on__isnull=True
            ).exists():
                self.out.unchanged += 1
                continue
            try:
                services.membership_add(
                    actor=self.actor,
                    group=group,
                    person=person,
                    started_on=started,
                    source="import",
                )
                self.out.created += 1
            except DomainError as e:
                self._refused(number, e, "nuptk")
