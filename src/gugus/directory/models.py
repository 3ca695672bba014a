from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from gugus.core.roles import OFFICE_RULES, Ministry, OfficeKind, ScopeLevel
from gugus.directory.identifiers import validate_nip, validate_npsn, validate_nuptk


class Province(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    population = models.PositiveBigIntegerField(_("population"), default=0)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=12, decimal_places=3, default=0)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Regency(models.Model):
    """Kabupaten or kota: the unit every record with a place belongs to."""

    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Regency (kabupaten)")
        KOTA = "kota", _("City (kota)")

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="regencies"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    population = models.PositiveBigIntegerField(_("population"), default=0)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=12, decimal_places=3, default=0)

    class Meta:
        verbose_name = _("district/city")
        verbose_name_plural = _("districts/cities")
        ordering = ["code"]

    def __str__(self):
        return self.name


class District(models.Model):
    """Kecamatan."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    regency = models.ForeignKey(
        Regency, verbose_name=_("district/city"), on_delete=models.PROTECT, related_name="districts"
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("sub-district (kecamatan)")
        verbose_name_plural = _("sub-districts (kecamatan)")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Office(models.Model):
    """A government office that runs PKB (DOMAIN.md §1). Its kind fixes its ministry and
    level; a role assignment belongs to one office, so its ministry and region follow."""

    kind = models.CharField(_("kind"), max_length=16, choices=OfficeKind.choices)
    name = models.CharField(_("name"), max_length=200)
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offices",
        help_text=_("Empty for a national directorate."),
    )
    regency = models.ForeignKey(
        Regency,
        verbose_name=_("district/city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offices",
        help_text=_("Only for a kab/kota office."),
    )
    serves = models.ManyToManyField(
        Province,
        verbose_name=_("provinces served"),
        blank=True,
        related_name="+",
        help_text=_("A BBGP/BGP may serve several provinces; empty: its own."),
    )

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                name="office_place_fits_its_level",
                condition=(
                    models.Q(
                        kind__in=[
                            k for k, r in OFFICE_RULES.items() if r.level == ScopeLevel.NASIONAL
                        ],
                        province__isnull=True,
                        regency__isnull=True,
                    )
                    | models.Q(
                        kind__in=[
                            k for k, r in OFFICE_RULES.items() if r.level == ScopeLevel.PROVINSI
                        ],
                        province__isnull=False,
                        regency__isnull=True,
                    )
                    | models.Q(
                        kind__in=[
                            k for k, r in OFFICE_RULES.items() if r.level == ScopeLevel.KABKOTA
                        ],
                        province__isnull=False,
                        regency__isnull=False,
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["kind", "province", "regency", "name"], name="office_unique_per_place"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def ministry(self) -> str:
        return OFFICE_RULES[self.kind].ministry

    @property
    def level(self) -> str:
        return OFFICE_RULES[self.kind].level

    @property
    def governs(self) -> bool:
        return OFFICE_RULES[self.kind].governs

    def provinces_served(self) -> list[str]:
        """The provinces a province-level office covers: a BBGP/BGP its listed ones."""
        served = [p.pk for p in self.serves.all()] if self.kind == OfficeKind.BBGP else []
        return served or ([self.province_id] if self.province_id else [])


class Jenjang(models.TextChoices):
    PAUD_TK = "paud_tk", "PAUD/TK"
    SD = "sd", "SD"
    SMP = "smp", "SMP"
    SMA = "sma", "SMA"
    SMK = "smk", "SMK"
    SLB = "slb", "SLB"
    RA = "ra", "RA"
    MI = "mi", "MI"
    MTS = "mts", "MTs"
    MA = "ma", "MA"
    MAK = "mak", "MAK"


KEMENAG_JENJANG = {Jenjang.RA, Jenjang.MI, Jenjang.MTS, Jenjang.MA, Jenjang.MAK}


def ministry_of(jenjang: str) -> str:
    return Ministry.KEMENAG if jenjang in KEMENAG_JENJANG else Ministry.KEMENDIKBUD


class Subject(models.Model):
    """A subject of the catalogue ('guru kelas' counts as one for class teachers)."""

    code = models.SlugField(_("code"), max_length=40, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    ministry = models.CharField(
        _("ministry"),
        max_length=12,
        choices=Ministry.choices,
        blank=True,
        help_text=_("Empty when taught in both schools and madrasah."),
    )

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["name"]

    def __str__(self):
        return self.name


class School(models.Model):
    """Satuan pendidikan: a school or madrasah, identified by its NPSN."""

    class Status(models.TextChoices):
        NEGERI = "negeri", _("Public (negeri)")
        SWASTA = "swasta", _("Private (swasta)")

    npsn = models.CharField("NPSN", max_length=8, unique=True, validators=[validate_npsn])
    name = models.CharField(_("name"), max_length=200)
    jenjang = models.CharField(_("level"), max_length=8, choices=Jenjang.choices)
    ministry = models.CharField(_("ministry"), max_length=12, choices=Ministry.choices)
    status = models.CharField(_("status"), max_length=6, choices=Status.choices)
    district = models.ForeignKey(
        District, verbose_name=_("sub-district"), on_delete=models.PROTECT, related_name="schools"
    )
    # Denormalised from the district so scoping filters use one indexed column.
    regency = models.ForeignKey(
        Regency, verbose_name=_("district/city"), on_delete=models.PROTECT, related_name="schools"
    )
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="schools"
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["regency", "name"]),
            models.Index(fields=["province", "name"]),
            models.Index(Lower("name"), name="school_name_lower"),
        ]

    def __str__(self):
        return f"{self.name} ({self.npsn})"


class Gender(models.TextChoices):
    L = "L", _("Male")
    P = "P", _("Female")


class Position(models.TextChoices):
    """A person's main position (jabatan)."""

    GURU = "guru", _("Teacher")
    GURU_BK = "guru_bk", _("Guidance counsellor (guru BK)")
    KEPALA = "kepala", _("School head")
    PENGAWAS = "pengawas", _("Supervisor")
    WIDYAISWARA = "widyaiswara", _("Widyaiswara (BBGP/BGP trainer)")


