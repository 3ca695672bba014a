"""Writes to grants, one module per process: `programmes` (a programme's year, selection
and decision), `proposals` (preparing and submitting), `review` (decisions on proposals
and reports), `delivery` (disbursement, activities held, the report). Money moves only in
`grants.money`; the steps and who may take them are `grants.workflow`; what a proposal
still lacks is `grants.checks`. Pages, the API and the demo call the names below."""

from gugus.grants.services.delivery import (
    disburse,
    plan_item_outcome,
    plan_item_realise,
    report_submit,
)
from gugus.grants.services.programmes import (
    clean_kinds,
    clean_programme,
    programme_create,
    programme_decide,
    programme_select,
    programme_transition,
)
from gugus.grants.services.proposals import (
    PLAN_FIELDS,
    budget_line_add,
    budget_line_remove,
    participants_set,
    plan_update,
    proposal_start,
    proposal_submit,
    proposal_update,
    proposal_withdraw,
)
from gugus.grants.services.review import proposal_review, report_approve, report_verify

__all__ = [
    "PLAN_FIELDS",
    "budget_line_add",
    "budget_line_remove",
    "clean_kinds",
    "clean_programme",
    "disburse",
    "participants_set",
    "plan_item_outcome",
    "plan_item_realise",
    "plan_update",
    "programme_create",
    "programme_decide",
    "programme_select",
    "programme_transition",
    "proposal_review",
    "proposal_start",
    "proposal_submit",
    "proposal_update",
    "proposal_withdraw",
    "report_approve",
    "report_submit",
    "report_verify",
]
