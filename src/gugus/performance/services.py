"""Writes of performance management: the semester's windows, the plan and its agreement,
the five stages in order, the observation against the cycle's rubric, the rating of the
cycle's aspects and the assessment's predikat. Every write checks the record's `version`
(a later save by someone else is a conflict, never overwritten) and is audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gugus.core import audit, clock
from gugus.core.access import CHANGE, can, require, user_of
from gugus.core.cleaning import clean_choice, clean_date, clean_text
from gugus.core.errors import Conflict, DomainError, FieldErrors
from gugus.directory.models import Person, Position
from gugus.performance import rules
from gugus.performance.models import (
    Cycle,
    Expectation,
    ObservationRating,
    Period,
    Plan,
    PlanItem,
    PointItem,
    PracticeIndicator,
    Rubric,
    Stage,
)
from gugus.performance.policies import SUPERVISE

TEXT = 4000
WINDOWS = {
    "plan": (gettext_lazy("planning"), "plan_opens", "plan_closes"),
    "run": (gettext_lazy("implementation"), "run_opens", "run_closes"),
    "assess": (gettext_lazy("assessment"), "assess_opens", "assess_closes"),
}


def standard_windows(year: int, half: int) -> dict[str, datetime.date]:
    """The usual windows: planning in the first two months, implementation until two
    weeks before the end, assessment in the last month."""
    first = 1 if half == 1 else 7
    start = datetime.date(year, first, 1)
    end = datetime.date(year, 6, 30) if half == 1 else datetime.date(year, 12, 31)
    plan_closes = datetime.date(year, first + 2, 1) - datetime.timedelta(days=1)
    return {
        "plan_opens": start,
        "plan_closes": plan_closes,
        "run_opens": start,
        "run_closes": end - datetime.timedelta(days=15),
        "assess_opens": end.replace(day=1),
        "assess_closes": end,
    }


def period_for(day: datetime.date | None = None) -> Period:
    """The semester of a day, made with the standard windows the first time it is asked."""
    day = day or clock.today()
    half = 1 if day.month <= 6 else 2
    period, _created = Period.objects.get_or_create(
        year=day.year, half=half, defaults=standard_windows(day.year, half)
    )
    return period


def window_refusal(period: Period, window: str, day=None) -> DomainError | None:
    """Why the window is not open on `day` (today by default), or None."""
    day = day or clock.today()
    label, opens, closes = WINDOWS[window]
    opens, closes = getattr(period, opens), getattr(period, closes)
    if opens <= day <= closes:
        return None
    message = (
        _("The %(window)s window opens on %(date)s.")
        if day < opens
        else _("The %(window)s window closed on %(date)s.")
    )
    return DomainError(
        message
        % {
            "window": label,
            "date": date_format(opens if day < opens else closes, "SHORT_DATE_FORMAT"),
        },
        code="window_closed",
    )


def _in_window(period: Period, window: str) -> None:
    refusal = window_refusal(period, window)
    if refusal:
        raise refusal


@transaction.atomic
def period_extend(*, actor, period: Period, window: str, until, source: str = "web") -> Period:
    """Move a window's last day later (never earlier: work already done stays valid)."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    require(actor, CHANGE, period)
    errors: list[tuple[str, Any]] = []
    if window not in WINDOWS:
        errors.append(("window", _("Choose planning, implementation or assessment.")))
    day = clean_date(until, "until", errors, required=_("Give the new last day."))
    if errors:
        raise FieldErrors(errors)
    field = WINDOWS[window][2]
    before = getattr(period, field)
    if day <= before:
        raise FieldErrors(
            [
                (
                    "until",
                    _("An extension ends after %(date)s.")
                    % {"date": date_format(before, "SHORT_DATE_FORMAT")},
                )
            ]
        )
    setattr(period, field, day)
    period.save(update_fields=[field])
    audit.record(
        actor=actor,
        action="extend",
        obj=period,
        source=source,
        changes={field: [str(before), str(day)]},
    )
    return period


def _check_version(record, version, fields: dict, saved: dict | None = None) -> None:
    """Refuse a save made on an older reading of `record`, showing both versions: the
    caller's `fields` and what is saved (`saved`, or the record's attributes)."""
    if version is None or int(version) == record.version:
        return
    saved = saved if saved is not None else {f: getattr(record, f) for f in fields}
    raise Conflict(
        theirs={f: _plain(saved.get(f)) for f in fields},
        yours={f: _plain(v) for f, v in fields.items()},
    )


