"""Writes to grant programmes. Amounts are data of a programme year, never code."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gugus.communities.models import Activity, Attendance, Evidence, WorkingGroup
from gugus.communities.services import activity_create
from gugus.core import audit, clock
from gugus.core.access import CHANGE, CREATE, VIEW, can, require, user_of
from gugus.core.cleaning import clean_choice, clean_text
from gugus.core.errors import DomainError, FieldErrors, Forbidden, NotFound
from gugus.core.formats import parse_rupiah, rupiah
from gugus.core.roles import ScopeLevel
from gugus.directory.models import Province, Regency
from gugus.directory.services import normalize_name
from gugus.grants import selection
from gugus.grants.eligibility import refusals
from gugus.grants.inoni import (
    TEMPLATE_COUNTS,
    PlanItem,
    Violation,
    plan_violations,
    realisation_violations,
    skeleton,
    template_errors,
)
from gugus.grants.models import (
    BudgetLine,
    GrantProgramme,
    PlannedActivity,
    ProgrammeKind,
    Proposal,
    Review,
)
from gugus.grants.selection import Ranked

# Evidence that counts as an In session's materials.
MATERIAL_EVIDENCE = {"dokumen", "notulen"}


def _date(raw, name, errors) -> datetime.date | None:
    if isinstance(raw, datetime.date):
        return raw
    try:
        return datetime.date.fromisoformat(clean_text(raw))
    except ValueError:
        errors.append((name, _("Use the date format YYYY-MM-DD.")))
        return None


def _rupiah(raw, name, errors, *, zero: bool = False) -> Decimal | None:
    """A whole, positive amount of rupiah (zero too when `zero`), else an error on `name`."""
    value = parse_rupiah(raw)
    if value is not None and value.copy_abs() >= 10**15:
        value = None
    if value is None or value < 0 or (value == 0 and not zero):
        errors.append((name, _("Give a whole number of rupiah greater than zero, e.g. 1.500.000.")))
        return None
    return value


def clean_programme(raw: dict) -> dict:
    errors: list[tuple[str, Any]] = []
    data: dict[str, Any] = {"name": clean_text(raw.get("name"))[:200]}
    if not data["name"]:
        errors.append(("name", _("The name is required.")))
    for name in ("apply_from", "apply_until", "period_start", "period_end"):
        data[name] = _date(raw.get(name), name, errors)
    data["year"] = data["period_start"].year if data["period_start"] else None
    if data["apply_from"] and data["apply_until"] and data["apply_from"] > data["apply_until"]:
        errors.append(("apply_until", _("The application window ends before it opens.")))
    if data["period_start"] and data["period_end"] and (data["period_start"] >= data["period_end"]):
        errors.append(("period_end", _("The activity period ends before it starts.")))
    if (
        data["apply_until"]
        and data["period_start"]
        and (data["apply_until"] > data["period_start"])
    ):
        errors.append(("apply_until", _("Proposals close before the activities start.")))
    data["budget_ceiling"] = _rupiah(raw.get("budget_ceiling"), "budget_ceiling", errors)
    quota = clean_text(raw.get("quota"))
    data["quota"] = int(quota) if quota.isdigit() and int(quota) > 0 else None
    if data["quota"] is None:
        errors.append(("quota", _("Give the number of groups the programme can fund.")))
    data["required_documents"] = [d for d in (raw.get("required_documents") or []) if d]
    data["province"] = data["regency"] = None
    if clean_text(raw.get("regency")):
        data["regency"] = Regency.objects.filter(code=clean_text(raw.get("regency"))).first()
        if data["regency"] is None:
            errors.append(
                (
                    "regency",
                    _("Unknown district/city code '%(code)s'.")
                    % {"code": clean_text(raw.get("regency"))},
                )
            )
        else:
            data["province"] = data["regency"].province
    elif clean_text(raw.get("province")):
        data["province"] = Province.objects.filter(code=clean_text(raw.get("province"))).first()
        if data["province"] is None:
            errors.append(
                (
                    "province",
                    _("Unknown province code '%(code)s'.")
                    % {"code": clean_text(raw.get("province"))},
                )
            )
    if errors:
        raise FieldErrors(errors)
    return data


def clean_kinds(rows: list[dict]) -> list[dict]:
    """The eligible group types with their amount and In-On-In template (the juknis
    counts unless the programme says otherwise)."""
    errors: list[tuple[str, Any]] = []
    seen, cleaned = set(), []
    if not rows:
        errors.append(("kinds", _("Name at least one eligible group type.")))
    for row in rows:
        kind = clean_text(row.get("kind")).lower()
        if kind not in WorkingGroup.Kind.values:
            errors.append(("kinds", _("Unknown group type '%(kind)s'.") % {"kind": kind}))
            continue
        label = WorkingGroup.Kind(kind).label
        if kind in seen:
            errors.append(("kinds", _("%(kind)s is listed twice.") % {"kind": label}))
            continue
        seen.add(kind)
        default_in, default_on = TEMPLATE_COUNTS[kind]
        try:
            in_count = int(row.get("in_count") or default_in)
            on_count = int(row.get("on_count") or default_on)
        except (TypeError, ValueError):
            errors.append(
                ("kinds", _("%(kind)s: the template counts are whole numbers.") % {"kind": label})
            )
            continue
        for message in template_errors(in_count, on_count):
            errors.append(("kinds", f"{label}: {message}"))
        amount = _rupiah(row.get("amount"), "kinds", errors)
        cleaned.append({"kind": kind, "amount": amount, "in_count": in_count, "on_count": on_count})
    if errors:
        raise FieldErrors(errors)
    return cleaned


@transaction.atomic
def programme_create(
    *, actor, data: dict, kinds: list[dict], source: str = "web"
) -> GrantProgramme:
    """An office opens a programme for its region, as a draft; audited with its money."""
    programme = GrantProgramme(
        **clean_programme(data), created_by=user_of(actor), created_at=clock.now()
    )
    require(actor, CREATE, programme)
    rows = clean_kinds(kinds)
    programme.save()
    ProgrammeKind.objects.bulk_create(ProgrammeKind(programme=programme, **r) for r in rows)
    audit.record(
        actor=actor,
        action="create",
        obj=programme,
        source=source,
        changes={
            "name": [None, programme.name],
            "budget_ceiling": [None, str(programme.budget_ceiling)],
            "quota": [None, programme.quota],
            "kinds": [
                None,
                {r["kind"]: [str(r["amount"]), r["in_count"], r["on_count"]] for r in rows},
            ],
        },
        province_id=programme.province_id or "",
        regency_id=programme.regency_id or "",
    )
    return programme


# -- programme workflow ------------------------------------------------------------------

PStatus = GrantProgramme.Status
# action: (from states, to state)
PROGRAMME_TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "open": ({PStatus.DRAFT}, PStatus.OPEN),
    "close_applications": ({PStatus.OPEN}, PStatus.REVIEW),
    "start_reporting": ({PStatus.RUNNING}, PStatus.REPORTING),
    "close": ({PStatus.REPORTING}, PStatus.CLOSED),
}
PROGRAMME_ACTION_LABELS = {
    "open": gettext_lazy("opened for proposals"),
    "close_applications": gettext_lazy("closed for proposals"),
    "start_reporting": gettext_lazy("moved to reporting"),
    "close": gettext_lazy("closed"),
}


def _programme_region(programme: GrantProgramme) -> dict:
    return {"province_id": programme.province_id or "", "regency_id": programme.regency_id or ""}


@transaction.atomic
def programme_transition(
    *, actor, programme: GrantProgramme, action: str, source: str = "web"
) -> GrantProgramme:
    """Move a programme along draft → open → review → (decision) running → reporting →
    closed. The decision step is `programme_decide`, which needs the selection."""
    programme = GrantProgramme.objects.select_for_update().get(pk=programme.pk)
    if action not in PROGRAMME_TRANSITIONS:
        raise DomainError(_("Unknown action."), field="action")
    require(actor, CHANGE, programme)
    sources, target = PROGRAMME_TRANSITIONS[action]
    if programme.status not in sources:
        raise DomainError(
            _("A programme that is %(status)s cannot be %(action)s.")
            % {
                "status": programme.get_status_display().lower(),
                "action": PROGRAMME_ACTION_LABELS[action],
            },
            code="invalid_transition",
        )
    if action == "close":
        open_grants = programme.proposals.filter(status__in=GRANT_STATES - {Status.CLOSED})
        if open_grants.exists():
            raise DomainError(
                _("%(n)d funded groups have not closed their grant yet: %(groups)s.")
                % {
                    "n": open_grants.count(),
                    "groups": ", ".join(p.group.name for p in open_grants[:5]),
                },
                code="grants_open",
            )
    before = programme.status
    programme.status = target
    programme.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=action,
        obj=programme,
        source=source,
        changes={"status": [before, target]},
        **_programme_region(programme),
    )
    return programme


# -- proposals --------------------------------------------------------------------------

Status = Proposal.Status
EDITABLE = {Status.DRAFT, Status.RETURNED}
# A proposal that became a grant: money was paid and must be accounted for.
GRANT_STATES = {Status.FUNDED, Status.REPORTED, Status.REPORT_VERIFIED, Status.CLOSED}
TEXT_FIELDS = (
    "background_current",
    "background_expected",
    "background_solution",
    "goals",
    "sustainability_plan",
)


def _region(proposal: Proposal) -> dict:
    group = proposal.group
    return {"province_id": group.province_id or "", "regency_id": group.regency_id or ""}


def _today() -> datetime.date:
    return clock.today()


def _lock(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update()
        .select_related("programme", "group")
        .get(pk=proposal.pk)
    )


def _require_status(proposal: Proposal, allowed: set[str], doing) -> None:
    if proposal.status not in allowed:
        raise DomainError(
            _("A proposal that is %(status)s cannot be %(doing)s.")
            % {"status": proposal.get_status_display().lower(), "doing": doing},
            code="invalid_transition",
        )


def _spread_dates(start: datetime.date, end: datetime.date, n: int) -> list[datetime.date]:
    step = (end - start) / (n + 1)
    return [start + step * (i + 1) for i in range(n)]


@transaction.atomic
def proposal_start(
    *, actor, programme: GrantProgramme, group: WorkingGroup, source: str = "web"
) -> Proposal:
    """The ketua starts a proposal for an eligible group; the plan is generated from the
    programme's template for the group type, with dates spread over the period."""
    proposal = Proposal(
        programme=programme, group=group, created_by=user_of(actor), created_at=clock.now()
    )
    if not can(actor, "prepare", proposal):
        raise Forbidden() if can(actor, VIEW, group) else NotFound()
    if programme.status != PStatus.OPEN:
        raise DomainError(_("The programme is not open for proposals."), code="not_open")
    if not programme.apply_from <= _today() <= programme.apply_until:
        raise DomainError(
            _("Proposals are accepted from %(start)s to %(end)s.")
            % {
                "start": programme.apply_from.strftime("%d-%m-%Y"),
                "end": programme.apply_until.strftime("%d-%m-%Y"),
            },
            code="not_open",
        )
    if Proposal.objects.filter(programme=programme, group=group).exists():
        raise DomainError(
            _("This group already has a proposal in this programme."), code="duplicate"
        )
    reasons = refusals(group, programme)
    if reasons:
        raise DomainError(
            _("The group is not eligible for this programme."),
            code="not_eligible",
            details=[{"field": "group", "message": str(r)} for r in reasons],
        )
    kind = programme.kinds.get(kind=group.kind)
    proposal.amount = kind.amount
    proposal.save()
    steps = skeleton(kind.in_count, kind.on_count)
    dates = _spread_dates(programme.period_start, programme.period_end, len(steps))
    items = PlannedActivity.objects.bulk_create(
        PlannedActivity(proposal=proposal, seq=n, kind=k, date=d)
        for n, ((k, _p, _r), d) in enumerate(zip(steps, dates, strict=True), start=1)
    )
    by_ref = {f"Kegiatan {i.seq}": i for i in items}
    for item, (_k, practises, reflects_on) in zip(items, steps, strict=True):
        item.practises = by_ref.get(practises or "")
        item.reflects_on = by_ref.get(reflects_on or "")
    PlannedActivity.objects.bulk_update(items, ["practises", "reflects_on"])
    proposal.participants.set(
        group.memberships.filter(ended_on__isnull=True).values_list("person_id", flat=True)
    )
    audit.record(
        actor=actor,
        action="create",
        obj=proposal,
        source=source,
        changes={"amount": [None, str(proposal.amount)], "status": [None, proposal.status]},
        **_region(proposal),
    )
    return proposal


