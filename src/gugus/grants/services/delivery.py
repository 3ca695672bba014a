"""A funded grant carried out: the disbursement, each planned activity held and what it
changed for students, and the accountability report."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gugus.communities.models import Activity
from gugus.communities.services import activity_create
from gugus.core import audit, clock
from gugus.core.cleaning import clean_date, clean_rupiah, clean_text
from gugus.core.errors import DomainError, FieldErrors
from gugus.core.formats import rupiah
from gugus.grants.checks import report_gaps
from gugus.grants.models import (
    PlannedActivity,
    Proposal,
)
from gugus.grants.workflow import (
    PStatus,
    Status,
    lock_proposal,
    proposal_step,
)


@transaction.atomic
def disburse(
    *, actor, proposal: Proposal, amount, date, reference: str, source: str = "web"
) -> Proposal:
    """Record the transfer of the whole grant to the group's account."""
    proposal = lock_proposal(proposal)
    proposal_step(actor, proposal, "disburse")
    if proposal.programme.status != PStatus.RUNNING:
        raise DomainError(_("Funds are paid once the decision is issued."), code="not_running")
    errors: list[tuple[str, Any]] = []
    value = clean_rupiah(amount, "amount", errors)
    day = clean_date(date, "date", errors)
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
        **proposal.audit_region,
    )
    return proposal


@transaction.atomic
def plan_item_realise(
    *, actor, item: PlannedActivity, place: str = "", online_link: str = "", source: str = "web"
) -> Activity:
    """Put a planned activity on the group's calendar as an In or On session; attendance
    and evidence are then recorded on it like on any activity."""
    proposal = lock_proposal(item.proposal)
    item = PlannedActivity.objects.select_related("reflects_on__activity").get(pk=item.pk)
    proposal_step(actor, proposal, "realise")
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
    proposal = lock_proposal(item.proposal)
    proposal_step(actor, proposal, "outcome")
    before = item.students_change
    item.students_change = clean_text(students_change)
    item.save(update_fields=["students_change"])
    audit.record(
        actor=actor,
        action="update",
        obj=item,
        source=source,
        changes={"students_change": [before, item.students_change]},
        **proposal.audit_region,
    )
    return item


@transaction.atomic
def report_submit(*, actor, proposal: Proposal, outcomes: str = "", source: str = "web"):
    """The ketua submits the accountability report; refused with every gap named."""
    proposal = lock_proposal(proposal)
    proposal_step(actor, proposal, "report")
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
        **proposal.audit_region,
    )
    return proposal
