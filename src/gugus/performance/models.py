"""Performance management (DOMAIN.md §6): each semester a teacher's or a head's plan of
work results (RHK), agreed by their superior; the five-stage practice cycle with its
observation against a versioned rubric; and the assessment that ends in a predikat for
e-Kinerja. Catalogues (competency-development points, practice indicators, rubrics) are
data."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gugus.core.roles import Ministry


class Period(models.Model):
    """A semester (January to June or July to December) with its three windows; an office may
    extend a window (the 2024 planning window was extended to 31 March)."""

    class Half(models.IntegerChoices):
        FIRST = 1, _("January to June")
        SECOND = 2, _("July to December")

    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(_("semester"), choices=Half.choices)
    plan_opens = models.DateField(_("planning opens"))
    plan_closes = models.DateField(_("planning closes"))
    run_opens = models.DateField(_("implementation opens"))
    run_closes = models.DateField(_("implementation closes"))
    assess_opens = models.DateField(_("assessment opens"))
    assess_closes = models.DateField(_("assessment closes"))

    class Meta:
        verbose_name = _("semester")
        verbose_name_plural = _("semesters")
        ordering = ["-year", "-half"]
        constraints = [models.UniqueConstraint(fields=["year", "half"], name="period_once")]

    def __str__(self):
        return f"{self.year}/{self.half}"


class PointItem(models.Model):
    """A competency-development activity of the plan and its points (at least 32 a
    semester): the point table of DOMAIN.md §6 as data."""

    code = models.SlugField(_("code"), max_length=40, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    points = models.PositiveSmallIntegerField(_("points"))
    # What Gugus already records that counts as evidence of it (see `performance.evidence`).
    evidence = models.CharField(_("evidence from Gugus"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("competency-development item")
        verbose_name_plural = _("competency-development items")
        ordering = ["-points", "name"]

    def __str__(self):
        return f"{self.name} ({self.points})"


class PracticeIndicator(models.Model):
    """A practice indicator a teacher picks, tied to a result of the school's Rapor
    Pendidikan."""

    code = models.SlugField(_("code"), max_length=40, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    rapor_item = models.CharField(_("Rapor Pendidikan result"), max_length=120)

    class Meta:
        verbose_name = _("practice indicator")
        verbose_name_plural = _("practice indicators")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Rubric(models.Model):
    """A version of the observation rubric. A cycle keeps the version it started with;
    publishing a new one changes only cycles started later."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        verbose_name = _("observation rubric")
        verbose_name_plural = _("observation rubrics")
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.version})"


class RubricIndicator(models.Model):
    class Area(models.TextChoices):
        MANAGEMENT = "pengelolaan_kelas", _("Classroom management")
        SUPPORT = "dukungan_psikologis", _("Psychological support")
        INSTRUCTION = "pembelajaran", _("Instruction")

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(_("position"))
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    name = models.CharField(_("indicator"), max_length=200)
    focus = models.JSONField(_("focus behaviours"), default=list)

    class Meta:
        verbose_name = _("rubric indicator")
        verbose_name_plural = _("rubric indicators")
        ordering = ["rubric_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "position"], name="rubric_position_once")
        ]

    def __str__(self):
        return self.name


class Expectation(models.TextChoices):
    """How work results and work behaviour compare with what was expected."""

    ABOVE = "di_atas", _("Above expectations")
    MEETS = "sesuai", _("As expected")
    BELOW = "di_bawah", _("Below expectations")


class Predikat(models.TextChoices):
    SANGAT_BAIK = "sangat_baik", _("Very good")
    BAIK = "baik", _("Good")
    BUTUH_PERBAIKAN = "butuh_perbaikan", _("Needs improvement")
    KURANG = "kurang", _("Poor")
    SANGAT_KURANG = "sangat_kurang", _("Very poor")


