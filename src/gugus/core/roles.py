"""The roles users hold and the scope each role's assignment is tied to.

Shared vocabulary: the accounts app stores assignments, the scoping layer interprets them.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Ministry(models.TextChoices):
    """The two ministries that govern PKB side by side (DOMAIN.md §1)."""

    KEMENDIKBUD = "kemendikbud", _("Kemendikbud (schools)")
    KEMENAG = "kemenag", _("Kemenag (madrasah)")


class ScopeLevel(models.TextChoices):
    NASIONAL = "nasional", _("National")
    PROVINSI = "provinsi", _("Province")
    KABKOTA = "kabkota", _("District/city")
    SEKOLAH = "sekolah", _("School")
    KELOMPOK = "kelompok", _("Working group")


class Role(models.TextChoices):
    ADMIN_PUSAT = "admin_pusat", _("National administrator")
    ADMIN_PROVINSI = "admin_provinsi", _("Province office administrator")
    ADMIN_KABKOTA = "admin_kabkota", _("District/city office administrator")
    KEPALA_SEKOLAH = "kepala_sekolah", _("School head")
    PENGAWAS = "pengawas", _("Supervisor")
    KETUA_KELOMPOK = "ketua_kelompok", _("Working-group chair")
    GURU = "guru", _("Teacher")
    NARASUMBER = "narasumber", _("Resource person")


class OfficeKind(models.TextChoices):
    DINAS_KABKOTA = "dinas_kabkota", _("Dinas Pendidikan kab/kota")
    DINAS_PROVINSI = "dinas_provinsi", _("Dinas Pendidikan provinsi")
    BBGP = "bbgp", _("BBGP/BGP (teacher-development centre)")
    DITJEN_GTK = "ditjen_gtk", _("Ditjen GTK")
    KANKEMENAG = "kankemenag", _("Kantor Kemenag kab/kota")
    KANWIL = "kanwil", _("Kanwil Kemenag provinsi")
    DITJEN_PENDIS = "ditjen_pendis", _("Ditjen Pendidikan Islam")


@dataclass(frozen=True)
class OfficeRule:
    ministry: str
    level: str
    # Whether the office governs: registers and verifies groups, decides directory data,
    # appoints roles, owns grant programmes and reviews them. A BBGP/BGP is a development
    # centre serving provinces: it oversees what the Dinas governs, and trains.
    governs: bool = True


OFFICE_RULES: dict[str, OfficeRule] = {
    OfficeKind.DINAS_KABKOTA: OfficeRule(Ministry.KEMENDIKBUD, ScopeLevel.KABKOTA),
    OfficeKind.DINAS_PROVINSI: OfficeRule(Ministry.KEMENDIKBUD, ScopeLevel.PROVINSI),
    OfficeKind.BBGP: OfficeRule(Ministry.KEMENDIKBUD, ScopeLevel.PROVINSI, governs=False),
    OfficeKind.DITJEN_GTK: OfficeRule(Ministry.KEMENDIKBUD, ScopeLevel.NASIONAL),
    OfficeKind.KANKEMENAG: OfficeRule(Ministry.KEMENAG, ScopeLevel.KABKOTA),
    OfficeKind.KANWIL: OfficeRule(Ministry.KEMENAG, ScopeLevel.PROVINSI),
    OfficeKind.DITJEN_PENDIS: OfficeRule(Ministry.KEMENAG, ScopeLevel.NASIONAL),
}

# A supervisor's title follows the ministry of the office they belong to.
SUPERVISOR_TITLES = {
    Ministry.KEMENDIKBUD: _("School supervisor (pengawas sekolah)"),
    Ministry.KEMENAG: _("Madrasah/PAI supervisor (pengawas madrasah/PAI)"),
}


# Which scope levels an assignment of each role may carry.
ROLE_SCOPE_LEVELS: dict[str, tuple[str, ...]] = {
    Role.ADMIN_PUSAT: (ScopeLevel.NASIONAL,),
    Role.ADMIN_PROVINSI: (ScopeLevel.PROVINSI,),
    Role.ADMIN_KABKOTA: (ScopeLevel.KABKOTA,),
    Role.KEPALA_SEKOLAH: (ScopeLevel.SEKOLAH,),
    Role.PENGAWAS: (ScopeLevel.PROVINSI, ScopeLevel.KABKOTA, ScopeLevel.SEKOLAH),
    Role.KETUA_KELOMPOK: (ScopeLevel.KELOMPOK,),
    Role.GURU: (ScopeLevel.SEKOLAH,),
    Role.NARASUMBER: (ScopeLevel.NASIONAL, ScopeLevel.PROVINSI, ScopeLevel.KABKOTA),
}

# Offices: the roles that change directory data and manage other users' roles.
OFFICE_ROLES = (Role.ADMIN_PUSAT, Role.ADMIN_PROVINSI, Role.ADMIN_KABKOTA)

# The office level each administrator role belongs to.
OFFICE_ROLE_LEVELS = {
    Role.ADMIN_PUSAT: ScopeLevel.NASIONAL,
    Role.ADMIN_PROVINSI: ScopeLevel.PROVINSI,
    Role.ADMIN_KABKOTA: ScopeLevel.KABKOTA,
}

# Roles held on behalf of an office, whose ministry and region they carry: the
# administrators and the supervisors (a pengawas is appointed by an office of one ministry).
OFFICE_BOUND_ROLES = (*OFFICE_ROLES, Role.PENGAWAS)

# Roles that see every person and school inside their scope (read only unless office).
OVERSIGHT_ROLES = (*OFFICE_ROLES, Role.KEPALA_SEKOLAH, Role.PENGAWAS)

# Rank decides which roles an office may hand out: only roles ranked below its own.
ROLE_RANK = {
    Role.ADMIN_PUSAT: 0,
    Role.ADMIN_PROVINSI: 1,
    Role.ADMIN_KABKOTA: 2,
    Role.KEPALA_SEKOLAH: 3,
    Role.PENGAWAS: 3,
    Role.KETUA_KELOMPOK: 4,
    Role.NARASUMBER: 4,
    Role.GURU: 5,
}
