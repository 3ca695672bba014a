"""Reads for grant pages, exports and the API."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from gugus.communities.activeness import ACTIVE, add_months, month_start
from gugus.communities.models import ActivenessSnapshot, WorkingGroup
from gugus.communities.policies import chaired
from gugus.core import clock
from gugus.core.access import actor_for, can, visible
from gugus.grants import checks
from gugus.grants.eligibility import in_programme_region, refusals
from gugus.grants.models import GrantProgramme, PlannedActivity, Proposal
from gugus.grants.policies import proposal_permissions_within_reach
from gugus.grants.workflow import EDITABLE, GRANT_STATES, PROPOSAL

SUSTAINABILITY_MONTHS = (3, 6, 12)


def programmes_for(user) -> QuerySet:
    return (
        visible(user, GrantProgramme)
        .select_related("province", "regency")
        .order_by("-year", "name", "pk")
    )


def with_proposal_counts(programmes: list[GrantProgramme]) -> list[GrantProgramme]:
    """A page of programmes with their proposals (drafts aside) and grants counted, in
    one query for the page: counted for every programme a national office sees, the
    list would cost what the nation's proposals do."""
    counted = {
        row["programme"]: row
        for row in Proposal.objects.filter(programme__in=programmes)
        .order_by()
        .values("programme")
        .annotate(
            n_proposals=Count("pk", filter=~Q(status=Proposal.Status.DRAFT)),
            n_funded=Count("pk", filter=Q(status__in=GRANT_STATES)),
        )
    }
    for programme in programmes:
        row = counted.get(programme.pk, {})
        programme.n_proposals = row.get("n_proposals", 0)
        programme.n_funded = row.get("n_funded", 0)
    return programmes


def proposals_for(user, programme: GrantProgramme) -> QuerySet:
    return (
        visible(user, Proposal)
        .filter(programme=programme)
        .select_related("group", "group__regency")
        .order_by("rank", "status", "group__name")
    )


def status_counts(programme: GrantProgramme, user) -> dict[str, int]:
    rows = proposals_for(user, programme).order_by().values("status").annotate(n=Count("id"))
    return {r["status"]: r["n"] for r in rows}


def funded_total(programme: GrantProgramme):
    return (
        programme.proposals.filter(status__in=GRANT_STATES).aggregate(t=Sum("disbursed_amount"))[
            "t"
        ]
        or 0
    )


@dataclass
class Share:
    groups: int
    active: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.active / self.groups) if self.groups else None


@dataclass
class SustainabilityRow:
    months_after: int
    month: datetime.date
    measured: bool
    funded: Share
    unfunded: Share


def _comparison_groups(programme: GrantProgramme) -> QuerySet:
    """Groups of the funded types in the programme's region that were not funded."""
    groups = WorkingGroup.objects.filter(
        kind__in=programme.kinds.values("kind"), status=WorkingGroup.Status.ACTIVE
    )
    if programme.regency_id:
        groups = groups.filter(regency_id=programme.regency_id)
    elif programme.province_id:
        groups = groups.filter(province_id=programme.province_id)
    return groups.exclude(
        pk__in=programme.proposals.filter(status__in=GRANT_STATES).values("group_id")
    )


def _share(group_ids, month) -> Share:
    snapshots = ActivenessSnapshot.objects.filter(group_id__in=group_ids, month=month)
    counts = snapshots.aggregate(active=Count("id", filter=Q(level=ACTIVE)))
    return Share(groups=group_ids.count(), active=counts["active"])


def sustainability(programme: GrantProgramme, today=None) -> list[SustainabilityRow]:
    """Share of funded groups still measured *aktif* 3, 6 and 12 months after the grant
    period, against the groups of the same types and region that were not funded; the
    first row is the month the period started, for the baseline."""
    today = today or clock.today()
    funded_ids = programme.proposals.filter(status__in=GRANT_STATES).values("group_id")
    others = _comparison_groups(programme).values("pk")
    rows = []
    end = month_start(programme.period_end)
    points = [(0, month_start(programme.period_start))] + [
        (k, add_months(end, k)) for k in SUSTAINABILITY_MONTHS
    ]
    for k, month in points:
        measured = month <= month_start(today)
        rows.append(
            SustainabilityRow(
                months_after=k,
                month=month,
                measured=measured,
                funded=_share(funded_ids, month) if measured else Share(0, 0),
                unfunded=_share(others, month) if measured else Share(0, 0),
            )
        )
    return rows


