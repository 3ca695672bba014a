"""Writes to working groups, one module per part: `groups` (the registry and its
registration steps), `members` (membership and officers), `activities` (activities,
attendance, evidence). Every entry point (pages, API, importer, grants) calls the names
below; the registration steps are `communities.workflow.GROUP`."""

from gugus.communities.services.activities import (
    ACTIVITY_FIELDS,
    activity_create,
    activity_set_status,
    activity_update,
    attendance_record,
    attendance_refusal,
    clean_activity,
    evidence_add,
)
from gugus.communities.services.groups import (
    GROUP_FIELDS,
    MIN_PROGRAMME_YEARS,
    clean_group,
    group_create,
    group_transition,
    group_update,
    submission_gaps,
)
from gugus.communities.services.members import (
    membership_add,
    membership_end,
    officer_appoint,
    officer_end,
)

__all__ = [
    "ACTIVITY_FIELDS",
    "GROUP_FIELDS",
    "MIN_PROGRAMME_YEARS",
    "activity_create",
    "activity_set_status",
    "activity_update",
    "attendance_record",
    "attendance_refusal",
    "clean_activity",
    "clean_group",
    "evidence_add",
    "group_create",
    "group_transition",
    "group_update",
    "membership_add",
    "membership_end",
    "officer_appoint",
    "officer_end",
    "submission_gaps",
]