def _plain(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(getattr(value, "pk", value))


@transaction.atomic
def plan_open(*, actor, person: Person, period: Period | None = None, source="web") -> Plan:
    """Open the person's plan for the semester (a teacher or a head of a school)."""
    period = period or period_for()
    require(actor, CHANGE, Plan(person=person))
    if not person.school_id:
        raise DomainError(_("Only a teacher or head of a school makes a plan."), code="no_school")
    existing = Plan.objects.filter(period=period, person=person).first()
    if existing:
        return existing
    school = person.school
    plan = Plan.objects.create(
        period=period,
        person=person,
        role=Plan.Role.KEPALA if person.position == Position.KEPALA else Plan.Role.GURU,
        school=school,
        province_id=school.province_id,
        regency_id=school.regency_id,
        ministry=school.ministry,
    )
    audit.record(
        actor=actor,
        action="create",
        obj=plan,
        source=source,
        changes={"period": [None, str(period)], "role": [None, plan.role]},
        **plan.audit_region,
    )
    return plan


def _editable(plan: Plan) -> None:
    if plan.status not in (Plan.Status.DRAFT, Plan.Status.RETURNED):
        raise DomainError(
            _("The plan is %(status)s and can no longer be changed.")
            % {"status": plan.get_status_display().lower()},
            code="plan_locked",
        )


def clean_items(rows: list[dict]) -> list[PlanItem]:
    errors: list[tuple[str, Any]] = []
    catalogue = {p.code: p for p in PointItem.objects.all()}
    items = []
    for n, row in enumerate(rows, start=1):
        code = clean_text(row.get("item"))
        if code not in catalogue:
            errors.append(
                ("items", _("Item %(n)d: unknown activity '%(code)s'.") % {"n": n, "code": code})
            )
            continue
        items.append(
            PlanItem(
                item=catalogue[code],
                points=catalogue[code].points,
                detail=clean_text(row.get("detail"))[:300],
                evidence=clean_text(row.get("evidence"))[:40],
            )
        )
    if errors:
        raise FieldErrors(errors)
    return items


@transaction.atomic
def plan_save(*, actor, plan: Plan, data: dict, version=None, source: str = "web") -> Plan:
    """The person writes their plan: practice indicator, competency-development items,
    additional duties and work behaviour."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    require(actor, CHANGE, plan)
    _editable(plan)
    _in_window(plan.period, "plan")
    fields = {k: data[k] for k in ("practice", "duties", "behaviour") if k in data}
    _check_version(plan, version, {k: v for k, v in fields.items()})
    if "practice" in data:
        code = clean_text(data["practice"])
        practice = PracticeIndicator.objects.filter(code=code).first() if code else None
        if code and practice is None:
            raise FieldErrors(
                [("practice", _("Unknown practice indicator '%(c)s'.") % {"c": code})]
            )
        plan.practice = practice
    for name in ("duties", "behaviour"):
        if name in data:
            setattr(plan, name, clean_text(data[name])[:TEXT])
    if "items" in data:
        items = clean_items(data["items"] or [])
        plan.items.all().delete()
        for item in items:
            item.plan = plan
        PlanItem.objects.bulk_create(items)
    plan.version += 1
    plan.save()
    audit.record(
        actor=actor,
        action="update",
        obj=plan,
        source=source,
        changes={"points": [None, plan_points(plan)]},
        **plan.audit_region,
    )
    return plan


def plan_points(plan: Plan) -> int:
    return sum(plan.items.values_list("points", flat=True))


@transaction.atomic
def plan_submit(*, actor, plan: Plan, version=None, source: str = "web") -> Plan:
    """Send the plan to the superior: a practice indicator and at least 32 points."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    require(actor, CHANGE, plan)
    _editable(plan)
    _in_window(plan.period, "plan")
    _check_version(plan, version, {"status": Plan.Status.SUBMITTED})
    errors = []
    if plan.practice_id is None:
        errors.append(("practice", _("Choose a practice indicator.")))
    points = plan_points(plan)
    if points < rules.MIN_POINTS:
        errors.append(
            (
                "items",
                _("Competency development adds up to %(n)d points; a semester needs %(min)d.")
                % {"n": points, "min": rules.MIN_POINTS},
            )
        )
    if errors:
        raise FieldErrors(errors)
    before = plan.status
    plan.status = Plan.Status.SUBMITTED
    plan.submitted_at = clock.now()
    plan.version += 1
    plan.save()
    audit.record(
        actor=actor,
        action="submit",
        obj=plan,
        source=source,
        changes={"status": [before, plan.status]},
        **plan.audit_region,
    )
    return plan


@transaction.atomic
def plan_review(*, actor, plan: Plan, agree: bool, comments="", version=None, source="web"):
    """The superior agrees the plan (its practice cycle opens with the current rubric) or
    returns it with comments."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    require(actor, SUPERVISE, plan)
    if plan.status != Plan.Status.SUBMITTED:
        raise DomainError(_("Only a submitted plan is agreed or returned."), code="not_submitted")
    _check_version(plan, version, {"status": Plan.Status.AGREED if agree else Plan.Status.RETURNED})
    comments = clean_text(comments)[:TEXT]
    if not agree and not comments:
        raise FieldErrors([("comments", _("Say what to change."))])
    before = plan.status
    plan.comments = comments
    if agree:
        plan.status = Plan.Status.AGREED
        plan.agreed_by = user_of(actor)
        plan.agreed_at = clock.now()
        rubric = Rubric.objects.order_by("-published_at", "-pk").first()
        cycle = Cycle.objects.create(plan=plan, rubric=rubric, started_at=clock.now())
        Stage.objects.bulk_create(Stage(cycle=cycle, kind=k) for k in rules.STAGES)
        ObservationRating.objects.bulk_create(
            ObservationRating(cycle=cycle, indicator=i) for i in rubric.indicators.all()
        )
    else:
        plan.status = Plan.Status.RETURNED
    plan.version += 1
    plan.save()
    audit.record(
        actor=actor,
        action="agree" if agree else "return",
        obj=plan,
        source=source,
        changes={"status": [before, plan.status], "comments": [None, comments or None]},
        **plan.audit_region,
    )
    return plan


def stage_refusal(stage: Stage) -> DomainError | None:
    """Why the stage cannot be marked done yet, or None."""
    previous = rules.previous_stage(stage.kind)
    if previous:
        before = stage.cycle.stages.get(kind=previous)
        if before.done_at is None:
            return DomainError(
                _("“%(stage)s” comes first: mark it done before “%(this)s”.")
                % {"stage": before.get_kind_display(), "this": stage.get_kind_display()},
                code="stage_order",
            )
    if stage.kind == Stage.Kind.OBSERVATION:
        missing = stage.cycle.ratings.filter(rating="").count()
        if missing:
            return DomainError(
                _("Rate every indicator of the rubric first (%(n)d left).") % {"n": missing},
                code="observation_incomplete",
            )
    return None


def _cycle_for_update(cycle_id) -> Cycle:
    return Cycle.objects.select_for_update().select_related("plan__period").get(pk=cycle_id)


@transaction.atomic
def stage_record(*, actor, stage: Stage, data: dict, version=None, source: str = "web"):
    """Write a stage's date, participants and notes (the person or the superior), and
    mark it done in its turn."""
    cycle = _cycle_for_update(stage.cycle_id)
    stage = cycle.stages.get(pk=stage.pk)
    plan = cycle.plan
    if not (can(actor, CHANGE, plan) or can(actor, SUPERVISE, plan)):
        require(actor, SUPERVISE, plan)
    _in_window(plan.period, "run")
    fields = {k: data[k] for k in ("date", "participants", "notes") if k in data}
    _check_version(
        cycle,
        version,
        {f"stage{stage.kind}_{k}": v for k, v in fields.items()},
        {f"stage{stage.kind}_{k}": getattr(stage, k) for k in fields},
    )
    errors: list[tuple[str, Any]] = []
    if "date" in data:
        stage.date = clean_date(data["date"], "date", errors)
    if errors:
        raise FieldErrors(errors)
    for name in ("participants", "notes"):
        if name in data:
            setattr(stage, name, clean_text(data[name])[: 300 if name == "participants" else TEXT])
    if data.get("done") and stage.done_at is None:
        refusal = stage_refusal(stage)
        if refusal:
            raise refusal
        stage.done_at = clock.now()
        stage.date = stage.date or clock.today()
    stage.save()
    cycle.version += 1
    cycle.save(update_fields=["version"])
    return stage


@transaction.atomic
def observation_save(
    *, actor, cycle: Cycle, ratings: dict, recommendation=None, version=None, source="web"
) -> Cycle:
    """The superior rates the rubric's indicators (indicator id → rating and evidence
    notes) against the cycle's own rubric version, and writes the recommendation."""
    cycle = _cycle_for_update(cycle.pk)
    require(actor, SUPERVISE, cycle.plan)
    _in_window(cycle.plan.period, "run")
    if cycle.stages.get(kind=Stage.Kind.PREPARATION).done_at is None:
        raise DomainError(
            _("The observation follows the preparation discussion: mark that done first."),
            code="stage_order",
        )
    current = {r.indicator_id: r for r in cycle.ratings.all()}
    _check_version(
        cycle,
        version,
        {f"indicator{k}": (v or {}).get("rating") for k, v in ratings.items()},
        {f"indicator{k}": r.rating for k, r in current.items()},
    )
    errors: list[tuple[str, Any]] = []
    for key, value in ratings.items():
        pk = int(key) if str(key).isdigit() else None
        if pk not in current:
            errors.append(
                ("ratings", _("Indicator %(k)s is not in this cycle's rubric.") % {"k": key})
            )
            continue
        row = current[pk]
        rating = clean_text((value or {}).get("rating"))
        row.rating = (
            clean_choice(rating, ObservationRating.Rating, "ratings", errors) if rating else ""
        )
        if "evidence" in (value or {}):
            row.evidence = clean_text(value["evidence"])[:TEXT]
    if errors:
        raise FieldErrors(errors)
    ObservationRating.objects.bulk_update(list(current.values()), ["rating", "evidence"])
    if recommendation is not None:
        cycle.recommendation = clean_text(recommendation)[:TEXT]
    cycle.version += 1
    cycle.save(update_fields=["recommendation", "version"])
    audit.record(
        actor=actor,
        action="observe",
        obj=cycle.plan,
        source=source,
        changes={"ratings": [None, {str(k): r.rating for k, r in current.items()}]},
        **cycle.plan.audit_region,
    )
    return cycle


