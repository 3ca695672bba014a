from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gugus.directory.models import Jenjang, Ministry


def group_document_path(instance, filename):
    return f"groups/{instance.pk or 'new'}/{filename}"


def evidence_path(instance, filename):
    return f"activities/{instance.activity_id}/{filename}"


class WorkingGroup(models.Model):
    """A kelompok kerja or learning community, registered so its work can be measured."""

    class Kind(models.TextChoices):
        KKG = "kkg", "KKG"
        MGMP = "mgmp", "MGMP"
        MGBK = "mgbk", "MGBK"
        KKM = "kkm", "KKM"
        KKKS = "kkks", "KKKS"
        POKJAWAS = "pokjawas", "Pokjawas"
        KKPS = "kkps", "KKPS"
        KOMBEL = "kombel", _("Learning community (kombel)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for verification")
        VERIFIED = "verified", _("Verified by the office")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        DISSOLVED = "dissolved", _("Dissolved")

    class KombelMode(models.TextChoices):
        SCHOOL = "sekolah", _("Inside one school")
        ACROSS = "antarsekolah", _("Across schools")
        ONLINE = "daring", _("Online")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    ministry = models.CharField(
        _("ministry"), max_length=12, choices=Ministry.choices, default=Ministry.KEMENDIKBUD
    )
    province = models.ForeignKey(
        "directory.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="working_groups",
    )
    regency = models.ForeignKey(
        "directory.Regency",
        verbose_name=_("district/city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="working_groups",
        help_text=_("Empty for a province-wide group."),
    )
    jenjang = models.CharField(_("level"), max_length=8, choices=Jenjang.choices, blank=True)
    subject = models.ForeignKey(
        "directory.Subject",
        verbose_name=_("subject"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="working_groups",
    )
    kombel_mode = models.CharField(
        _("learning community kind"), max_length=12, choices=KombelMode.choices, blank=True
    )
    school = models.ForeignKey(
        "directory.School",
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="working_groups",
        help_text=_("Only for a learning community inside one school."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    decree_number = models.CharField(_("decree (SK) number"), max_length=100, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    decree_office = models.CharField(_("issuing office"), max_length=200, blank=True)
    decree_file = models.FileField(_("decree (PDF)"), upload_to=group_document_path, blank=True)
    statutes_file = models.FileField(
        _("statutes (AD/ART, PDF)"), upload_to=group_document_path, blank=True
    )
    programme_start_year = models.PositiveSmallIntegerField(
        _("work programme from (year)"), null=True, blank=True
    )
    programme_end_year = models.PositiveSmallIntegerField(
        _("work programme until (year)"), null=True, blank=True
    )
    programme_summary = models.TextField(_("work programme"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_note = models.TextField(_("note on the last status change"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Denormalised from the latest activeness snapshot, so directories filter and sort
    # by it without a join.
    activeness_level = models.CharField(_("activeness"), max_length=12, blank=True, db_index=True)
    activeness_score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["regency", "kind"]),
            models.Index(fields=["province", "kind"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="group_programme_years_in_order",
                condition=models.Q(programme_start_year__isnull=True)
                | models.Q(programme_end_year__isnull=True)
                | models.Q(programme_end_year__gte=models.F("programme_start_year")),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def audit_region(self) -> dict:
        """Where an audit entry about it is filed (offices read their region's log)."""
        return {"province_id": self.province_id or "", "regency_id": self.regency_id or ""}


class Membership(models.Model):
    """A person's membership of a group; ended memberships stay as history."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="memberships"
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_membership_per_group",
            )
        ]
        indexes = [models.Index(fields=["person", "ended_on"])]

    def __str__(self):
        return f"{self.person} — {self.group}"


class Officer(models.Model):
    """An office in a group's board (kepengurusan)."""

    class Position(models.TextChoices):
        PEMBINA = "pembina", _("Patron (pembina)")
        KETUA = "ketua", _("Chair (ketua)")
        SEKRETARIS = "sekretaris", _("Secretary (sekretaris)")
        BENDAHARA = "bendahara", _("Treasurer (bendahara)")
        BIDANG = "bidang", _("Section head (bidang)")

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="officers")
    person = models.ForeignKey("directory.Person", on_delete=models.CASCADE, related_name="offices")
    position = models.CharField(_("position"), max_length=12, choices=Position.choices)
    section = models.CharField(_("section"), max_length=100, blank=True)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "position"],
                condition=models.Q(ended_on__isnull=True)
                & models.Q(position__in=["pembina", "ketua", "sekretaris", "bendahara"]),
                name="one_open_officer_per_position",
            )
        ]

    def __str__(self):
        return f"{self.get_position_display()}: {self.person}"


class Activity(models.Model):
    """Anything a group does together; In and On sessions are kinds of activity."""

    class Kind(models.TextChoices):
        MEETING = "pertemuan", _("Regular meeting")
        WORKSHOP = "workshop", _("Workshop")
        PEER_OBSERVATION = "observasi", _("Peer observation")
        GOOD_PRACTICE = "praktik_baik", _("Sharing good practice")
        IN = "in", _("In session (learning together)")
        ON = "on", _("On session (practice at school)")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    topic = models.CharField(_("topic"), max_length=200)
    date = models.DateField(_("date"))
    duration_jp = models.PositiveSmallIntegerField(
        _("duration (JP, 45 minutes)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    facilitators = models.ManyToManyField(
        "directory.Person",
        verbose_name=_("facilitators / resource persons"),
        blank=True,
        related_name="facilitated_activities",
    )
    external_facilitators = models.CharField(
        _("other resource persons"), max_length=300, blank=True
    )
    learning_problem = models.TextField(_("students' learning problem addressed"), blank=True)
    reflects_on = models.ForeignKey(
        "self",
        verbose_name=_("reflects on (On session)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reflections",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["group", "status", "date"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.topic}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "hadir", _("Present")
        EXCUSED = "izin", _("Excused")
        ABSENT = "absen", _("Absent")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(_("attendance"), max_length=6, choices=Status.choices)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="one_attendance_each")
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self):
        return f"{self.person}: {self.get_status_display()}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "foto", _("Photo")
        MINUTES = "notulen", _("Minutes")
        DOCUMENT = "dokumen", _("Document")
        STUDENT_WORK = "karya", _("Student work")
        OBSERVATION = "observasi", _("Observation notes")

    # What shows an On took place in a classroom (DOMAIN.md §3: practice at school).
    CLASSROOM = frozenset({Kind.OBSERVATION, Kind.STUDENT_WORK, Kind.PHOTO})

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=evidence_path)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class ActivenessSnapshot(models.Model):
    """A group's measured activeness for one month, over the months before it."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="activeness")
    month = models.DateField(_("month"), help_text=_("First day of the month measured."))
    score = models.PositiveSmallIntegerField(_("score"))
    level = models.CharField(_("level"), max_length=12)
    metrics = models.JSONField(_("measures"), default=dict)
    reasons = models.JSONField(_("reasons"), default=list)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("activeness")
        verbose_name_plural = _("activeness")
        ordering = ["group_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["group", "month"], name="one_snapshot_per_month")
        ]

    def __str__(self):
        return f"{self.group} {self.month:%Y-%m}: {self.level}"