@transaction.atomic
def proposal_update(*, actor, proposal: Proposal, data: dict, source: str = "web") -> Proposal:
    """Background, goals and the plan after the grant: saved as drafts, checked on submit."""
    proposal = _lock(proposal)
    require(actor, "prepare", proposal)
    _require_status(proposal, EDITABLE, _("edited"))
    before = audit.snapshot(proposal, TEXT_FIELDS)
    for name in TEXT_FIELDS:
        if name in data:
            setattr(proposal, name, clean_text(data.get(name)))
    proposal.save(update_fields=list(TEXT_FIELDS))
    changes = audit.diff(before, audit.snapshot(proposal, TEXT_FIELDS))
    if changes:
        audit.record(
            actor=actor,
            action="update",
            obj=proposal,
            source=source,
            changes=changes,
            **_region(proposal),
        )
    return proposal


@transaction.atomic
def participants_set(*, actor, proposal: Proposal, person_ids, source: str = "web") -> None:
    """Participants are members of the group (current ones)."""
    proposal = _lock(proposal)
    require(actor, "prepare", proposal)
    _require_status(proposal, EDITABLE, _("edited"))
    members = set(
        proposal.group.memberships.filter(ended_on__isnull=True).values_list("person_id", flat=True)
    )
    chosen = {int(p) for p in person_ids if str(p).isdigit()}
    outsiders = chosen - members
    if outsiders:
        raise FieldErrors([("participants", _("Participants are current members of the group."))])
    before = audit.snapshot(proposal, ["participants"])
    proposal.participants.set(chosen)
    audit.record(
        actor=actor,
        action="update",
        obj=proposal,
        source=source,
        changes=audit.diff(before, audit.snapshot(proposal, ["participants"])),
        **_region(proposal),
    )


