"""The partnership programme (DOMAIN.md §5): cohorts of teachers in tiers (Guru Mitra 1 and
2; or Guru Inti, Mitra and Imbas), chosen from UKG results, and the pairs between tiers."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
    """A tier of the cascade, highest first: who qualifies (by score) and how many of the
    next tier each of its teachers takes (1 : 2; or 1 : 3 then 1 : 10)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="tiers")
    rank = models.PositiveSmallIntegerField(_("rank"))
    name = models.CharField(_("name"), max_length=60)
    min_score = models.DecimalField(_("lowest score"), null=True, blank=True, **SCORE)
    max_score = models.DecimalField(_("highest score"), null=True, blank=True, **SCORE)
    mentees = models.PositiveSmallIntegerField(
        _("partners per teacher"), null=True, blank=True, help_text=_("Empty for the last tier.")
    )

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
