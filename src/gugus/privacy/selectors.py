"""Everything Gugus holds about one person, gathered from every app (UU 27/2022 gives
a person the right to a copy): their record and account, and every record that names
them. Each source is one row of `SOURCES`; a new model that names a person or a user
gets a row, and `tests/privacy/test_own_data.py` fails until it has one.

Secrets never leave: passwords, token hashes, check-in and verification tokens."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from gugus.accounts.models import ApiToken, RoleAssignment
from gugus.communities.models import Attendance, Membership, Officer
from gugus.competency.models import Result, TrainerChoice
from gugus.core import clock
from gugus.core.models import AuditEntry
from gugus.directory.models import CorrectionRequest, Person, PersonAccessLog
from gugus.partnership.models import Participant as Partner
from gugus.performance.models import Cycle, ObservationRating, Plan, PlanItem, Stage
from gugus.training.models import Certificate, CheckIn, Facilitator, Mentoring
from gugus.training.models import Participant as Trainee

SECRET = ("password", "key", "key_hash", "token", "checkin_token", "session_hash", "post_data")
SKIPPED = ("name_search", "get_data", "http_accept")


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    model: type[models.Model]
    # Which rows: given the person's id (or None) and the user's id (or None).
    rows: Callable[[int | None, int | None], Q | None]


def _by_person(field="person_id"):
    return lambda person, _user: Q(**{field: person}) if person else None


def _by_user(field="user_id"):
    return lambda _person, user: Q(**{field: user}) if user else None


SOURCES = [
    Source("person", _("Your record"), Person, lambda p, _u: Q(pk=p) if p else None),
    Source("account", _("Your account"), get_user_model(), lambda _p, u: Q(pk=u) if u else None),
    Source("roles", _("Your roles"), RoleAssignment, _by_user()),
    Source("api_tokens", _("Your API tokens"), ApiToken, _by_user()),
    Source("second_factor", _("Your second factor"), TOTPDevice, _by_user()),
    Source("corrections", _("Correction requests"), CorrectionRequest, _by_person()),
    Source("memberships", _("Group memberships"), Membership, _by_person()),
    Source("officer_posts", _("Group officer posts"), Officer, _by_person()),
    Source("attendance", _("Attendance at group activities"), Attendance, _by_person()),
    Source("ukg_results", _("Your UKG results"), Result, _by_person()),
    Source("trainer_choices", _("Chosen as a trainer"), TrainerChoice, _by_person()),
    Source("partnership", _("Partnership programme"), Partner, _by_person()),
    Source("training", _("Training participation"), Trainee, _by_person()),
    Source(
        "training_check_ins",
        _("Training check-ins"),
        CheckIn,
        _by_person("participant__person_id"),
    ),
    Source("certificates", _("Certificates"), Certificate, _by_person("participant__person_id")),
    Source("facilitating", _("Facilitating training"), Facilitator, _by_person()),
    Source("mentoring", _("Mentoring"), Mentoring, _by_person("mentor_id")),
    Source("performance_plans", _("Performance plans"), Plan, _by_person()),
    Source(
        "performance_items", _("Performance plan items"), PlanItem, _by_person("plan__person_id")
    ),
    Source("performance_cycles", _("Performance cycles"), Cycle, _by_person("plan__person_id")),
    Source(
        "performance_stages", _("Performance stages"), Stage, _by_person("cycle__plan__person_id")
    ),
    Source(
        "observation_ratings",
        _("Observation ratings"),
        ObservationRating,
        _by_person("cycle__plan__person_id"),
    ),
    Source(
        "record_changes",
        _("Changes to your record"),
        AuditEntry,
        lambda p, u: (
            (Q(target_type="directory.person", target_id=str(p)) if p else Q(pk=None))
            | (Q(target_type="accounts.user", target_id=str(u)) if u else Q(pk=None))
        ),
    ),
    Source("your_actions", _("What you did in Gugus"), AuditEntry, _by_user("actor_id")),
    Source("downloads", _("Personal data you downloaded"), PersonAccessLog, _by_user()),
    Source("sign_ins", _("Sign-ins"), AccessLog, lambda _p, u: _username(u)),
    Source("failed_sign_ins", _("Failed sign-ins"), AccessAttempt, lambda _p, u: _username(u)),
]


# Fields that name a user only as the one who did the work (recorded a spending, reviewed
# a proposal, uploaded evidence): what a user did is given in "your_actions", the audit.
ACTOR_FIELDS = {
    "admin.logentry.user",
    "core.auditentry.actor",
    "core.importrun.user",
    "directory.correctionrequest.requested_by",
    "directory.correctionrequest.decided_by",
    "accounts.roleassignment.created_by",
    "communities.activity.created_by",
    "communities.evidence.uploaded_by",
    "grants.grantprogramme.created_by",
    "grants.proposal.created_by",
    "grants.spending.recorded_by",
    "grants.reallocation.recorded_by",
    "grants.fundreturn.recorded_by",
    "grants.taxdeposit.recorded_by",
    "grants.review.reviewer",
    "competency.ukgimport.user",
    "competency.trainerchoice.chosen_by",
    "partnership.cohort.created_by",
    "partnership.pairexclusion.excluded_by",
    "partnership.visitattendance.recorded_by",
    "partnership.observationnote.author",
    "training.event.created_by",
    "training.material.uploaded_by",
    "training.participant.nominated_by",
    "training.checkin.by",
    "training.mentoringvisit.recorded_by",
    "training.certificate.revoked_by",
    "training.certificatebatch.requested_by",
    "performance.plan.agreed_by",
    "performance.plan.assessed_by",
    "performance.reminder.user",
    "insights.report.requested_by",
}


def _username(user_id: int | None) -> Q | None:
    if not user_id:
        return None
    username = get_user_model().objects.filter(pk=user_id).values_list("username", flat=True)
    return Q(username__in=list(username))


@dataclass
class Section:
    key: str
    title: str
    labels: dict[str, str]
    rows: list[dict]


@dataclass
class OwnData:
    generated_at: datetime.datetime
    person_id: int | None
    user_id: int | None
    sections: list[Section]

    def as_json(self) -> dict:
        return {
            "generated_at": self.generated_at.isoformat(),
            "person_id": self.person_id,
            "user_id": self.user_id,
            "sections": [
                {"key": s.key, "title": str(s.title), "rows": s.rows} for s in self.sections
            ],
        }


def fields_of(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in SECRET and f.attname not in SECRET and f.name not in SKIPPED
    ]


def own_data(*, user=None, person: Person | None = None) -> OwnData:
    """Everything about the user's person (or `person`, for an office answering a request
    made on paper) and the user's account."""
    person_id = person.pk if person else getattr(user, "person_id", None)
    user_id = user.pk if user else getattr(getattr(person, "user", None), "pk", None)
    sections = []
    for source in SOURCES:
        where = source.rows(person_id, user_id)
        fields = fields_of(source.model)
        rows = []
        if where is not None:
            related = [f.name for f in fields if f.many_to_one]
            qs = source.model._default_manager.filter(where).select_related(*related)
            rows = [_row(obj, fields) for obj in qs.order_by("pk")]
        labels = {f.name: str(f.verbose_name) for f in fields}
        sections.append(Section(source.key, source.title, labels, rows))
    return OwnData(clock.now(), person_id, user_id, sections)


