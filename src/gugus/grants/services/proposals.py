"""Writes to a proposal while its group prepares it: start from the programme's template,
text, participants, plan and budget, submission and withdrawal."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from gugus.communities.models import WorkingGroup
from gugus.core import audit, clock
from gugus.core.access import VIEW, can, user_of
from gugus.core.cleaning import clean_choice, clean_rupiah, clean_text, normalize_name
from gugus.core.errors import DomainError, FieldErrors, Forbidden, NotFound
from gugus.core.formats import rupiah
from gugus.grants.checks import TEXT_FIELDS, review_levels, submission_gaps
from gugus.grants.eligibility import refusals
from gugus.grants.inoni import PlanItem, alternation_violations, skeleton
from gugus.grants.models import (
    BudgetLine,
    GrantProgramme,
    PlannedActivity,
    Proposal,
)
from gugus.grants.workflow import (
    PStatus,
    Status,
    lock_proposal,
    proposal_step,
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
    if not programme.apply_from <= clock.today() <= programme.apply_until:
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
        **proposal.audit_region,
    )
    return proposal


@transaction.atomic
def proposal_update(*, actor, proposal: Proposal, data: dict, source: str = "web") -> Proposal:
    """Background, goals and the plan after the grant: saved as drafts, checked on submit."""
    proposal = lock_proposal(proposal)
    proposal_step(actor, proposal, "edit")
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
            **proposal.audit_region,
        )
    return proposal


@transaction.atomic
def participants_set(*, actor, proposal: Proposal, person_ids, source: str = "web") -> None:
    """Participants are members of the group (current ones)."""
    proposal = lock_proposal(proposal)
    proposal_step(actor, proposal, "edit")
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
        **proposal.audit_region,
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
    proposal = lock_proposal(proposal)
    proposal_step(actor, proposal, "edit")
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
    # A draft may be incomplete, but never out of the In-On-In order (rule 6).
    errors += [
        ("plan", v.message)
        for v in alternation_violations(
            [
                PlanItem(ref=i.ref, kind=i.kind, date=i.date)
                for i in sorted(items, key=lambda i: i.seq)
            ]
        )
    ]
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
            **proposal.audit_region,
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
    data["amount"] = clean_rupiah(raw.get("amount"), "amount", errors)
    if errors:
        raise FieldErrors(errors)
    return data


@transaction.atomic
def budget_line_add(*, actor, proposal: Proposal, data: dict, source: str = "web") -> BudgetLine:
    """One RAB line: an activity (or the whole grant), a spending category, an amount."""
    proposal = lock_proposal(proposal)
    proposal_step(actor, proposal, "edit")
    clean = _line_data(proposal, data)
    planned = proposal.budget.aggregate(t=Sum("planned_amount"))["t"] or 0
    if planned + clean["amount"] > proposal.amount:
        raise FieldErrors(
            [
                (
                    "amount",
                    _("The budget would reach %(total)s, more than the grant of %(grant)s.")
                    % {
                        "total": rupiah(planned + clean["amount"]),
                        "grant": rupiah(proposal.amount),
                    },
                )
            ]
        )
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
        **proposal.audit_region,
    )
    return line


@transaction.atomic
def budget_line_remove(*, actor, line: BudgetLine, source: str = "web") -> None:
    proposal = lock_proposal(line.proposal)
    proposal_step(actor, proposal, "edit")
    audit.record(
        actor=actor,
        action="delete",
        obj=line,
        source=source,
        changes={"amount": [str(line.amount), None], "category": [line.category, None]},
        **proposal.audit_region,
    )
    line.delete()


@transaction.atomic
def proposal_submit(*, actor, proposal: Proposal, source: str = "web") -> Proposal:
    """Send the proposal to the first review level; refused with every gap named."""
    proposal = lock_proposal(proposal)
    proposal_step(actor, proposal, "submit")
    programme = proposal.programme
    resubmission = proposal.status == Status.RETURNED
    if not (
        programme.status == PStatus.OPEN or (resubmission and programme.status == PStatus.REVIEW)
    ):
        raise DomainError(_("The programme is not open for proposals."), code="not_open")
    if not resubmission and clock.today() > programme.apply_until:
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
        **proposal.audit_region,
    )
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor, proposal: Proposal, source: str = "web") -> Proposal:
    proposal = lock_proposal(proposal)
    proposal_step(actor, proposal, "withdraw")
    before = proposal.status
    proposal.status, proposal.review_level = Status.WITHDRAWN, ""
    proposal.save(update_fields=["status", "review_level"])
    audit.record(
        actor=actor,
        action="withdraw",
        obj=proposal,
        source=source,
        changes={"status": [before, proposal.status]},
        **proposal.audit_region,
    )
    return proposal
