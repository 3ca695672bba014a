from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who changed what and when: written by services for every audited write."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The three generic verbs have labels; workflow steps ("submit", "disburse", ...) are
    # stored by their name.
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    target_type = models.CharField(_("object type"), max_length=60)
    target_id = models.CharField(_("object id"), max_length=64)
    target_repr = models.CharField(_("object"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=20, default="web")
    # Region of the changed object, so an office reads the audit of its own region only.
    province_id = models.CharField(max_length=2, blank=True, db_index=True)
    regency_id = models.CharField(max_length=5, blank=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class ImportRun(models.Model):
    """One upload of a spreadsheet to an importer (`core.imports`), with its outcome and
    row-level error report."""

    class Status(models.TextChoices):
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Rejected: nothing was written")

    # The importer's kind (`core.imports.IMPORTERS`): schools, people, groups, ...
    kind = models.CharField(_("kind"), max_length=12)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file"), max_length=255)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("error report"), default=list, blank=True)

    class Meta:
        db_table = "directory_importrun"  # its first home; the table keeps its name
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"


class ChangedPlace(models.Model):
    """A place whose records changed since the dashboards' rollups were counted:
    ``K:<kab/kota>`` or ``S:<province>`` (records of a province outside any kab/kota), or
    ``*`` for everything. Written in the changing transaction (`core.changes`), so no change
    is committed without its mark; the rollup refresh removes the marks it has counted."""

    scope = models.CharField(max_length=10, primary_key=True)
    marked_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.scope


class WorkerBeat(models.Model):
    """A running background worker (`gugus worker`), so that a job whose worker died is
    noticed and run again (`core.jobs.reclaim`)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.IntegerField()
    # The process's start (Linux /proc clock ticks): a reused pid is not the same worker.
    process_start = models.BigIntegerField(default=0)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField()

    def __str__(self):
        return f"{self.worker_id} ({self.host}, pid {self.pid})"