@transaction.atomic
def cycle_rate(*, actor, cycle: Cycle, reflect, learn, change, version=None, source="web"):
    """The superior rates the cycle's three aspects once its five stages are done."""
    cycle = _cycle_for_update(cycle.pk)
    require(actor, SUPERVISE, cycle.plan)
    if cycle.stages.filter(done_at__isnull=True).exists():
        raise DomainError(
            _("Rate the cycle once its five stages are done."), code="cycle_unfinished"
        )
    _check_version(cycle, version, {"reflect": reflect, "learn": learn, "change": change})
    errors: list[tuple[str, Any]] = []
    values = {}
    for name, raw in (("reflect", reflect), ("learn", learn), ("change", change)):
        text = clean_text(raw)
        if text not in {"1", "2", "3"}:
            errors.append((name, _("Choose 1, 2 or 3.")))
        else:
            values[name] = int(text)
    if errors:
        raise FieldErrors(errors)
    before = {k: getattr(cycle, k) for k in values}
    for name, value in values.items():
        setattr(cycle, name, value)
    cycle.version += 1
    cycle.save()
    audit.record(
        actor=actor,
        action="rate_cycle",
        obj=cycle.plan,
        source=source,
        changes={k: [before[k], v] for k, v in values.items()},
        **cycle.plan.audit_region,
    )
    return cycle


