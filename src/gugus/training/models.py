"""Training and mentoring (DOMAIN.md §7): events run by a centre, an office or a group,
with venues, sessions and facilitators; quotas per kab/kota and level group and the
offices' nominations within them; check-in per session, test scores and the participants'
evaluation; follow-up mentoring, cascading to nearby schools, and certificates anyone can
verify."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gugus.core.roles import Ministry
from gugus.training.rules import LevelGroup

SCORE = {"max_digits": 5, "decimal_places": 2}


def material_path(instance, filename):
    return f"training/{instance.event_id}/materials/{filename}"


def cascade_path(instance, filename):
    return f"training/cascades/{filename}"


def certificate_path(instance, filename):
    return f"training/certificates/{filename}"


class Event(models.Model):
    """One training, workshop, study visit, bimtek or mentoring round."""

    class Kind(models.TextChoices):
        TRAINING = "pelatihan", _("Training")
        WORKSHOP = "workshop", _("Workshop")
        STUDY_VISIT = "kunjungan", _("Study visit")
        BIMTEK = "bimtek", _("Technical guidance (bimtek)")
        MENTORING = "pendampingan", _("Mentoring")

    class Mode(models.TextChoices):
        IN_PERSON = "luring", _("In person")
        ONLINE = "daring", _("Online")
        BLENDED = "kombinasi", _("Blended")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        NOMINATING = "nominating", _("Open for nominations")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    phase = models.PositiveSmallIntegerField(_("phase"), null=True, blank=True)
    ministry = models.CharField(_("ministry"), max_length=12, choices=Ministry.choices)
    # The organiser: an office (a BBGP, a Dinas, a Kemenag office) or a working group.
    office = models.ForeignKey(
        "directory.Office",
        verbose_name=_("organising office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    group = models.ForeignKey(
        "communities.WorkingGroup",
        verbose_name=_("organising group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The region the participants come from: neither set for a national event.
    province = models.ForeignKey(
        "directory.Province",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    regency = models.ForeignKey(
        "directory.Regency",
        verbose_name=_("district/city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    capacity = models.PositiveIntegerField(_("capacity"))
    jp = models.PositiveSmallIntegerField(_("hours (JP)"))
    # Who may take part: positions (kepala, guru, pengawas…) and level groups.
    positions = models.JSONField(_("positions"), default=list)
    level_groups = models.JSONField(_("level groups"), default=list, blank=True)
    nominations_close = models.DateField(_("nominations close on"), null=True, blank=True)
    # Completion: the share of sessions attended and, when set, the post-test score.
    min_attendance = models.PositiveSmallIntegerField(_("attendance needed (%)"), default=80)
    pass_score = models.DecimalField(_("post-test pass score"), null=True, blank=True, **SCORE)
    certificate_prefix = models.CharField(_("certificate number prefix"), max_length=30)
    follows = models.ForeignKey(
        "self",
        verbose_name=_("follows (mentoring after a training)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Bumped by every save of the event's form, so a save made on an older reading is told.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                name="event_ends_after_it_starts",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="event_has_one_organiser",
                condition=models.Q(office__isnull=False, group__isnull=True)
                | models.Q(office__isnull=True, group__isnull=False),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def audit_region(self) -> dict:
        province = self.province_id or (self.regency.province_id if self.regency_id else "")
        return {"province_id": province or "", "regency_id": self.regency_id or ""}

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class Venue(models.Model):
    """A place the event is held at; a large event uses several at once."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=255, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["event_id", "id"]

    def __str__(self):
        return self.name


class Facilitator(models.Model):
    """Who leads: a widyaiswara in tandem with a practitioner (a teacher or a head)."""

    class Kind(models.TextChoices):
        WIDYAISWARA = "widyaiswara", _("Widyaiswara")
        PRACTITIONER = "praktisi", _("Practitioner")
        RESOURCE = "narasumber", _("Resource person")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="facilitators")
    person = models.ForeignKey("directory.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    venue = models.ForeignKey(
        Venue, null=True, blank=True, on_delete=models.SET_NULL, related_name="facilitators"
    )

    class Meta:
        verbose_name = _("facilitator")
        verbose_name_plural = _("facilitators")
        ordering = ["event_id", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="facilitator_once")]

    def __str__(self):
        return f"{self.person} ({self.get_kind_display()})"


class Session(models.Model):
    """One session participants check in to (a day or a half-day)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["event_id", "date", "starts"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"


class Material(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=material_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["event_id", "id"]

    def __str__(self):
        return self.title


class Quota(models.Model):
    """Seats of one kab/kota for one level group."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="quotas")
    regency = models.ForeignKey("directory.Regency", on_delete=models.PROTECT, related_name="+")
    level_group = models.CharField(_("level group"), max_length=10, choices=LevelGroup.choices)
    seats = models.PositiveSmallIntegerField(_("seats"))

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["event_id", "regency_id", "level_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "regency", "level_group"], name="quota_once_per_place_and_level"
            )
        ]

    def __str__(self):
        return f"{self.regency_id} {self.level_group}: {self.seats}"


