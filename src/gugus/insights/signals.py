"""Every save and delete of a record the dashboards count marks its places changed
(`core.changes`), in the same transaction, and asks the worker for a refresh once it is
committed. Each tracked model names the paths from its row to the places it counts in:
an attendance counts for the attendee's JP, a pair for both of its teachers."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

from gugus.communities.models import Activity, Attendance, WorkingGroup
from gugus.competency.models import Result
from gugus.core.changes import mark_places
from gugus.directory.models import Person, School
from gugus.grants.models import BudgetLine, PlannedActivity, Proposal, Spending
from gugus.insights.tasks import ask_for_refresh
from gugus.partnership.models import Cohort, Pair, Visit, VisitAttendance
from gugus.partnership.models import Participant as Partner
from gugus.performance.models import Plan, Stage
from gugus.training.models import Cascade, Certificate, Event, Quota
from gugus.training.models import Participant as Trainee


def _own(prefix: str = "", via_regency: bool = False) -> tuple[str, str]:
    province = f"{prefix}regency__province_id" if via_regency else f"{prefix}province_id"
    return province, f"{prefix}regency_id"


TRACKED = {
    School: [_own()],
    Person: [_own()],
    WorkingGroup: [_own()],
    Activity: [_own("group__"), _own("attendance__person__")],
    Attendance: [_own("person__")],
    Proposal: [_own("group__")],
    PlannedActivity: [_own("proposal__group__")],
    BudgetLine: [_own("proposal__group__")],
    Spending: [_own("line__proposal__group__")],
    Result: [_own()],
    Cohort: [_own("participants__", via_regency=True)],
    Partner: [_own(via_regency=True)],
    Pair: [_own("host__", via_regency=True), _own("partner__", via_regency=True)],
    Visit: [_own(via_regency=True)],
    VisitAttendance: [_own("participant__", via_regency=True)],
    Plan: [_own()],
    Stage: [_own("cycle__plan__")],
    Event: [_own("quotas__", via_regency=True), _own("participants__", via_regency=True)],
    Quota: [_own(via_regency=True)],
    Trainee: [_own(via_regency=True), _own("person__")],
    Certificate: [_own("participant__", via_regency=True), _own("participant__person__")],
    Cascade: [_own("participant__", via_regency=True)],
}
# Records that can move to another place: the place they leave is marked too.
MOVABLE = (School, Person, WorkingGroup)


def places_of(model, pk) -> set[tuple]:
    found = set()
    for province, regency in TRACKED[model]:
        found.update(
            model.objects.filter(pk=pk).order_by().values_list(province, regency).distinct()
        )
    return found


def _mark(places) -> None:
    mark_places(places)
    transaction.on_commit(ask_for_refresh)


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _mark(places_of(sender, instance.pk))


def _before_save(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None:
        _mark(places_of(sender, instance.pk))


def _before_delete(sender, instance, **kwargs):
    _mark(places_of(sender, instance.pk))


def _schools_reached(sender, instance, action, pk_set, **kwargs):
    if action in ("post_add", "post_remove", "pre_clear"):
        schools = School.objects.filter(pk__in=pk_set) if pk_set else instance.schools.all()
        _mark(schools.values_list("province_id", "regency_id"))


for _model in TRACKED:
    post_save.connect(_saved, sender=_model, dispatch_uid=f"insights-saved-{_model.__name__}")
    pre_delete.connect(
        _before_delete, sender=_model, dispatch_uid=f"insights-delete-{_model.__name__}"
    )
for _model in MOVABLE:
    pre_save.connect(_before_save, sender=_model, dispatch_uid=f"insights-move-{_model.__name__}")
m2m_changed.connect(_schools_reached, sender=Cascade.schools.through, dispatch_uid="insights-reach")