def _plan_ref(raw, by_seq, name, errors, row_ref):
    value = clean_text(raw)
    if not value:
        return None
    target = by_seq.get(int(value)) if value.isdigit() else None
    if target is None:
        errors.append(
            (
                name,
                _("%(ref)s: no activity number %(n)s in this plan.") % {"ref": row_ref, "n": value},
            )
        )
    return target


PLAN_FIELDS = (
    "kind",
    "date",
    "topic",
    "facilitator",
    "learning_problem",
    "expected_output",
    "practises",
    "reflects_on",
)


@transaction.atomic
def plan_update(*, actor, proposal: Proposal, rows: list[dict], source: str = "web") -> None:
    """Edit the plan's activities (one row per activity number). A draft may be
    incomplete; the In-On-In rules are enforced when it is submitted."""
    proposal = _lock(proposal)
    require(actor, "prepare", proposal)
    _require_status(proposal, EDITABLE, _("edited"))
    items = list(proposal.plan.all())
    by_seq = {i.seq: i for i in items}
    errors: list[tuple[str, Any]] = []
    changes = {}
    for row in rows:
        seq = clean_text(row.get("seq"))
        item = by_seq.get(int(seq)) if seq.isdigit() else None
        if item is None:
            errors.append(("plan", _("No activity number %(n)s in this plan.") % {"n": seq}))
            continue
        before = audit.snapshot(item, PLAN_FIELDS)
        if "kind" in row:
            kind = clean_text(row.get("kind")).lower()
            if kind not in PlannedActivity.Kind.values:
                errors.append(("kind", _("%(ref)s: the kind is In or On.") % {"ref": item.ref}))
            else:
                item.kind = kind
        if "date" in row:
            raw = clean_text(row.get("date"))
            try:
                item.date = datetime.date.fromisoformat(raw) if raw else None
            except ValueError:
                errors.append(
                    ("date", _("%(ref)s: use the date format YYYY-MM-DD.") % {"ref": item.ref})
                )
        for name, limit in (("topic", 200), ("facilitator", 200)):
            if name in row:
                setattr(item, name, normalize_name(clean_text(row.get(name)))[:limit])
        for name in ("learning_problem", "expected_output"):
            if name in row:
                setattr(item, name, clean_text(row.get(name)))
        for name in ("practises", "reflects_on"):
            if name in row:
                setattr(item, name, _plan_ref(row.get(name), by_seq, name, errors, item.ref))
        after = audit.snapshot(item, PLAN_FIELDS)
        if after != before:
            changes[item.ref] = audit.diff(before, after)
    if errors:
        raise FieldErrors(errors)
    PlannedActivity.objects.bulk_update(items, [f for f in PLAN_FIELDS])
    if changes:
        audit.record(
            actor=actor,
            action="update_plan",
            obj=proposal,
            source=source,
            changes=changes,
            **_region(proposal),
        )