@transaction.atomic
def plan_assess(*, actor, plan: Plan, work_results, work_behaviour, version=None, source="web"):
    """The superior's assessment: work results and work behaviour against expectations
    give the predikat (`rules.predikat`)."""
    plan = Plan.objects.select_for_update().select_related("period").get(pk=plan.pk)
    require(actor, SUPERVISE, plan)
    if plan.status not in (Plan.Status.AGREED, Plan.Status.ASSESSED):
        raise DomainError(_("Only an agreed plan is assessed."), code="not_agreed")
    _in_window(plan.period, "assess")
    cycle = getattr(plan, "cycle", None)
    if cycle is None or None in (cycle.reflect, cycle.learn, cycle.change):
        raise DomainError(
            _("Rate the practice cycle's three aspects before the assessment."),
            code="cycle_unrated",
        )
    _check_version(plan, version, {"work_results": work_results, "work_behaviour": work_behaviour})
    errors: list[tuple[str, Any]] = []
    results = clean_choice(work_results, Expectation, "work_results", errors)
    behaviour = clean_choice(work_behaviour, Expectation, "work_behaviour", errors)
    if errors:
        raise FieldErrors(errors)
    before = plan.predikat or None
    plan.work_results, plan.work_behaviour = results, behaviour
    plan.predikat = rules.predikat(results, behaviour)
    plan.status = Plan.Status.ASSESSED
    plan.assessed_by = user_of(actor)
    plan.assessed_at = clock.now()
    plan.version += 1
    plan.save()
    audit.record(
        actor=actor,
        action="assess",
        obj=plan,
        source=source,
        changes={
            "work_results": [None, results],
            "work_behaviour": [None, behaviour],
            "predikat": [before, plan.predikat],
        },
        **plan.audit_region,
    )
    return plan
