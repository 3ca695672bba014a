"""The grant processes as transition tables (`core.workflow`): a programme's year, and a
proposal from draft to a closed grant. The services check every step here, the proposal
page's buttons and its dispatch view read the permission each step needs, and the
"waiting for you" lists read what each status waits for."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gugus.core.access import require
from gugus.core.workflow import Step, Waiting, Workflow
from gugus.grants.models import GrantProgramme, Proposal

Status = Proposal.Status
PStatus = GrantProgramme.Status

EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
# A proposal that became a grant: money was paid and must be accounted for.
GRANT_STATES = frozenset({Status.FUNDED, Status.REPORTED, Status.REPORT_VERIFIED, Status.CLOSED})
FUNDED = frozenset({Status.FUNDED})

PROGRAMME = Workflow.of(
    _("A programme that is %(status)s cannot be %(doing)s."),
    [
        Step(
            "open",
            frozenset({PStatus.DRAFT}),
            PStatus.OPEN,
            "change",
            _("opened for proposals"),
            label=_("Open proposals"),
        ),
        Step(
            "close_applications",
            frozenset({PStatus.OPEN}),
            PStatus.REVIEW,
            "change",
            _("closed for proposals"),
            label=_("Close proposals"),
        ),
        Step(
            "start_reporting",
            frozenset({PStatus.RUNNING}),
            PStatus.REPORTING,
            "change",
            _("moved to reporting"),
            label=_("Start reporting"),
        ),
        Step(
            "close",
            frozenset({PStatus.REPORTING}),
            PStatus.CLOSED,
            "change",
            _("closed"),
            label=_("Close the programme"),
        ),
    ],
)

PROPOSAL = Workflow.of(
    _("A proposal that is %(status)s cannot be %(doing)s."),
    [
        # The ketua prepares: text, participants, plan and budget, while it is editable.
        Step("edit", EDITABLE, None, "prepare", _("edited")),
        Step("submit", EDITABLE, Status.SUBMITTED, "prepare", _("submitted")),
        Step(
            "withdraw",
            frozenset({Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.VERIFIED}),
            Status.WITHDRAWN,
            "prepare",
            _("withdrawn"),
        ),
        # Each level's office approves (on to the next level or verified) or returns; a
        # report's approval leads to the step's target, its return back to funded.
        Step("review", frozenset({Status.SUBMITTED}), None, "review", _("reviewed")),
        Step("disburse", frozenset({Status.SELECTED}), Status.FUNDED, "manage", _("paid")),
        Step("realise", FUNDED, None, "prepare", _("carried out")),
        Step("outcome", FUNDED, None, "prepare", _("reported on")),
        Step("spend", FUNDED, None, "spend", _("spent from")),
        Step("reallocate", FUNDED, None, "spend", _("changed")),
        Step("return", FUNDED, None, "spend", _("changed")),
        Step("deposit_tax", FUNDED, None, "spend", _("changed")),
        Step("report", FUNDED, Status.REPORTED, "prepare", _("reported")),
        Step(
            "report_verify",
            frozenset({Status.REPORTED}),
            Status.REPORT_VERIFIED,
            "verify_report",
            _("reviewed"),
        ),
        Step(
            "report_approve",
            frozenset({Status.REPORT_VERIFIED}),
            Status.CLOSED,
            "manage",
            _("reviewed"),
        ),
    ],
    waiting={
        Status.DRAFT: Waiting("prepare", _("Complete and submit the proposal")),
        Status.RETURNED: Waiting("prepare", _("Revise and resubmit the proposal")),
        Status.SUBMITTED: Waiting("review", _("Review the proposal")),
        Status.SELECTED: Waiting("manage", _("Record the disbursement")),
        Status.FUNDED: Waiting("spend", _("Record the activities, spending and report")),
        Status.REPORTED: Waiting("verify_report", _("Verify the report")),
        Status.REPORT_VERIFIED: Waiting("manage", _("Approve the report")),
    },
)


def lock_proposal(proposal: Proposal) -> Proposal:
    """The proposal, re-read under a row lock: every step reads its status after the lock,
    so two offices' clicks cannot both move it."""
    return (
        Proposal.objects.select_for_update()
        .select_related("programme", "group")
        .get(pk=proposal.pk)
    )


def proposal_step(actor, proposal: Proposal, name: str) -> Step:
    """May `actor` take step `name` of this (locked) proposal now? The permission first,
    so an outsider learns nothing of the proposal's status."""
    step = PROPOSAL.step(name)
    require(actor, step.permission, proposal)
    return PROPOSAL.check(proposal, name)
