"""The roles users hold and the scope each role's assignment is tied to.

Shared vocabulary: the accounts app stores assignments, the scoping layer interprets them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScopeLevel(models.TextChoices):
    NASIONAL = "nasional", _("National")
    PROVINSI = "provinsi", _("Province")
    KABKOTA = "kabkota", _("District/city")
    SEKOLAH = "sekolah", _("School")
    KELOMPOK = "kelompok", _("Working group")


class Role(models.TextChoices):
    ADMIN_PUSAT = "admin_pusat", _("National administrator")
    ADMIN_PROVINSI = "admin_provinsi", _("Province administrator (incl. BBGP/BGP)")
    ADMIN_KABKOTA = "admin_kabkota", _("District/city administrator")
    KEPALA_SEKOLAH = "kepala_sekolah", _("School head")
    PENGAWAS = "pengawas", _("Supervisor")
    KETUA_KELOMPOK = "ketua_kelompok", _("Working-group chair")
    GURU = "guru", _("Teacher")
    NARASUMBER = "narasumber", _("Resource person")


# Which scope levels an assignment of each role may carry.
ROLE_SCOPE_LEVELS: dict[str, tuple[str, ...]] = {
    Role.ADMIN_PUSAT: (ScopeLevel.NASIONAL,),
    Role.ADMIN_PROVINSI: (ScopeLevel.PROVINSI,),
    Role.ADMIN_KABKOTA: (ScopeLevel.KABKOTA,),
    Role.KEPALA_SEKOLAH: (ScopeLevel.SEKOLAH,),
    Role.PENGAWAS: (ScopeLevel.KABKOTA, ScopeLevel.SEKOLAH),
    Role.KETUA_KELOMPOK: (ScopeLevel.KELOMPOK,),
    Role.GURU: (ScopeLevel.SEKOLAH,),
    Role.NARASUMBER: (ScopeLevel.NASIONAL, ScopeLevel.PROVINSI, ScopeLevel.KABKOTA),
}

# Offices: the roles that change directory data and manage other users' roles.
OFFICE_ROLES = (Role.ADMIN_PUSAT, Role.ADMIN_PROVINSI, Role.ADMIN_KABKOTA)

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