def plan_items(proposal: Proposal, *, realised: bool = False) -> list[PlanItem]:
    """The proposal's plan as the In-On-In rules read it; `realised` takes the dates,
    attendance, materials and classroom evidence of the held activities."""
    items = list(
        proposal.plan.select_related("practises", "reflects_on", "activity").order_by("seq")
    )
    counts = {}
    if realised:
        activity_ids = [i.activity_id for i in items if i.activity_id]
        present = dict(
            Attendance.objects.filter(activity_id__in=activity_ids, status="hadir")
            .values_list("activity_id")
            .annotate(n=Count("id"))
        )
        kinds: dict[int, set[str]] = {}
        for activity_id, kind in Evidence.objects.filter(activity_id__in=activity_ids).values_list(
            "activity_id", "kind"
        ):
            kinds.setdefault(activity_id, set()).add(kind)
        counts = {"present": present, "kinds": kinds}
    result = []
    for i in items:
        plan = PlanItem(
            ref=i.ref,
            kind=i.kind,
            date=(i.activity.date if realised and i.activity else i.date),
            practises=i.practises.ref if i.practises else None,
            reflects_on=i.reflects_on.ref if i.reflects_on else None,
        )
        if realised and i.activity_id:
            kinds = counts["kinds"].get(i.activity_id, set())
            plan.evidence_kinds = kinds
            plan.attendance = counts["present"].get(i.activity_id, 0)
            plan.materials = len(kinds & MATERIAL_EVIDENCE)
        result.append(plan)
    return result


def plan_problems(proposal: Proposal) -> list[Violation]:
    kind = proposal.programme.kinds.get(kind=proposal.group.kind)
    return plan_violations(
        plan_items(proposal),
        in_count=kind.in_count,
        on_count=kind.on_count,
        period_start=proposal.programme.period_start,
        period_end=proposal.programme.period_end,
    )


