"""What a proposal still lacks, read by the services before a step and by the pages and
the API to show the group: the plan as the In-On-In rules see it, the gaps before
submitting and before reporting, and the review chain it goes through."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from gugus.communities.models import Activity, Attendance, Evidence
from gugus.core.formats import rupiah
from gugus.core.roles import ScopeLevel
from gugus.grants import money
from gugus.grants.eligibility import refusals
from gugus.grants.inoni import (
    PlanItem,
    Violation,
    plan_violations,
    realisation_violations,
)
from gugus.grants.models import (
    PlannedActivity,
    Proposal,
)

# Evidence that counts as an In session's materials.
MATERIAL_EVIDENCE = {"dokumen", "notulen"}


TEXT_FIELDS = (
    "background_current",
    "background_expected",
    "background_solution",
    "goals",
    "sustainability_plan",
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
    funded_items = set(proposal.budget.values_list("planned_id", flat=True))
    for item in proposal.plan.order_by("seq"):
        if item.pk not in funded_items:
            gaps.append(
                (
                    "budget",
                    _("%(ref)s has no budget lines: give each activity its own RAB.")
                    % {"ref": item.ref},
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


def report_gaps(proposal: Proposal) -> list[tuple[str, str]]:
    """What keeps the report (LPJ) from being submitted: the In-On-In rules on what was
    held, each activity's outcome for students, and every rupiah accounted for."""
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
    for tax in money.tax_lines(proposal):
        if tax.owed > 0:
            gaps.append(
                (
                    "tax",
                    _(
                        "%(tax)s: %(withheld)s withheld, %(deposited)s deposited; record the "
                        "deposit of %(owed)s with its NTPN and proof."
                    )
                    % {
                        "tax": tax.label,
                        "withheld": rupiah(tax.withheld),
                        "deposited": rupiah(tax.deposited),
                        "owed": rupiah(tax.owed),
                    },
                )
            )
    if not proposal.outcomes.strip():
        gaps.append(("outcomes", _("Summarise what changed for students.")))
    return gaps