class Plan(models.Model):
    """One person's semester: the plan (RHK) agreed with their superior, and the
    assessment at the end. `version` rises with every save, so two people editing the
    same plan cannot overwrite each other unseen."""

    class Role(models.TextChoices):
        GURU = "guru", _("Teacher")
        KEPALA = "kepala", _("School head")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for agreement")
        RETURNED = "returned", _("Returned with comments")
        AGREED = "agreed", _("Agreed")
        ASSESSED = "assessed", _("Assessed")

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="plans")
    person = models.ForeignKey(
        "directory.Person", on_delete=models.PROTECT, related_name="performance_plans"
    )
    role = models.CharField(_("as"), max_length=8, choices=Role.choices)
    school = models.ForeignKey("directory.School", on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey("directory.Province", on_delete=models.PROTECT, related_name="+")
    regency = models.ForeignKey("directory.Regency", on_delete=models.PROTECT, related_name="+")
    ministry = models.CharField(_("ministry"), max_length=12, choices=Ministry.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    practice = models.ForeignKey(
        PracticeIndicator,
        verbose_name=_("practice indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    duties = models.TextField(_("additional duties"), blank=True)
    behaviour = models.TextField(_("work behaviour (BerAKHLAK) I commit to"), blank=True)
    comments = models.TextField(_("the superior's comments"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    # The assessment.
    work_results = models.CharField(
        _("work results"), max_length=8, choices=Expectation.choices, blank=True
    )
    work_behaviour = models.CharField(
        _("work behaviour"), max_length=8, choices=Expectation.choices, blank=True
    )
    predikat = models.CharField(_("rating"), max_length=16, choices=Predikat.choices, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("performance plan")
        verbose_name_plural = _("performance plans")
        ordering = ["period", "school_id", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "person"], name="plan_once_per_period")
        ]
        indexes = [models.Index(fields=["period", "school", "status"])]

    def __str__(self):
        return f"{self.person} {self.period}"

    @property
    def audit_region(self) -> dict:
        return {"province_id": self.province_id, "regency_id": self.regency_id}


class PlanItem(models.Model):
    """A competency-development item of the plan, with what shows it was done."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(PointItem, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(_("points"))
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    # Evidence Gugus already holds ("activity:123", "visit:45"), offered when it fits.
    evidence = models.CharField(_("evidence"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan_id", "pk"]

    def __str__(self):
        return f"{self.item.name} ({self.points})"


class Cycle(models.Model):
    """The practice cycle of an agreed plan, with the rubric version it started with and
    the superior's rating of its three aspects."""

    class Aspect(models.IntegerChoices):
        LOW = 1, _("Not yet")
        MID = 2, _("Partly")
        HIGH = 3, _("Fully")

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="cycle")
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="cycles")
    recommendation = models.TextField(_("recommendation"), blank=True)
    reflect = models.PositiveSmallIntegerField(
        _("effort to reflect"), choices=Aspect.choices, null=True, blank=True
    )
    learn = models.PositiveSmallIntegerField(
        _("effort to learn"), choices=Aspect.choices, null=True, blank=True
    )
    change = models.PositiveSmallIntegerField(
        _("change in practice"), choices=Aspect.choices, null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("practice cycle")
        verbose_name_plural = _("practice cycles")

    def __str__(self):
        return f"{self.plan}"


class Stage(models.Model):
    """One of the five stages of the cycle, in order."""

    class Kind(models.IntegerChoices):
        PREPARATION = 1, _("Preparation discussion")
        OBSERVATION = 2, _("Classroom observation")
        FOLLOW_UP_DISCUSSION = 3, _("Follow-up discussion")
        FOLLOW_UP_EFFORT = 4, _("Follow-up effort")
        REFLECTION = 5, _("Reflection on the follow-up")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="stages")
    kind = models.PositiveSmallIntegerField(_("stage"), choices=Kind.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["cycle_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["cycle", "kind"], name="stage_once")]

    def __str__(self):
        return self.get_kind_display()


class ObservationRating(models.Model):
    class Rating(models.TextChoices):
        NOT_DONE = "belum", _("Not done yet")
        NOT_EFFECTIVE = "belum_efektif", _("Done but not yet effective")
        EFFECTIVE = "efektif", _("Done and effective")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="ratings")
    indicator = models.ForeignKey(RubricIndicator, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(_("rating"), max_length=14, choices=Rating.choices, blank=True)
    evidence = models.TextField(_("evidence notes"), blank=True)

    class Meta:
        verbose_name = _("observation rating")
        verbose_name_plural = _("observation ratings")
        ordering = ["cycle_id", "indicator__position"]
        constraints = [models.UniqueConstraint(fields=["cycle", "indicator"], name="rating_once")]

    def __str__(self):
        return f"{self.indicator}: {self.rating}"


class Reminder(models.Model):
    """A reminder e-mailed before a window closes, kept so it goes out once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reminders")
    window = models.CharField(_("window"), max_length=8)
    days_before = models.PositiveSmallIntegerField(_("days before it closes"))
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period", "window", "days_before"], name="reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.user} {self.period} {self.window} -{self.days_before}"