def _line_data(proposal: Proposal, raw: dict) -> dict:
    errors: list[tuple[str, Any]] = []
    data: dict[str, Any] = {}
    planned = clean_text(raw.get("planned"))
    data["planned"] = None
    if planned:
        data["planned"] = (
            proposal.plan.filter(seq=int(planned)).first() if planned.isdigit() else None
        )
        if data["planned"] is None:
            errors.append(("planned", _("No activity number %(n)s in this plan.") % {"n": planned}))
    data["category"] = clean_choice(raw.get("category"), BudgetLine.Category, "category", errors)
    data["description"] = normalize_name(clean_text(raw.get("description")))[:200]
    if not data["description"]:
        errors.append(("description", _("Describe what the money is for.")))
    data["amount"] = _rupiah(raw.get("amount"), "amount", errors)
    if errors:
        raise FieldErrors(errors)
    return data


@transaction.atomic
def budget_line_add(*, actor, proposal: Proposal, data: dict, source: str = "web") -> BudgetLine:
    """One RAB line: an activity (or the whole grant), a spending category, an amount."""
    proposal = _lock(proposal)
    require(actor, "prepare", proposal)
    _require_status(proposal, EDITABLE, _("edited"))
    clean = _line_data(proposal, data)
    line = BudgetLine.objects.create(
        proposal=proposal,
        planned=clean["planned"],
        category=clean["category"],
        description=clean["description"],
        planned_amount=clean["amount"],
        amount=clean["amount"],
    )
    audit.record(
        actor=actor,
        action="create",
        obj=line,
        source=source,
        changes={"amount": [None, str(line.amount)], "category": [None, line.category]},
        **_region(proposal),
    )
    return line


@transaction.atomic
def budget_line_remove(*, actor, line: BudgetLine, source: str = "web") -> None:
    proposal = _lock(line.proposal)
    require(actor, "prepare", proposal)
    _require_status(proposal, EDITABLE, _("edited"))
    audit.record(
        actor=actor,
        action="delete",
        obj=line,
        source=source,
        changes={"amount": [str(line.amount), None], "category": [line.category, None]},
        **_region(proposal),
    )
    line.delete()


def submission_gaps(proposal: Proposal) -> list[tuple[str, str]]:
    """Everything that keeps a proposal from being submitted, as (field, message)."""
    gaps: list[tuple[str, str]] = [
        ("group", str(r)) for r in refusals(proposal.group, proposal.programme)
    ]
    labels = {f: Proposal._meta.get_field(f).verbose_name for f in TEXT_FIELDS}
    for name in TEXT_FIELDS:
        if not getattr(proposal, name).strip():
            gaps.append((name, _("%(field)s is empty.") % {"field": capfirst(labels[name])}))
    for v in plan_problems(proposal):
        gaps.append(("plan", str(v.message)))
    for item in proposal.plan.order_by("seq"):
        missing = [
            str(PlannedActivity._meta.get_field(f).verbose_name)
            for f in ("topic", "learning_problem", "expected_output")
            if not getattr(item, f).strip()
        ]
        if item.kind == PlannedActivity.Kind.IN and not item.facilitator.strip():
            missing.append(str(PlannedActivity._meta.get_field("facilitator").verbose_name))
        if missing:
            gaps.append(
                (
                    "plan",
                    _("%(ref)s lacks: %(fields)s.")
                    % {"ref": item.ref, "fields": ", ".join(missing)},
                )
            )
    if not proposal.participants.exists():
        gaps.append(("participants", _("Choose the participants.")))
    total = proposal.budget.aggregate(t=Sum("amount"))["t"] or Decimal(0)
    if total != proposal.amount:
        gaps.append(
            (
                "budget",
                _("The budget (RAB) totals %(total)s; it must equal the grant, %(amount)s.")
                % {"total": rupiah(total), "amount": rupiah(proposal.amount)},
            )
        )
    return gaps


def review_levels(proposal: Proposal) -> list[str]:
    """The offices that verify, from the group's kab/kota up to the programme's level."""
    programme = proposal.programme
    levels = [ScopeLevel.KABKOTA, ScopeLevel.PROVINSI, ScopeLevel.NASIONAL]
    if not proposal.group.regency_id:
        levels.remove(ScopeLevel.KABKOTA)
    if programme.regency_id:
        return [ScopeLevel.KABKOTA]
    if programme.province_id:
        levels.remove(ScopeLevel.NASIONAL)
    return levels


@transaction.atomic
def proposal_submit(*, actor, proposal: Proposal, source: str = "web") -> Proposal:
    """Send the proposal to the first review level; refused with every gap named."""
    proposal = _lock(proposal)
    require(actor, "prepare", proposal)
    _require_status(proposal, EDITABLE, _("submitted"))
    programme = proposal.programme
    resubmission = proposal.status == Status.RETURNED
    if not (
        programme.status == PStatus.OPEN or (resubmission and programme.status == PStatus.REVIEW)
    ):
        raise DomainError(_("The programme is not open for proposals."), code="not_open")
    if not resubmission and _today() > programme.apply_until:
        raise DomainError(
            _("Proposals closed on %(date)s.")
            % {"date": programme.apply_until.strftime("%d-%m-%Y")},
            code="not_open",
        )
    gaps = submission_gaps(proposal)
    if gaps:
        raise DomainError(
            _("The proposal cannot be submitted yet."),
            code="incomplete",
            details=[{"field": f, "message": m} for f, m in gaps],
        )
    before = proposal.status
    proposal.status = Status.SUBMITTED
    proposal.review_level = review_levels(proposal)[0]
    proposal.submitted_at = clock.now()
    proposal.save(update_fields=["status", "review_level", "submitted_at"])
    audit.record(
        actor=actor,
        action="submit",
        obj=proposal,
        source=source,
        changes={"status": [before, proposal.status], "review_level": ["", proposal.review_level]},
        **_region(proposal),
    )
    return proposal


