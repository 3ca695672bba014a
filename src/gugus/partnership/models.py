"""The partnership programme (DOMAIN.md §5): cohorts of teachers in tiers (Guru Mitra 1 and
2; or Guru Inti, Mitra and Imbas), chosen from UKG results, and the pairs between tiers."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gugus.communities.models import Attendance
from gugus.core.roles import Ministry

SCORE = {"max_digits": 5, "decimal_places": 2}


class Cohort(models.Model):
    """One year's partnership run by an office of one ministry for its region."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        MATCHED = "matched", _("Pairs made")
        RUNNING = "running", _("On Job Learning")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    ministry = models.CharField(_("ministry"), max_length=12, choices=Ministry.choices)
    # The running office's region: neither set for a national cohort.
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
    event = models.ForeignKey(
        "competency.UkgEvent",
        verbose_name=_("UKG the teachers are chosen by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    subjects = models.ManyToManyField(
        "directory.Subject", verbose_name=_("subjects"), related_name="+"
    )
    levels = models.JSONField(_("levels"), default=list)
    # Province or kab/kota codes; empty: anywhere inside the cohort's region.
    host_regions = models.JSONField(_("host regions"), default=list, blank=True)
    partner_regions = models.JSONField(_("partner regions"), default=list, blank=True)
    gap_weight = models.DecimalField(
        _("weight of the competency gap"), max_digits=4, decimal_places=2, default=Decimal(1)
    )
    travel_weight = models.DecimalField(
        _("weight of travel (per km)"), max_digits=5, decimal_places=3, default=Decimal("0.02")
    )
    ojl_start = models.DateField(_("On Job Learning from"), null=True, blank=True)
    ojl_days = models.PositiveSmallIntegerField(_("On Job Learning days"), default=7)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    matched_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("partnership cohort")
        verbose_name_plural = _("partnership cohorts")
        ordering = ["-year", "name"]

    def __str__(self):
        return self.name

    @property
    def audit_region(self) -> dict:
        province = self.province_id or (self.regency.province_id if self.regency_id else "")
        return {"province_id": province or "", "regency_id": self.regency_id or ""}


class Tier(models.Model):
    """A tier of the cascade, highest first: who qualifies (by score, or as the top or
    bottom share of each subject's teachers) and how many of the next tier each of its
    teachers takes (1 : 2; or 1 : 3 then 1 : 10)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="tiers")
    rank = models.PositiveSmallIntegerField(_("rank"))
    name = models.CharField(_("name"), max_length=60)
    min_score = models.DecimalField(_("lowest score"), null=True, blank=True, **SCORE)
    max_score = models.DecimalField(_("highest score"), null=True, blank=True, **SCORE)
    mentees = models.PositiveSmallIntegerField(
        _("partners per teacher"), null=True, blank=True, help_text=_("Empty for the last tier.")
    )
    # Instead of (or within) the scores: the top share of each subject's teachers for the
    # highest tier, the bottom share for the last.
    share = models.PositiveSmallIntegerField(_("share of the teachers (%)"), null=True, blank=True)

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["cohort_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "rank"], name="tier_rank_once"),
        ]

    def __str__(self):
        return self.name


class Participant(models.Model):
    """A teacher of a cohort in one tier, with what they were chosen by."""

    class Status(models.TextChoices):
        SELECTED = "selected", _("Selected by the rule")
        ADDED = "added", _("Added by the office")
        EXCLUDED = "excluded", _("Excluded by the office")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="participants")
    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        "directory.Person", on_delete=models.PROTECT, related_name="partnerships"
    )
    subject = models.ForeignKey("directory.Subject", on_delete=models.PROTECT, related_name="+")
    jenjang = models.CharField(_("level"), max_length=8)
    regency = models.ForeignKey("directory.Regency", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        "directory.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("score"), **SCORE)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SELECTED
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Why the last matching left this teacher without a host (empty when paired).
    unmatched = models.CharField(_("left unmatched because"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["tier__rank", "subject_id", "-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "person"], name="participant_once"),
        ]
        indexes = [models.Index(fields=["cohort", "tier", "status"])]

    def __str__(self):
        return f"{self.person} ({self.tier})"


class Pair(models.Model):
    """A host of one tier and a partner of the next, with what the pair cost."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="pairs")
    host = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="partners")
    partner = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="host_pair")
    gap = models.DecimalField(_("competency gap"), max_digits=6, decimal_places=2)
    km = models.DecimalField(_("distance (km)"), max_digits=7, decimal_places=1)
    cost = models.PositiveIntegerField(_("cost"))
    locked = models.BooleanField(_("locked"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("pair")
        verbose_name_plural = _("pairs")
        ordering = ["host__tier__rank", "host_id", "partner_id"]

    def __str__(self):
        return f"{self.host.person} — {self.partner.person}"

    @property
    def cost_points(self) -> Decimal:
        """The cost in points (it is kept in hundredths)."""
        return Decimal(self.cost) / 100


class PairExclusion(models.Model):
    """A pair the office ruled out; matching never makes it again."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="exclusions")
    host = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    excluded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("excluded pair")
        verbose_name_plural = _("excluded pairs")
        constraints = [
            models.UniqueConstraint(fields=["host", "partner"], name="pair_excluded_once"),
        ]

    def __str__(self):
        return f"{self.host.person} — {self.partner.person}: {self.reason}"


class Visit(models.Model):
    """An On Job Learning visit: the partners at their host's school (the OJL week), or the
    host at a partner's school (the return visit), with its day-by-day rundown."""

    class Direction(models.TextChoices):
        OJL = "ojl", _("Partners at the host's school")
        RETURN = "return", _("Host at the partner's school")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="visits")
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices)
    host = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="hosted_visits")
    # The partner visited on a return visit; empty for the OJL week (all the host's partners).
    partner = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="return_visits",
    )
    school = models.ForeignKey(
        "directory.School",
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    regency = models.ForeignKey("directory.Regency", on_delete=models.PROTECT, related_name="+")
    start = models.DateField(_("first day"))
    days = models.PositiveSmallIntegerField(_("days"))
    summary = models.TextField(_("conclusion of the visit"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("On Job Learning visit")
        verbose_name_plural = _("On Job Learning visits")
        ordering = ["start", "direction", "pk"]
        indexes = [models.Index(fields=["cohort", "start"])]

    def __str__(self):
        return f"{self.get_direction_display()} — {self.host.person}"

    @property
    def end(self):
        return self.start + timedelta(days=self.days - 1)

    def date_of(self, day: int):
        return self.start + timedelta(days=day - 1)


class RundownItem(models.Model):
    """One session of a visit's day."""

    class Activity(models.TextChoices):
        WELCOME = "penyambutan", _("Welcome")
        CULTURE = "budaya_sekolah", _("School and culture visit")
        LESSON_PLAN = "diskusi_rpp", _("Lesson-plan (RPP) discussion")
        OBSERVATION = "observasi_kelas", _("Class observation")
        DISCUSSION = "diskusi_observasi", _("Discussion of the observation")
        TOOLS = "alat_ajar", _("Preparing teaching tools")
        WORKSHOP = "workshop", _("Workshop")
        MONEV = "monev", _("Monitoring, evaluation and supervision")
        ACTION_PLAN = "rencana_aksi", _("Action plan")
        CLOSING = "penutupan", _("Closing")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="rundown")
    day = models.PositiveSmallIntegerField(_("day"))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("rundown item")
        verbose_name_plural = _("rundown items")
        ordering = ["visit_id", "day", "starts", "pk"]

    def __str__(self):
        return f"{self.day}: {self.get_activity_display()}"


class VisitAttendance(models.Model):
    """Whether a teacher of the visit was there on one of its days."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="attendance")
    day = models.PositiveSmallIntegerField(_("day"))
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("attendance"), max_length=6, choices=Attendance.Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("visit attendance")
        verbose_name_plural = _("visit attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "day", "participant"], name="visit_attendance_once"
            )
        ]

    def __str__(self):
        return f"{self.participant}: {self.day} {self.get_status_display()}"


class ObservationNote(models.Model):
    """What a teacher of the visit saw in a lesson, on a day of the visit."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="observations")
    day = models.PositiveSmallIntegerField(_("day"))
    observed = models.ForeignKey(
        Participant,
        verbose_name=_("teacher observed"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("observation note")
        verbose_name_plural = _("observation notes")
        ordering = ["visit_id", "day", "created_at", "pk"]

    def __str__(self):
        return f"{self.observed}: {self.text[:40]}"


class ActionPlan(models.Model):
    """The rencana aksi a partner writes at the end of On Job Learning and reports on after
    the host's return visit."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="action_plan"
    )
    goal = models.TextField(_("what will change in my classroom"))
    steps = models.TextField(_("steps"))
    indicator = models.CharField(_("how I will know it worked"), max_length=300)
    due = models.DateField(_("done by"), null=True, blank=True)
    written_at = models.DateTimeField(default=timezone.now)
    report = models.TextField(_("what happened"), blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self):
        return f"{self.participant}: {self.goal[:40]}"
