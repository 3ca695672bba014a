"""Rollups the dashboards read (`Tally`); the places changed since are `core.ChangedPlace`.

A tally is one number (a count, a sum of rupiah, a sum of scores) of one measure, for one
ministry and one period, in one place:

- ``K:35.78``: a kab/kota, counted from the raw records of that kab/kota;
- ``S:35``: the records of a province that belong to no kab/kota (a provincial MGMP, an
  event for the whole province), counted like a kab/kota;
- ``P:35``: a province, the sum of its ``K:`` and ``S:`` places;
- ``N``: the nation, the sum of the provinces.

Every number is a sum, so a province or the nation is added up from its parts and never
counted from the big tables; averages and shares are stored as their numerator and
denominator.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gugus.core.roles import Ministry

NATION = "N"


def regency_scope(regency_id: str) -> str:
    return f"K:{regency_id}"


def province_scope(province_id: str) -> str:
    return f"P:{province_id}"


def province_only_scope(province_id: str) -> str:
    return f"S:{province_id}"


def parent_of(scope: str) -> str:
    if scope == NATION:
        return ""
    kind, code = scope.split(":")
    return NATION if kind == "P" else province_scope(code[:2])


class Tally(models.Model):
    scope = models.CharField(max_length=10)
    parent = models.CharField(max_length=10)
    ministry = models.CharField(max_length=12, choices=Ministry.choices)
    measure = models.CharField(max_length=40)
    period = models.CharField(max_length=20, blank=True)  # "", a year, "2024-1", a UKG code
    value = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "ministry", "measure", "period"], name="one_tally_per_cell"
            )
        ]
        indexes = [models.Index(fields=["parent", "period"])]

    def __str__(self):
        return f"{self.scope} {self.ministry} {self.measure} {self.period} = {self.value}"


class Refreshed(models.Model):
    """When the tallies were last brought up to date (one row), locked while they are, so
    two workers never refresh at once."""

    at = models.DateTimeField(null=True)

    def __str__(self):
        return f"{self.at}"


class SchoolOutcome(models.Model):
    """A school's learning outcomes in one year, as the Rapor Pendidikan reports them:
    literacy, numeracy and the quality of learning, each an index from 0 to 100.
    Imported by the office keeping the school's record (`insights.imports`)."""

    school = models.ForeignKey("directory.School", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    literacy = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    numeracy = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    learning_quality = models.DecimalField(max_digits=5, decimal_places=2, null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="one_outcome_per_school_year"),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{f}__gte": 0, f"{f}__lte": 100})
                    | models.Q(**{f"{f}__isnull": True}),
                    name=f"outcome_{f}_0_100",
                )
                for f in ("literacy", "numeracy", "learning_quality")
            ],
        ]
        indexes = [models.Index(fields=["year", "school"])]

    def __str__(self):
        return f"{self.school_id} {self.year}"

    @property
    def audit_region(self) -> dict:
        return {"province_id": self.school.province_id, "regency_id": self.school.regency_id}


def report_path(report, filename):
    return f"laporan/{report.scope.replace(':', '-')}/{filename}"


class Report(models.Model):
    """A monthly or semester report of one region, written as PDF and XLSX by the
    background worker (on request, or by `gugus send_reports` on schedule)."""

    class Kind(models.TextChoices):
        MONTHLY = "bulanan", _("Monthly")
        SEMESTER = "semester", _("Semester")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    scope = models.CharField(max_length=10)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    period = models.CharField(max_length=7)  # "2026-10" or "2026-2"
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    pdf = models.FileField(upload_to=report_path, blank=True)
    xlsx = models.FileField(upload_to=report_path, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["scope", "kind", "period"])]

    def __str__(self):
        return f"{self.scope} {self.kind} {self.period}"

    @property
    def audit_region(self) -> dict:
        code = self.scope.partition(":")[2]
        return {"province_id": code[:2], "regency_id": code if "." in code else ""}
