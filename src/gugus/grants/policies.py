"""Who sees and changes grant programmes and proposals.

Programmes are public announcements: every signed-in user may read them; only an office
of the programme's ministry whose scope covers it changes it. Everything below follows the
governing ministry of the proposal's group, which is the programme's. A proposal is seen
by whoever sees its group (offices and supervisors of that ministry in scope, heads in
scope, the ketua, the members: grants are public money). Its writes are split by role:

- the group's ketua prepares, submits and reports (`prepare`);
- the ketua and the bendahara record money (`spend`);
- each review level's office verifies within its scope (`review`);
- the supervising pengawas verifies the report (`verify_report`);
- the office covering the programme selects, disburses and approves the report (`manage`).
"""

from django.db.models import Q

from gugus.communities.models import Officer
from gugus.communities.policies import WorkingGroupPolicy, chaired
from gugus.core.access import VIEW, Policy, grant_covers, office_covers, register
from gugus.core.roles import OFFICE_ROLES, Role, ScopeLevel
from gugus.grants.models import (
    BudgetLine,
    FundReturn,
    GrantProgramme,
    PlannedActivity,
    Proposal,
    Reallocation,
    Review,
    Spending,
    TaxDeposit,
)

# The office role that reviews at each level of the chain.
REVIEW_ROLES = {
    ScopeLevel.KABKOTA: Role.ADMIN_KABKOTA,
    ScopeLevel.PROVINSI: Role.ADMIN_PROVINSI,
    ScopeLevel.NASIONAL: Role.ADMIN_PUSAT,
}


def covers_programme(actor, programme: GrantProgramme) -> bool:
    if programme.regency_id:
        return office_covers(
            actor,
            province_id=programme.regency.province_id,
            regency_id=programme.regency_id,
            ministry=programme.ministry,
            governing=True,
        )
    offices = [
        g for g in actor.grants_for(OFFICE_ROLES) if g.governs and g.serves(programme.ministry)
    ]
    if programme.province_id:
        return (
            any(
                g.level == ScopeLevel.NASIONAL
                or (g.level == ScopeLevel.PROVINSI and g.province_id == programme.province_id)
                for g in offices
            )
            or actor.is_superuser
        )
    return actor.is_superuser or any(g.level == ScopeLevel.NASIONAL for g in offices)


def may_review(actor, proposal: Proposal, level: str) -> bool:
    role = REVIEW_ROLES.get(level)
    group = proposal.group
    return actor.is_superuser or any(
        grant_covers(
            g, province_id=group.province_id, regency_id=group.regency_id, ministry=group.ministry
        )
        for g in actor.grants_for((role,))
        if g.governs
    )


def supervises(actor, proposal: Proposal) -> bool:
    group = proposal.group
    return any(
        grant_covers(
            g,
            province_id=group.province_id,
            regency_id=group.regency_id,
            school_id=group.school_id,
            ministry=group.ministry,
        )
        for g in actor.grants_for((Role.PENGAWAS,))
    )


def holds_office(actor, proposal: Proposal, positions) -> bool:
    return (
        bool(actor.person_id)
        and Officer.objects.filter(
            group_id=proposal.group_id,
            person_id=actor.person_id,
            position__in=positions,
            ended_on__isnull=True,
        ).exists()
    )


def may_prepare(actor, proposal: Proposal) -> bool:
    return proposal.group_id in chaired(actor) or holds_office(
        actor, proposal, (Officer.Position.KETUA,)
    )


def proposal_permissions_within_reach(actor) -> set[str]:
    """The proposal permissions some proposal could give this actor, from their roles
    alone: a "waiting for you" list then reads only the statuses waiting for one of them
    (an office never reads the drafts of its province's groups), before each proposal's
    exact check."""
    if actor.is_superuser:
        return {"prepare", "spend", "review", "verify_report", "manage"}
    reach = set()
    if actor.person_id or chaired(actor):
        reach |= {"prepare", "spend"}
    if actor.grants_for((Role.PENGAWAS,)):
        reach.add("verify_report")
    if any(g.governs for g in actor.grants_for(OFFICE_ROLES)):
        reach |= {"review", "manage"}
    return reach


@register
class GrantProgrammePolicy(Policy):
    model = GrantProgramme

    def visible_q(self, actor):
        return None

    def can(self, actor, action, obj):
        if action == VIEW:
            return True
        return covers_programme(actor, obj)


@register
class ProposalPolicy(Policy):
    model = Proposal
    proposal_path = ""

    def visible_q(self, actor):
        prefix = f"{self.proposal_path}__" if self.proposal_path else ""
        return Q(**{f"{prefix}group__in": WorkingGroupPolicy().visible(actor).values("pk")})

    def proposal_of(self, obj) -> Proposal:
        return obj

    def can(self, actor, action, obj):
        if action == VIEW:
            return self.can_view(actor, obj)
        proposal = self.proposal_of(obj)
        if action == "prepare":
            return may_prepare(actor, proposal)
        if action == "spend":
            return may_prepare(actor, proposal) or holds_office(
                actor, proposal, (Officer.Position.BENDAHARA,)
            )
        if action == "review":
            return may_review(actor, proposal, proposal.review_level)
        if action == "verify_report":
            return supervises(actor, proposal)
        return covers_programme(actor, proposal.programme)


class _InsideProposalPolicy(ProposalPolicy):
    proposal_path = "proposal"

    def proposal_of(self, obj):
        return obj.proposal


@register
class PlannedActivityPolicy(_InsideProposalPolicy):
    model = PlannedActivity


@register
class BudgetLinePolicy(_InsideProposalPolicy):
    model = BudgetLine


@register
class ReallocationPolicy(_InsideProposalPolicy):
    model = Reallocation


@register
class FundReturnPolicy(_InsideProposalPolicy):
    model = FundReturn


@register
class TaxDepositPolicy(_InsideProposalPolicy):
    model = TaxDeposit


@register
class ReviewPolicy(_InsideProposalPolicy):
    model = Review


@register
class SpendingPolicy(_InsideProposalPolicy):
    model = Spending
    proposal_path = "line__proposal"

    def proposal_of(self, obj):
        return obj.line.proposal
