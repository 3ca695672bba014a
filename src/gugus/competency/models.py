"""UKG results (teacher competency test) and their imports.

A result belongs to a person and a test event; scores are 0-100 with the pedagogik and
profesional components and, optionally, the ten competency groups A-J (Guru Pembelajar
modules). The person's region, school and level at the time of the test are kept on the
result so maps aggregate one table.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GROUPS = "abcdefghij"
SCORE = {"max_digits": 5, "decimal_places": 2}


def _in_range(name: str, nullable: bool = False) -> Q:
    within = Q(**{f"{name}__gte": 0, f"{name}__lte": 100})
    return within | Q(**{f"{name}__isnull": True}) if nullable else within


class UkgEvent(models.Model):
    """One sitting of the UKG (e.g. "UKG 2015"); results are unique per person and event."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    pass_mark = models.DecimalField(_("pass mark"), default=55, **SCORE)
    target = models.DecimalField(_("target"), default=70, **SCORE)
    # How the total is made of the two components, when the sitting publishes it (2015:
    # 0.3 × pedagogik + 0.7 × profesional); empty when the total is not checked.
    pedagogik_weight = models.DecimalField(
        _("weight of pedagogik"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    profesional_weight = models.DecimalField(
        _("weight of profesional"), max_digits=3, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("UKG event")
        verbose_name_plural = _("UKG events")
        ordering = ["-year", "code"]

    def __str__(self):
        return self.name

    @property
    def weights(self) -> tuple[Decimal, Decimal] | None:
        if self.pedagogik_weight is None or self.profesional_weight is None:
            return None
        return self.pedagogik_weight, self.profesional_weight

    def expected_total(self, pedagogik, profesional) -> Decimal | None:
        """The total the components imply, to two decimals; None without weights."""
        if self.weights is None:
            return None
        wp, wf = self.weights
        return (wp * Decimal(pedagogik) + wf * Decimal(profesional)).quantize(Decimal("0.01"))


# A total further than this from what its components imply is reported as an error.
TOTAL_TOLERANCE = Decimal("0.5")


class Result(models.Model):
    # Two indexes only, (person, event) and (event, place), which serve every query: each
    # further index would be one more tree to update per row of a million-row import.
    # No foreign-key triggers: on PostgreSQL each costs a trigger per row at commit (9 s
    # of a million-row import for these two). The import, the only writer, finds every
    # teacher by a join and holds the teacher's and the event's rows with one set-based
    # lock until it commits, which a deletion waits for; a deletion then removes (person)
    # or refuses over (event) the results it finds under that lock (signals.py).
    # Decision 0013.
    event = models.ForeignKey(
        UkgEvent,
        on_delete=models.PROTECT,
        related_name="results",
        db_index=False,
        db_constraint=False,
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.CASCADE,
        related_name="ukg_results",
        db_index=False,
        db_constraint=False,
    )
    # The subject and the import: checked by the ORM (PROTECT, SET_NULL) and the join.
    subject = models.ForeignKey(
        "directory.Subject",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    total = models.DecimalField(_("total score"), **SCORE)
    pedagogik = models.DecimalField(_("pedagogical"), **SCORE)
    profesional = models.DecimalField(_("professional"), **SCORE)
    group_a = models.DecimalField("A", null=True, blank=True, **SCORE)
    group_b = models.DecimalField("B", null=True, blank=True, **SCORE)
    group_c = models.DecimalField("C", null=True, blank=True, **SCORE)
    group_d = models.DecimalField("D", null=True, blank=True, **SCORE)
    group_e = models.DecimalField("E", null=True, blank=True, **SCORE)
    group_f = models.DecimalField("F", null=True, blank=True, **SCORE)
    group_g = models.DecimalField("G", null=True, blank=True, **SCORE)
    group_h = models.DecimalField("H", null=True, blank=True, **SCORE)
    group_i = models.DecimalField("I", null=True, blank=True, **SCORE)
    group_j = models.DecimalField("J", null=True, blank=True, **SCORE)
    # Where the person stood at the time of the test (for maps without joins).
    province_id = models.CharField(max_length=2)
    regency_id = models.CharField(max_length=5, blank=True)
    school_id = models.BigIntegerField(null=True, blank=True)
    jenjang = models.CharField(max_length=12, blank=True)
    imported_by = models.ForeignKey(
        "UkgImport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("UKG result")
        verbose_name_plural = _("UKG results")
        ordering = ["-event__year", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "event"], name="one_result_per_event"),
            models.CheckConstraint(
                name="ukg_scores_in_range",
                condition=_in_range("total") & _in_range("pedagogik") & _in_range("profesional"),
            ),
            models.CheckConstraint(
                name="ukg_groups_in_range",
                condition=_in_range("group_a", True)
                & _in_range("group_b", True)
                & _in_range("group_c", True)
                & _in_range("group_d", True)
                & _in_range("group_e", True)
                & _in_range("group_f", True)
                & _in_range("group_g", True)
                & _in_range("group_h", True)
                & _in_range("group_i", True)
                & _in_range("group_j", True),
            ),
        ]
        indexes = [models.Index(fields=["event", "province_id", "regency_id"])]

    def __str__(self):
        return f"{self.person_id} {self.event_id}: {self.total}"


def upload_path(instance, filename):
    return f"ukg/{timezone.now():%Y/%m}/{filename}"


class UkgImport(models.Model):
    """One uploaded file of results: queued, checked, written (or refused), with progress
    the page polls and an error report by row and column."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Checking and importing")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Rejected: nothing was written")
        FAILED = "failed", _("Failed")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all", _("Write nothing unless every row is valid")
        VALID_ROWS = "valid", _("Import the valid rows and report the rest")

    # Empty for an import run from the command line.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    event = models.ForeignKey(UkgEvent, on_delete=models.PROTECT, related_name="imports")
    # Empty when the command line read the file in place.
    file = models.FileField(_("file"), upload_to=upload_path, blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    mode = models.CharField(
        _("mode"), max_length=5, choices=Mode.choices, default=Mode.ALL_OR_NOTHING
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    phase = models.CharField(_("step"), max_length=40, blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    error_report = models.FileField(_("error report"), upload_to=upload_path, blank=True)
    message = models.TextField(_("message"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("UKG import")
        verbose_name_plural = _("UKG imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status in (self.Status.DONE, self.Status.REJECTED):
            return 100
        if not self.rows_total:
            return 0
        return min(99, round(100 * self.rows_read / self.rows_total))


class Staging(models.Model):
    """Rows of a file being imported, as the text the file holds, so memory stays flat
    however large the file: judged clean or not as they stream, the rest checked row by
    row, converted by SQL in the one statement that writes them, then deleted. Text, not
    numbers: the database's bulk path takes the cells unparsed; a column the file lacks
    stays NULL."""

    # The file's row within its job is the key: no counter, no index beyond it, and no
    # foreign-key check per row (the rows live only as long as the job's run).
    pk = models.CompositePrimaryKey("job", "row")
    job = models.ForeignKey(
        UkgImport,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    row = models.IntegerField()
    person_id = models.BigIntegerField(null=True)
    # Every cell matched the clean pattern as it streamed (see imports.Columns.clean).
    clean = models.BooleanField(default=False)
    nuptk = models.TextField(null=True)
    nip = models.TextField(null=True)
    subject = models.TextField(null=True)
    total = models.TextField(null=True)
    pedagogik = models.TextField(null=True)
    profesional = models.TextField(null=True)
    group_a = models.TextField(null=True)
    group_b = models.TextField(null=True)
    group_c = models.TextField(null=True)
    group_d = models.TextField(null=True)
    group_e = models.TextField(null=True)
    group_f = models.TextField(null=True)
    group_g = models.TextField(null=True)
    group_h = models.TextField(null=True)
    group_i = models.TextField(null=True)
    group_j = models.TextField(null=True)

    def __str__(self):
        return f"{self.job_id}:{self.row}"


class ImportIssue(models.Model):
    """One problem of one row of an import, for the error report (kept in the database so
    the report is ordered by row whatever the file's size)."""

    job = models.ForeignKey(UkgImport, on_delete=models.CASCADE, related_name="issues")
    row = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=60)
    # The column's place in the file: a row's problems are reported in the file's order.
    position = models.PositiveSmallIntegerField(default=0)
    value = models.CharField(_("value"), max_length=100, blank=True)
    message = models.CharField(_("problem"), max_length=300)

    class Meta:
        ordering = ["row", "position", "id"]  # the file's order, row by row
        indexes = [models.Index(fields=["job", "row"])]

    def __str__(self):
        return f"{self.row} {self.column}: {self.message}"


class Rollup(models.Model):
    """Precomputed statistics of one event for one place or group (and optionally one
    subject or level) and one score component, so any map reads a handful of rows."""

    class Level(models.TextChoices):
        NASIONAL = "nasional", _("National")
        PROVINSI = "provinsi", _("Province")
        KABKOTA = "kabkota", _("District/city")
        SEKOLAH = "sekolah", _("School")
        KELOMPOK = "kelompok", _("Working group")

    event = models.ForeignKey(UkgEvent, on_delete=models.CASCADE, related_name="rollups")
    level = models.CharField(max_length=10, choices=Level.choices)
    key = models.CharField(max_length=20, blank=True)  # region code, school or group id
    subject = models.CharField(max_length=40, blank=True)  # "" for every subject
    jenjang = models.CharField(max_length=12, blank=True)  # "" for every level
    component = models.CharField(max_length=12)  # total, pedagogik, profesional
    n = models.PositiveIntegerField()
    mean = models.DecimalField(**SCORE)
    median = models.DecimalField(**SCORE)
    below_pass = models.PositiveIntegerField()
    below_target = models.PositiveIntegerField()
    bins = models.JSONField(default=list)  # counts in [0,10), [10,20) ... [90,100]
    tracks = models.JSONField(default=dict)  # teachers per development track (total only)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "level", "key", "subject", "jenjang", "component"],
                name="one_rollup_per_cell",
            )
        ]
        indexes = [models.Index(fields=["level", "key", "component"])]

    def __str__(self):
        return f"{self.event_id} {self.level}:{self.key} {self.component} {self.mean}"

    @property
    def share_below_pass(self) -> float:
        return self.below_pass / self.n if self.n else 0.0

    @property
    def share_below_target(self) -> float:
        return self.below_target / self.n if self.n else 0.0

    @property
    def gap(self):
        return None if self.mean is None else max(self.event.target - self.mean, 0)


class TrainerChoice(models.Model):
    """An office's choice of a group's trainer: confirming the recommendation, or an
    override with its reason. Ended, not deleted, when replaced."""

    group = models.ForeignKey(
        "communities.WorkingGroup", on_delete=models.CASCADE, related_name="trainer_choices"
    )
    person = models.ForeignKey("directory.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10)  # confirmed, override
    reason = models.CharField(_("reason"), max_length=300)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_at = models.DateTimeField(default=timezone.now, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("trainer choice")
        verbose_name_plural = _("trainer choices")
        constraints = [
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(ended_at__isnull=True),
                name="one_current_trainer_choice",
            )
        ]

    def __str__(self):
        return f"{self.group_id}: {self.person_id} ({self.kind})"

    def end(self):
        self.ended_at = timezone.now()
        self.save(update_fields=["ended_at"])