def learning_problems(programme: GrantProgramme, limit: int = 15) -> list[tuple[str, int, int]]:
    """The students' learning problems the funded (or selected) groups address, most
    frequent first, as (problem, activities, groups)."""
    rows = (
        PlannedActivity.objects.filter(
            proposal__programme=programme,
            proposal__status__in=[*GRANT_STATES, Proposal.Status.SELECTED],
        )
        .exclude(learning_problem="")
        .values_list("learning_problem", "proposal__group_id")
    )
    activities: Counter = Counter()
    groups: dict[str, set] = {}
    labels: dict[str, str] = {}
    for text, group_id in rows:
        key = " ".join(text.lower().split())
        labels.setdefault(key, text.strip())
        activities[key] += 1
        groups.setdefault(key, set()).add(group_id)
    return [(labels[k], n, len(groups[k])) for k, n in activities.most_common(limit)]


def proposal_gaps(proposal: Proposal) -> dict[str, list[tuple[str, str]]]:
    """What the group must still do before its next step, as (field, message): before
    submitting while the proposal is editable, before reporting while it is funded."""
    return {
        "submission": checks.submission_gaps(proposal) if proposal.status in EDITABLE else [],
        "report": checks.report_gaps(proposal) if proposal.status == Proposal.Status.FUNDED else [],
    }


@dataclass(frozen=True)
class Eligibility:
    group: WorkingGroup
    programme: GrantProgramme
    proposal: Proposal | None
    # Every reason the group may not apply (none: it may).
    reasons: list[str]

    @property
    def eligible(self) -> bool:
        return not self.reasons


def eligibility(group: WorkingGroup, programme: GrantProgramme) -> Eligibility:
    return Eligibility(
        group=group,
        programme=programme,
        proposal=programme.proposals.filter(group=group).first(),
        reasons=[str(r) for r in refusals(group, programme)],
    )


def chaired_eligibility(actor, programme: GrantProgramme) -> list[Eligibility]:
    """For a ketua on a programme's page: each group they chair, with its proposal or why
    it may not apply yet."""
    groups = WorkingGroup.objects.filter(pk__in=chaired(actor_for(actor)))
    return [eligibility(g, programme) for g in groups.select_related("regency")]


def group_eligibility(group: WorkingGroup) -> list[Eligibility]:
    """For each programme open now that funds this group's type in its region."""
    return [eligibility(group, p) for p in open_programmes_for_group(group)]


def open_programmes_for_group(group: WorkingGroup) -> list[GrantProgramme]:
    """Programmes open now that fund this group's type in its region."""
    today = clock.today()
    candidates = GrantProgramme.objects.filter(
        status=GrantProgramme.Status.OPEN,
        kinds__kind=group.kind,
        apply_from__lte=today,
        apply_until__gte=today,
    ).select_related("regency")
    return [p for p in candidates if in_programme_region(group, p)]


def awaiting(user, limit: int = 30) -> list[tuple[Proposal, str]]:
    """Proposals waiting for a step this user may take, oldest first."""
    rows = []
    reach = proposal_permissions_within_reach(actor_for(user))
    statuses = [s for s, waiting in PROPOSAL.waiting.items() if waiting.permission in reach]
    candidates = (
        visible(user, Proposal)
        .filter(status__in=statuses)
        .exclude(status=Proposal.Status.SELECTED, programme__status=GrantProgramme.Status.REVIEW)
        .select_related("group", "programme", "programme__regency")
        .order_by("submitted_at", "id")
    )
    for proposal in candidates[: limit * 10]:
        waiting = PROPOSAL.waiting[proposal.status]
        if can(user, waiting.permission, proposal):
            rows.append((proposal, waiting.todo))
            if len(rows) == limit:
                break
    return rows
