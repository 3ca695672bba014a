from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gugus.communities.models import WorkingGroup
from gugus.core.roles import Ministry


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
    # The ministry whose offices own it; it funds only groups that ministry governs.
    ministry = models.CharField(_("ministry"), max_length=12, choices=Ministry.choices)
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
    # How verified proposals are ranked (`grants.selection`): programme data, not code.
    review_weight = models.DecimalField(
        _("weight of the reviewers' mean"), max_digits=3, decimal_places=2, default=Decimal("0.6")
    )
    activeness_weight = models.DecimalField(
        _("weight of activeness"), max_digits=3, decimal_places=2, default=Decimal("0.4")
    )
    favour_activation = models.BooleanField(
        _("favour groups that need activation"),
        default=False,
        help_text=_(
            "Counts 100 minus the group's activeness, so the less active groups rank higher "
            "(the grant's purpose: groups not yet active become active)."
        ),
    )
    decision_number = models.CharField(_("decision (SK) number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
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

    @property
    def audit_region(self) -> dict:
        """Where an audit entry about it is filed (offices read their region's log)."""
        return {"province_id": self.province_id or "", "regency_id": self.regency_id or ""}


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


def receipt_path(instance, filename):
    return f"grants/{instance.line.proposal_id}/receipts/{filename}"


def return_proof_path(instance, filename):
    return f"grants/{instance.proposal_id}/returns/{filename}"


def tax_proof_path(instance, filename):
    return f"grants/{instance.proposal_id}/tax/{filename}"


class Proposal(models.Model):
    """A group's application to a programme; once selected and funded it is the group's
    grant, carried through spending and the accountability report (LPJ) to closing."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("In review")
        RETURNED = "returned", _("Returned for revision")
        VERIFIED = "verified", _("Verified")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")
        FUNDED = "funded", _("Funds disbursed")
        REPORTED = "reported", _("Report submitted")
        REPORT_VERIFIED = "report_verified", _("Report verified by the supervisor")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    programme = models.ForeignKey(
        GrantProgramme, on_delete=models.PROTECT, related_name="proposals"
    )
    group = models.ForeignKey(WorkingGroup, on_delete=models.PROTECT, related_name="proposals")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # While in review: the office level whose verification is awaited.
    review_level = models.CharField(_("awaiting review by"), max_length=10, blank=True)
    amount = models.DecimalField(_("amount (Rp)"), max_digits=15, decimal_places=0)
    background_current = models.TextField(_("current state"), blank=True)
    background_expected = models.TextField(_("expected state"), blank=True)
    background_solution = models.TextField(_("proposed solution"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    sustainability_plan = models.TextField(_("plan after the grant"), blank=True)
    participants = models.ManyToManyField(
        "directory.Person", verbose_name=_("participants"), blank=True, related_name="+"
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    selection_note = models.TextField(_("selection note"), blank=True)
    disbursed_amount = models.DecimalField(
        _("disbursed (Rp)"), max_digits=15, decimal_places=0, null=True, blank=True
    )
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True)
    disbursement_ref = models.CharField(_("transfer reference"), max_length=100, blank=True)
    outcomes = models.TextField(_("what changed for students"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("grant proposal")
        verbose_name_plural = _("grant proposals")
        ordering = ["programme_id", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "group"], name="one_proposal_per_group"),
            models.CheckConstraint(name="proposal_amount_positive", condition=Q(amount__gt=0)),
        ]
        # (status, group): an office's counts and "waiting for you" list pick a few
        # statuses among its own groups without scanning the nation's proposals.
        indexes = [
            models.Index(fields=["programme", "status"]),
            models.Index(fields=["status", "group"]),
        ]

    def __str__(self):
        return f"{self.group} — {self.programme}"

    @property
    def audit_region(self) -> dict:
        """Where an audit entry about it is filed (offices read their region's log)."""
        group = self.group
        return {"province_id": group.province_id or "", "regency_id": group.regency_id or ""}


class PlannedActivity(models.Model):
    """One activity of the proposal's In-On-In plan; realised by a group activity."""

    class Kind(models.TextChoices):
        IN = "in", "In"
        ON = "on", "On"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="plan")
    seq = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=2, choices=Kind.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    facilitator = models.CharField(_("facilitator"), max_length=200, blank=True)
    learning_problem = models.TextField(_("students' learning problem addressed"), blank=True)
    expected_output = models.TextField(_("what it must produce"), blank=True)
    practises = models.ForeignKey(
        "self",
        verbose_name=_("practises (In)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reflects_on = models.ForeignKey(
        "self",
        verbose_name=_("reflects on (On)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    activity = models.OneToOneField(
        "communities.Activity",
        verbose_name=_("held as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="planned",
    )
    students_change = models.TextField(_("what changed for students"), blank=True)

    class Meta:
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        ordering = ["proposal_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "seq"], name="one_plan_item_per_number")
        ]

    def __str__(self):
        return f"{self.ref} ({self.get_kind_display()}): {self.topic}"

    @property
    def ref(self) -> str:
        return _("Activity %(n)d") % {"n": self.seq}


class BudgetLine(models.Model):
    """One line of the RAB. `amount` moves only by recorded reallocations; `spent` is
    the running total of its spending, kept under a row lock."""

    class Category(models.TextChoices):
        HONORARIUM = "honorarium", _("Resource-person fees")
        TRANSPORT = "transport", _("Transport")
        KONSUMSI = "konsumsi", _("Meals and snacks")
        BAHAN = "bahan", _("Stationery and materials")
        PENGGANDAAN = "penggandaan", _("Printing and documentation")
        SEWA = "sewa", _("Rent of venue and equipment")
        LAINNYA = "lainnya", _("Other")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="budget")
    planned = models.ForeignKey(
        PlannedActivity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="budget",
        help_text=_("Empty for costs of the whole grant, such as the report."),
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    description = models.CharField(_("description"), max_length=200)
    planned_amount = models.DecimalField(_("planned (Rp)"), max_digits=15, decimal_places=0)
    amount = models.DecimalField(_("available (Rp)"), max_digits=15, decimal_places=0)
    spent = models.DecimalField(_("spent (Rp)"), max_digits=15, decimal_places=0, default=0)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        # Lines of an activity in plan order, then lines of the whole grant (LPJ order).
        ordering = ["proposal_id", F("planned__seq").asc(nulls_last=True), "category", "id"]
        constraints = [
            models.CheckConstraint(name="line_amount_not_negative", condition=Q(amount__gte=0)),
            models.CheckConstraint(name="line_not_overspent", condition=Q(spent__lte=F("amount"))),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.description}"

    @property
    def remaining(self):
        return self.amount - self.spent


class Spending(models.Model):
    class Tax(models.TextChoices):
        NONE = "", _("No tax")
        PPH21 = "pph21", "PPh 21"
        PPH22 = "pph22", "PPh 22"
        PPH23 = "pph23", "PPh 23"
        PPN = "ppn", "PPN"
        DAERAH = "daerah", _("Regional tax")

    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="spending")
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(_("amount (Rp)"), max_digits=15, decimal_places=0)
    tax_kind = models.CharField(_("tax"), max_length=6, choices=Tax.choices, blank=True)
    tax_amount = models.DecimalField(
        _("tax withheld (Rp)"), max_digits=15, decimal_places=0, default=0
    )
    receipt = models.FileField(_("receipt"), upload_to=receipt_path)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(name="spending_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="tax_within_spending",
                condition=Q(tax_amount__gte=0, tax_amount__lte=F("amount")),
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.description}"


class Reallocation(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reallocations")
    from_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="+")
    to_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount (Rp)"), max_digits=15, decimal_places=0)
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("reallocation")
        verbose_name_plural = _("reallocations")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(name="reallocation_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self):
        return f"Rp{self.amount:,.0f}: {self.reason[:60]}"


class FundReturn(models.Model):
    """Unspent money paid back to the state treasury, with its proof."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="returns")
    amount = models.DecimalField(_("amount (Rp)"), max_digits=15, decimal_places=0)
    date = models.DateField(_("date"))
    reference = models.CharField(_("deposit reference (NTPN)"), max_length=100)
    proof = models.FileField(_("proof"), upload_to=return_proof_path)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("returned funds")
        verbose_name_plural = _("returned funds")
        ordering = ["date", "id"]
        constraints = [models.CheckConstraint(name="return_positive", condition=Q(amount__gt=0))]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} Rp{self.amount:,.0f} ({self.reference})"


class TaxDeposit(models.Model):
    """Tax withheld from spending, paid to the state (setoran pajak): the LPJ shows what
    was withheld and what was deposited, and the report waits until both agree."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="tax_deposits")
    tax_kind = models.CharField(_("tax"), max_length=6, choices=Spending.Tax.choices)
    amount = models.DecimalField(_("amount (Rp)"), max_digits=15, decimal_places=0)
    date = models.DateField(_("deposit date"))
    reference = models.CharField(_("NTPN or billing code"), max_length=20)
    proof = models.FileField(_("proof of deposit"), upload_to=tax_proof_path)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("tax deposit")
        verbose_name_plural = _("tax deposits")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(name="tax_deposit_positive", condition=Q(amount__gt=0))
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_tax_kind_display()} ({self.reference})"


class Review(models.Model):
    """One decision on a proposal or on its report: who, at which level, and why."""

    class Stage(models.TextChoices):
        PROPOSAL = "proposal", _("Proposal")
        REPORT = "report", _("Accountability report")

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approved")
        RETURN = "return", _("Returned for revision")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews")
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    level = models.CharField(_("level"), max_length=10)
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                name="review_score_range",
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
            )
        ]

    def __str__(self):
        return f"{self.get_stage_display()} {self.level}: {self.get_decision_display()}"