def _decision(decision: str, comment: str, score=None, *, scored: bool) -> int | None:
    errors: list[tuple[str, Any]] = []
    if decision not in Review.Decision.values:
        errors.append(("decision", _("Approve or return.")))
    if decision == Review.Decision.RETURN and not comment.strip():
        errors.append(("comment", _("Say what must be revised.")))
    value = None
    if scored and decision == Review.Decision.APPROVE:
        raw = clean_text(score)
        value = int(raw) if raw.isdigit() else None
        if value is None or value > 100:
            errors.append(("score", _("Give a score from 0 to 100.")))
    if errors:
        raise FieldErrors(errors)
    return value


@transaction.atomic
def proposal_review(
    *,
    actor,
    proposal: Proposal,
    decision: str,
    comment: str = "",
    score=None,
    source: str = "web",
) -> Proposal:
    """The office at the awaited level approves (with a score, passing it up the chain)
    or returns the proposal for revision with a comment."""
    proposal = _lock(proposal)
    require(actor, "review", proposal)
    _require_status(proposal, {Status.SUBMITTED}, _("reviewed"))
    value = _decision(decision, comment, score, scored=True)
    level = proposal.review_level
    Review.objects.create(
        at=clock.now(),
        proposal=proposal,
        stage=Review.Stage.PROPOSAL,
        level=level,
        decision=decision,
        score=value,
        comment=clean_text(comment),
        reviewer=user_of(actor),
    )
    before = proposal.status
    if decision == Review.Decision.RETURN:
        proposal.status, proposal.review_level = Status.RETURNED, ""
    else:
        levels = review_levels(proposal)
        later = levels[levels.index(level) + 1 :] if level in levels else []
        if later:
            proposal.review_level = later[0]
        else:
            proposal.status, proposal.review_level = Status.VERIFIED, ""
    proposal.save(update_fields=["status", "review_level"])
    audit.record(
        actor=actor,
        action=f"review_{decision}",
        obj=proposal,
        source=source,
        changes={
            "status": [before, proposal.status],
            "level": [level, proposal.review_level],
            "score": [None, value],
        },
        **_region(proposal),
    )
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor, proposal: Proposal, source: str = "web") -> Proposal:
    proposal = _lock(proposal)
    require(actor, "prepare", proposal)
    _require_status(
        proposal,
        {Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.VERIFIED},
        _("withdrawn"),
    )
    before = proposal.status
    proposal.status, proposal.review_level = Status.WITHDRAWN, ""
    proposal.save(update_fields=["status", "review_level"])
    audit.record(
        actor=actor,
        action="withdraw",
        obj=proposal,
        source=source,
        changes={"status": [before, proposal.status]},
        **_region(proposal),
    )
    return proposal


# -- selection, decision, disbursement ---------------------------------------------------


@transaction.atomic
def programme_select(*, actor, programme: GrantProgramme, source: str = "web") -> list[Ranked]:
    """Rank the verified proposals and select within the quota and the ceiling; can be
    run again until the decision is issued."""
    programme = GrantProgramme.objects.select_for_update().get(pk=programme.pk)
    require(actor, CHANGE, programme)
    if programme.status != PStatus.REVIEW:
        raise DomainError(
            _("Selection happens after proposals close and before the decision."),
            code="invalid_transition",
        )
    pending = programme.proposals.filter(status=Status.SUBMITTED).count()
    if pending:
        raise DomainError(
            _("%(n)d proposals are still being reviewed.") % {"n": pending}, code="pending"
        )
    candidates = list(
        programme.proposals.filter(
            status__in=[Status.VERIFIED, Status.SELECTED, Status.NOT_SELECTED]
        ).select_related("group")
    )
    if not candidates:
        raise DomainError(_("No verified proposals to select from."), code="empty")
    ranked = selection.rank(programme, candidates)
    for r in ranked:
        p = r.proposal
        p.score, p.rank, p.selection_note = r.score, r.rank, r.note
        p.status = Status.SELECTED if r.selected else Status.NOT_SELECTED
    Proposal.objects.bulk_update(candidates, ["score", "rank", "selection_note", "status"])
    audit.record(
        actor=actor,
        action="select",
        obj=programme,
        source=source,
        changes={
            "selected": [None, [r.proposal.pk for r in ranked if r.selected]],
            "scores": [None, {str(r.proposal.pk): str(r.score) for r in ranked}],
        },
        **_programme_region(programme),
    )
    return ranked