def _row(obj, fields) -> dict:
    return {f.name: _value(obj, f) for f in fields}


def _value(obj, field):
    if field.many_to_one:
        related = getattr(obj, field.name)
        return None if related is None else str(related)
    value = field.value_from_object(obj)
    if field.choices and value not in (None, ""):
        return str(getattr(obj, f"get_{field.name}_display")())
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(field, models.FileField):
        return value.name or None
    return value


DOWNLOADS = {
    "people_xlsx": _("People workbook (identifiers masked)"),
    "people_xlsx_unmasked": _("People workbook with full NUPTK and NIP"),
    "attendance_xlsx": _("Attendance workbook of a group"),
    "ukg_error_report": _("UKG import error report"),
    "import_report": _("Import error report"),
    "correction_evidence": _("Evidence of a correction request"),
    "cohort_xlsx": _("Partnership cohort workbook"),
    "participants_xlsx": _("Training participants workbook"),
    "ekinerja_csv": _("e-Kinerja export (CSV)"),
    "ekinerja_json": _("e-Kinerja export (JSON)"),
    "own_data_json": _("A person's own data (JSON)"),
    "own_data_pdf": _("A person's own data (PDF)"),
}


def download_label(what: str) -> str:
    """What a logged download was, in words; the code itself for one not named here."""
    return str(DOWNLOADS.get(what, what))
