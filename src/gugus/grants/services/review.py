"""Reviews: each level's decision on a proposal, and the verification and approval of
its accountability report."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gugus.core import audit, clock
from gugus.core.access import user_of
from gugus.core.cleaning import clean_text
from gugus.core.errors import FieldErrors
from gugus.grants.checks import review_levels
from gugus.grants.models import (
    Proposal,
    Review,
)
from gugus.grants.workflow import (
    Status,
    lock_proposal,
    proposal_step,
)


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
    proposal = lock_proposal(proposal)
    proposal_step(actor, proposal, "review")
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
        **proposal.audit_region,
    )
    return proposal


def _report_decision(*, actor, proposal, step, level, decision, comment, source):
    """Approve (on to the step's target) or return the report to the group (funded)."""
    proposal = lock_proposal(proposal)
    from_status = proposal.status
    to_status = proposal_step(actor, proposal, step).target
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
        **proposal.audit_region,
    )
    return proposal


@transaction.atomic
def report_verify(*, actor, proposal: Proposal, decision: str, comment: str = "", source="web"):
    """The supervising pengawas checks the report against the records."""
    return _report_decision(
        actor=actor,
        proposal=proposal,
        step="report_verify",
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
        step="report_approve",
        level="kantor",
        decision=decision,
        comment=comment,
        source=source,
    )