@transaction.atomic
def programme_decide(
    *, actor, programme: GrantProgramme, number: str, date, source: str = "web"
) -> GrantProgramme:
    """Issue the decision (SK) on the selection: the programme starts running."""
    programme = GrantProgramme.objects.select_for_update().get(pk=programme.pk)
    require(actor, CHANGE, programme)
    if programme.status != PStatus.REVIEW:
        raise DomainError(
            _("A decision is issued once, on a programme in review."), code="invalid_transition"
        )
    errors: list[tuple[str, Any]] = []
    number = clean_text(number)[:100]
    if not number:
        errors.append(("decision_number", _("Give the decision (SK) number.")))
    day = _date(date, "decision_date", errors)
    if errors:
        raise FieldErrors(errors)
    if not programme.proposals.filter(status=Status.SELECTED).exists():
        raise DomainError(_("Run the selection before the decision."), code="no_selection")
    if programme.proposals.filter(status__in=[Status.SUBMITTED, Status.VERIFIED]).exists():
        raise DomainError(
            _("Some proposals are not ranked yet: run the selection again."), code="no_selection"
        )
    programme.decision_number, programme.decision_date = number, day
    programme.status = PStatus.RUNNING
    programme.save(update_fields=["decision_number", "decision_date", "status"])
    audit.record(
        actor=actor,
        action="decide",
        obj=programme,
        source=source,
        changes={
            "decision_number": ["", number],
            "decision_date": [None, str(day)],
            "status": [PStatus.REVIEW, PStatus.RUNNING],
        },
        **_programme_region(programme),
    )
    return programme


@transaction.atomic
def disburse(
    *, actor, proposal: Proposal, amount, date, reference: str, source: str = "web"
) -> Proposal:
    """Record the transfer of the whole grant to the group's account."""
    proposal = _lock(proposal)
    require(actor, "manage", proposal)
    _require_status(proposal, {Status.SELECTED}, _("paid"))
    if proposal.programme.status != PStatus.RUNNING:
        raise DomainError(_("Funds are paid once the decision is issued."), code="not_running")
    errors: list[tuple[str, Any]] = []
    value = _rupiah(amount, "amount", errors)
    day = _date(date, "date", errors)
    reference = clean_text(reference)[:100]
    if not reference:
        errors.append(("reference", _("Give the transfer reference.")))
    if value is not None and value != proposal.amount:
        errors.append(
            (
                "amount",
                _("The grant is paid in full: %(amount)s.") % {"amount": rupiah(proposal.amount)},
            )
        )
    if errors:
        raise FieldErrors(errors)
    proposal.disbursed_amount, proposal.disbursed_on = value, day
    proposal.disbursement_ref = reference
    proposal.status = Status.FUNDED
    proposal.save(update_fields=["disbursed_amount", "disbursed_on", "disbursement_ref", "status"])
    audit.record(
        actor=actor,
        action="disburse",
        obj=proposal,
        source=source,
        changes={
            "disbursed_amount": [None, str(value)],
            "disbursed_on": [None, str(day)],
            "status": [Status.SELECTED, Status.FUNDED],
        },
        **_region(proposal),
    )
    return proposal


# -- realisation and the accountability report (LPJ) --------------------------------------


@transaction.atomic
def plan_item_realise(
    *, actor, item: PlannedActivity, place: str = "", online_link: str = "", source: str = "web"
) -> Activity:
    """Put a planned activity on the group's calendar as an In or On session; attendance
    and evidence are then recorded on it like on any activity."""
    proposal = _lock(item.proposal)
    item = PlannedActivity.objects.select_related("reflects_on__activity").get(pk=item.pk)
    require(actor, "prepare", proposal)
    _require_status(proposal, {Status.FUNDED}, _("carried out"))
    if item.activity_id:
        raise DomainError(
            _("%(ref)s is already on the calendar.") % {"ref": item.ref}, code="duplicate"
        )
    reflects = item.reflects_on.activity if item.reflects_on else None
    if item.reflects_on and reflects is None:
        raise DomainError(
            _("%(ref)s reflects on %(on)s: hold that On activity first.")
            % {"ref": item.ref, "on": item.reflects_on.ref},
            code="order",
        )
    activity = activity_create(
        actor=actor,
        group=proposal.group,
        data={
            "kind": item.kind,
            "topic": item.topic or item.ref,
            "date": item.date,
            "place": place,
            "online_link": online_link,
            "external_facilitators": item.facilitator,
            "learning_problem": item.learning_problem,
            "reflects_on": reflects,
            "notes": item.expected_output,
        },
        source=source,
    )
    item.activity = activity
    item.save(update_fields=["activity"])
    return activity