class Participant(models.Model):
    """A nomination and, once the event runs, the participant's record."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        REPLACED = "replaced", _("Replaced")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    ACTIVE = (Status.NOMINATED,)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        "directory.Person", on_delete=models.PROTECT, related_name="trainings"
    )
    regency = models.ForeignKey("directory.Regency", on_delete=models.PROTECT, related_name="+")
    # Empty for an event open to every level.
    level_group = models.CharField(
        _("level group"), max_length=10, choices=LevelGroup.choices, blank=True
    )
    school = models.ForeignKey(
        "directory.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    venue = models.ForeignKey(
        Venue, null=True, blank=True, on_delete=models.SET_NULL, related_name="participants"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NOMINATED
    )
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    late = models.BooleanField(_("nominated late"), default=False)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    nominated_at = models.DateTimeField(default=timezone.now)
    # What the participant's phone shows as a QR code at check-in; unguessable.
    checkin_token = models.CharField(max_length=32, unique=True)
    # The participant confirmed they will come (daftar ulang); a first check-in confirms too.
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    pre_score = models.DecimalField(_("pre-test"), null=True, blank=True, **SCORE)
    post_score = models.DecimalField(_("post-test"), null=True, blank=True, **SCORE)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["event_id", "regency_id", "level_group", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=models.Q(status="nominated"),
                name="participant_once_per_event",
            )
        ]
        indexes = [models.Index(fields=["event", "status", "regency", "level_group"])]

    def __str__(self):
        return f"{self.person} · {self.event}"

    @property
    def audit_region(self) -> dict:
        return {"province_id": self.regency_id.split(".")[0], "regency_id": self.regency_id}


class CheckIn(models.Model):
    class Method(models.TextChoices):
        QR = "qr", _("QR code")
        LIST = "list", _("Ticked on the list")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="checkins")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="checkins")
    method = models.CharField(_("method"), max_length=4, choices=Method.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(fields=["participant", "session"], name="checkin_once")
        ]

    def __str__(self):
        return f"{self.participant_id} @ {self.session_id}"


class Evaluation(models.Model):
    """The participant's evaluation of the event, 1 to 5 per aspect."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="evaluation"
    )
    content = models.PositiveSmallIntegerField(_("content"))
    facilitators = models.PositiveSmallIntegerField(_("facilitators"))
    organisation = models.PositiveSmallIntegerField(_("organisation"))
    usefulness = models.PositiveSmallIntegerField(_("usefulness for my school"))
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self):
        return f"{self.participant}"


class Mentoring(models.Model):
    """A mentor assigned to a participant of a training for its follow-up."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="mentorings"
    )
    mentor = models.ForeignKey("directory.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("mentor assignment")
        verbose_name_plural = _("mentor assignments")
        constraints = [
            models.UniqueConstraint(fields=["participant", "mentor"], name="mentor_once")
        ]

    def __str__(self):
        return f"{self.mentor} → {self.participant}"


class MentoringVisit(models.Model):
    """A mentor's visit: what was seen and what the participant applied in their school."""

    mentoring = models.ForeignKey(Mentoring, on_delete=models.CASCADE, related_name="visits")
    date = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    notes = models.TextField(_("notes"))
    applied = models.TextField(_("what the participant applied"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("mentoring visit")
        verbose_name_plural = _("mentoring visits")
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.mentoring}"


class Cascade(models.Model):
    """A participant passing the training on (pengimbasan) to other schools."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="cascades")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    schools = models.ManyToManyField(
        "directory.School", verbose_name=_("schools"), related_name="+"
    )
    teachers = models.PositiveIntegerField(_("teachers reached"))
    evidence = models.FileField(_("evidence"), upload_to=cascade_path, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("cascade activity")
        verbose_name_plural = _("cascade activities")
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"


class CertificateSeries(models.Model):
    """The last number given under one prefix and year; locked while a number is taken,
    so numbers are unique and without gaps."""

    prefix = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="series_once")]

    def __str__(self):
        return f"{self.prefix}/{self.year}: {self.last}"


class Certificate(models.Model):
    participant = models.OneToOneField(
        Participant, on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField(_("number"), max_length=60, unique=True)
    # What the QR code's verification link carries; unguessable.
    token = models.CharField(max_length=32, unique=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    file = models.FileField(upload_to=certificate_path, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["number"]

    def __str__(self):
        return self.number


class CertificateBatch(models.Model):
    """A background job writing an event's certificates; the page polls its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="batches")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.event_id} {self.status} {self.done}/{self.total}"
