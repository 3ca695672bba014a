from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gugus.communities.models import WorkingGroup


class GrantProgramme(models.Model):
    """A year's Bantuan Kelompok Kerja opened by an office for the groups of its region."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for proposals")
        REVIEW = "review", _("In review")
        RUNNING = "running", _("Running")
        REPORTING = "reporting", _("Reporting")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    # The opening office's scope: neither set for a national programme.
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
    apply_from = models.DateField(_("proposals from"))
    apply_until = models.DateField(_("proposals until"))
    period_start = models.DateField(_("activities from"))
    period_end = models.DateField(_("activities until"))
    budget_ceiling = models.DecimalField(_("budget ceiling (Rp)"), max_digits=15, decimal_places=0)
    quota = models.PositiveIntegerField(_("quota of groups"))
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("grant programme")
        verbose_name_plural = _("grant programmes")
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(
                name="programme_dates_in_order",
                condition=Q(apply_from__lte=F("apply_until"), period_start__lt=F("period_end")),
            ),
            models.CheckConstraint(
                name="programme_ceiling_positive", condition=Q(budget_ceiling__gt=0)
            ),
        ]

    def __str__(self):
        return self.name


class ProgrammeKind(models.Model):
    """What the programme gives one group type: the amount and the In-On-In template."""

    programme = models.ForeignKey(GrantProgramme, on_delete=models.CASCADE, related_name="kinds")
    kind = models.CharField(_("group type"), max_length=10, choices=WorkingGroup.Kind.choices)
    amount = models.DecimalField(_("amount per group (Rp)"), max_digits=15, decimal_places=0)
    in_count = models.PositiveSmallIntegerField(_("In activities"))
    on_count = models.PositiveSmallIntegerField(_("On activities"))

    class Meta:
        verbose_name = _("eligible group type")
        verbose_name_plural = _("eligible group types")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], name="one_entry_per_kind"),
            models.CheckConstraint(name="kind_amount_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: Rp{self.amount:,.0f}"
