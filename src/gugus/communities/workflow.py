"""A working group's registration as a transition table (`core.workflow`): draft →
submitted → verified → active, and suspended or dissolved. The ketua (or the office)
submits; verification and every later step belong to the office covering the group
(`register`, an office action in `communities.policies`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gugus.communities.models import WorkingGroup
from gugus.core.workflow import Step, Workflow

Status = WorkingGroup.Status
# Groups that may hold activities and take members.
WORKING_STATES = frozenset({Status.DRAFT, Status.SUBMITTED, Status.VERIFIED, Status.ACTIVE})

GROUP = Workflow.of(
    _("A group that is %(status)s cannot be %(doing)s."),
    [
        Step(
            "submit",
            frozenset({Status.DRAFT}),
            Status.SUBMITTED,
            "change",
            _("submitted"),
            label=_("Submit for verification"),
        ),
        Step(
            "return",
            frozenset({Status.SUBMITTED}),
            Status.DRAFT,
            "register",
            _("returned"),
            needs_note=True,
            label=_("Return for revision"),
        ),
        Step(
            "verify",
            frozenset({Status.SUBMITTED}),
            Status.VERIFIED,
            "register",
            _("verified"),
            label=_("Verify"),
        ),
        Step(
            "activate",
            frozenset({Status.VERIFIED, Status.SUSPENDED}),
            Status.ACTIVE,
            "register",
            _("activated"),
            label=_("Activate"),
        ),
        Step(
            "suspend",
            frozenset({Status.ACTIVE}),
            Status.SUSPENDED,
            "register",
            _("suspended"),
            needs_note=True,
            label=_("Suspend"),
        ),
        Step(
            "dissolve",
            WORKING_STATES | {Status.SUSPENDED},
            Status.DISSOLVED,
            "register",
            _("dissolved"),
            needs_note=True,
            label=_("Dissolve"),
        ),
    ],
)
