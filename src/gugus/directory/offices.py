"""The offices of each place and ministry (DOMAIN.md §1), named as people name them.

Every kab/kota has a Dinas Pendidikan and a Kantor Kemenag, every province a Dinas
Pendidikan provinsi and a Kanwil Kemenag, the nation Ditjen GTK and Ditjen Pendis; a
BBGP/BGP serves one or more provinces. `standard_office` finds or creates the one of a
place, so roles, demo data and imports name the same office.
"""

from __future__ import annotations

from gugus.core.roles import OFFICE_RULES, Ministry, OfficeKind, ScopeLevel
from gugus.directory.models import Office, Province, Regency

# The office of each ministry at each level (the BBGP/BGP is created by name, not by place).
OFFICE_OF = {
    (Ministry.KEMENDIKBUD, ScopeLevel.KABKOTA): OfficeKind.DINAS_KABKOTA,
    (Ministry.KEMENDIKBUD, ScopeLevel.PROVINSI): OfficeKind.DINAS_PROVINSI,
    (Ministry.KEMENDIKBUD, ScopeLevel.NASIONAL): OfficeKind.DITJEN_GTK,
    (Ministry.KEMENAG, ScopeLevel.KABKOTA): OfficeKind.KANKEMENAG,
    (Ministry.KEMENAG, ScopeLevel.PROVINSI): OfficeKind.KANWIL,
    (Ministry.KEMENAG, ScopeLevel.NASIONAL): OfficeKind.DITJEN_PENDIS,
}

NAMES = {
    OfficeKind.DINAS_KABKOTA: "Dinas Pendidikan {place}",
    OfficeKind.DINAS_PROVINSI: "Dinas Pendidikan Provinsi {place}",
    OfficeKind.BBGP: "BBGP {place}",
    OfficeKind.DITJEN_GTK: "Direktorat Jenderal GTK",
    OfficeKind.KANKEMENAG: "Kantor Kementerian Agama {place}",
    OfficeKind.KANWIL: "Kanwil Kementerian Agama Provinsi {place}",
    OfficeKind.DITJEN_PENDIS: "Direktorat Jenderal Pendidikan Islam",
}


def standard_office(
    kind: str, *, province: Province | None = None, regency: Regency | None = None
) -> Office:
    """The office of `kind` for a place, created the first time it is asked for."""
    level = OFFICE_RULES[kind].level
    if level == ScopeLevel.KABKOTA:
        province, place = regency.province, regency.name
    elif level == ScopeLevel.PROVINSI:
        regency, place = None, province.name
    else:
        province = regency = None
        place = ""
    office, _created = Office.objects.get_or_create(
        kind=kind,
        province=province,
        regency=regency,
        defaults={"name": NAMES[kind].format(place=place)},
    )
    return office


def office_of(ministry: str, *, province=None, regency=None) -> Office:
    """The ministry's office for the most local place given (a kab/kota, else a province,
    else the nation)."""
    level = (
        ScopeLevel.KABKOTA
        if regency is not None
        else ScopeLevel.PROVINSI
        if province is not None
        else ScopeLevel.NASIONAL
    )
    return standard_office(OFFICE_OF[(ministry, level)], province=province, regency=regency)