class Person(models.Model):
    """A teacher, head, supervisor or trainer (PTK/GTK). Personal data: see DOMAIN.md §8."""

    name = models.CharField(_("name"), max_length=150)
    name_search = models.CharField(max_length=150, editable=False, db_index=True)
    nuptk = models.CharField(
        "NUPTK", max_length=16, unique=True, null=True, blank=True, validators=[validate_nuptk]
    )
    nip = models.CharField(
        "NIP", max_length=18, unique=True, null=True, blank=True, validators=[validate_nip]
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    position = models.CharField(_("position"), max_length=12, choices=Position.choices)
    # Follows the school; chosen for supervisors and trainers who have none (a Kemenag
    # supervisor belongs to a Pokjawas, a Kemendikbud one to a KKPS).
    ministry = models.CharField(
        _("ministry"), max_length=12, choices=Ministry.choices, default=Ministry.KEMENDIKBUD
    )
    is_instruktur_nasional = models.BooleanField(_("national instructor (IN)"), default=False)
    is_narasumber = models.BooleanField(_("resource person (narasumber)"), default=False)
    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    regency = models.ForeignKey(
        Regency, verbose_name=_("district/city"), on_delete=models.PROTECT, related_name="people"
    )
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="people"
    )
    subjects = models.ManyToManyField(
        Subject, verbose_name=_("subjects taught"), blank=True, related_name="teachers"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_search", "id"]
        indexes = [
            models.Index(fields=["regency", "name_search"]),
            models.Index(fields=["province", "name_search"]),
            models.Index(fields=["school", "name_search"]),
        ]

    def __str__(self):
        return self.name

    @property
    def roles_display(self) -> list[str]:
        labels = [self.get_position_display()]
        if self.is_instruktur_nasional:
            labels.append(str(_("National instructor")))
        if self.is_narasumber:
            labels.append(str(_("Resource person")))
        return labels


def correction_evidence_path(instance, filename):
    return f"corrections/{instance.person_id}/{filename}"


class CorrectionRequest(models.Model):
    """A person asks the office in scope to fix wrong data about themselves."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="corrections"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    changes = models.JSONField(_("requested changes"))
    reason = models.TextField(_("reason"))
    evidence = models.FileField(_("evidence"), upload_to=correction_evidence_path, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self):
        return f"{self.person} #{self.pk}"


class PersonAccessLog(models.Model):
    """Bulk reads of personal data (exports, large lists) are logged (UU 27/2022)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=100)
    rows = models.PositiveIntegerField(validators=[MinValueValidator(0)])
    filters = models.JSONField(default=dict)
    # Where the reader works (their role's region), so that office's administrator sees it.
    province_id = models.CharField(max_length=2, blank=True, db_index=True)
    regency_id = models.CharField(max_length=5, blank=True, db_index=True)

    class Meta:
        verbose_name = _("personal-data access")
        verbose_name_plural = _("personal-data access log")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.what}"