@transaction.atomic
def plan_item_outcome(
    *, actor, item: PlannedActivity, students_change: str, source: str = "web"
) -> PlannedActivity:
    """What changed for students after the activity, for the report."""
    proposal = _lock(item.proposal)
    require(actor, "prepare", proposal)
    _require_status(proposal, {Status.FUNDED}, _("reported on"))
    before = item.students_change
    item.students_change = clean_text(students_change)
    item.save(update_fields=["students_change"])
    audit.record(
        actor=actor,
        action="update",
        obj=item,
        source=source,
        changes={"students_change": [before, item.students_change]},
        **_region(proposal),
    )
    return item


def report_gaps(proposal: Proposal) -> list[tuple[str, str]]:
    """What keeps the report (LPJ) from being submitted: the In-On-In rules on what was
    held, each activity's outcome for students, and every rupiah accounted for."""
    from gugus.grants import money

    gaps: list[tuple[str, str]] = []
    plan = list(proposal.plan.select_related("activity").order_by("seq"))
    for item in plan:
        if item.activity is None or item.activity.status != Activity.Status.HELD:
            gaps.append(("plan", _("%(ref)s has not been held.") % {"ref": item.ref}))
        elif not item.students_change.strip():
            gaps.append(("plan", _("%(ref)s: say what changed for students.") % {"ref": item.ref}))
    if all(i.activity_id for i in plan):
        kind = proposal.programme.kinds.get(kind=proposal.group.kind)
        realised = plan_items(proposal, realised=True)
        for v in plan_violations(
            realised,
            in_count=kind.in_count,
            on_count=kind.on_count,
            period_start=proposal.programme.period_start,
            period_end=proposal.programme.period_end,
        ) + realisation_violations(realised):
            gaps.append(("plan", str(v.message)))
    totals = money.totals(proposal)
    if totals.balance != 0:
        gaps.append(
            (
                "money",
                _(
                    "%(balance)s of the grant is neither spent nor returned: record the "
                    "spending or the returned funds."
                )
                % {"balance": rupiah(totals.balance)},
            )
        )
    if not proposal.outcomes.strip():
        gaps.append(("outcomes", _("Summarise what changed for students.")))
    return gaps


@transaction.atomic
def report_submit(*, actor, proposal: Proposal, outcomes: str = "", source: str = "web"):
    """The ketua submits the accountability report; refused with every gap named."""
    proposal = _lock(proposal)
    require(actor, "prepare", proposal)
    _require_status(proposal, {Status.FUNDED}, _("reported"))
    if outcomes:
        proposal.outcomes = clean_text(outcomes)
        proposal.save(update_fields=["outcomes"])
    gaps = report_gaps(proposal)
    if gaps:
        raise DomainError(
            _("The report cannot be submitted yet."),
            code="incomplete",
            details=[{"field": f, "message": m} for f, m in gaps],
        )
    proposal.status, proposal.reported_at = Status.REPORTED, clock.now()
    proposal.save(update_fields=["status", "reported_at"])
    audit.record(
        actor=actor,
        action="report",
        obj=proposal,
        source=source,
        changes={"status": [Status.FUNDED, Status.REPORTED]},
        **_region(proposal),
    )
    return proposal


def _report_decision(
    *, actor, proposal, permission, from_status, to_status, level, decision, comment, source
):
    proposal = _lock(proposal)
    require(actor, permission, proposal)
    _require_status(proposal, {from_status}, _("reviewed"))
    _decision(decision, comment, scored=False)
    Review.objects.create(
        at=clock.now(),
        proposal=proposal,
        stage=Review.Stage.REPORT,
        level=level,
        decision=decision,
        comment=clean_text(comment),
        reviewer=user_of(actor),
    )
    target = to_status if decision == Review.Decision.APPROVE else Status.FUNDED
    proposal.status = target
    fields = ["status"]
    if target == Status.CLOSED:
        proposal.closed_at = clock.now()
        fields.append("closed_at")
    proposal.save(update_fields=fields)
    audit.record(
        actor=actor,
        action=f"report_{decision}",
        obj=proposal,
        source=source,
        changes={"status": [from_status, target]},
        **_region(proposal),
    )
    return proposal


@transaction.atomic
def report_verify(*, actor, proposal: Proposal, decision: str, comment: str = "", source="web"):
    """The supervising pengawas checks the report against the records."""
    return _report_decision(
        actor=actor,
        proposal=proposal,
        permission="verify_report",
        from_status=Status.REPORTED,
        to_status=Status.REPORT_VERIFIED,
        level="pengawas",
        decision=decision,
        comment=comment,
        source=source,
    )


@transaction.atomic
def report_approve(*, actor, proposal: Proposal, decision: str, comment: str = "", source="web"):
    """The office approves the verified report and the grant closes."""
    return _report_decision(
        actor=actor,
        proposal=proposal,
        permission="manage",
        from_status=Status.REPORT_VERIFIED,
        to_status=Status.CLOSED,
        level="kantor",
        decision=decision,
        comment=comment,
        source=source,
    )
