"""How verified proposals are ranked and selected (documented in docs/decisions/0006).

Score (0-100) = the programme's review weight x the mean of the reviewers' scores + its
activeness weight x the group's measured activeness in the month the application window
closed (by default 0.6 and 0.4). A programme that favours groups needing activation counts
100 minus the activeness instead, so the less active groups rank higher. Equal scores are
ordered by:
1. groups never funded before come first (the grant is a stimulus, spread it);
2. the proposal submitted earlier;
3. the older proposal (lower number), so the order is always total.

Walking down the ranking, a proposal is selected while the quota has room and its amount
fits in what is left of the ceiling; one that does not fit is passed over (and said so)
and smaller ones below it may still be selected.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from gugus.communities.activeness import month_start
from gugus.communities.models import ActivenessSnapshot
from gugus.core.formats import rupiah
from gugus.grants.models import Proposal, Review

FUNDED_STATES = ("funded", "reported", "report_verified", "closed")


@dataclass
class Ranked:
    proposal: object
    reviewers: Decimal
    activeness: int
    score: Decimal
    funded_before: bool
    rank: int = 0
    selected: bool = False
    note: str = ""


def counted_activeness(programme, activeness: int) -> int:
    """The activeness the score counts: the group's own, or its need for activation."""
    return 100 - activeness if programme.favour_activation else activeness


def _score(programme, reviewers: Decimal, activeness: int) -> Decimal:
    raw = programme.review_weight * reviewers + programme.activeness_weight * Decimal(
        counted_activeness(programme, activeness)
    )
    return raw.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def weighting(programme) -> str:
    """The programme's selection rule in words, as its page states it."""
    values = {
        "rw": number_format(programme.review_weight.normalize(), use_l10n=True),
        "aw": number_format(programme.activeness_weight.normalize(), use_l10n=True),
    }
    if programme.favour_activation:
        return _("%(rw)s × reviewers' mean + %(aw)s × (100 − activeness)") % values
    return _("%(rw)s × reviewers' mean + %(aw)s × activeness") % values


def _formula(programme, e) -> str:
    """The arithmetic of one score, as the reader can redo it."""
    values = {
        "score": number_format(e.score, decimal_pos=2, use_l10n=True),
        "rw": number_format(programme.review_weight.normalize(), use_l10n=True),
        "aw": number_format(programme.activeness_weight.normalize(), use_l10n=True),
        "reviewers": number_format(e.reviewers, decimal_pos=1, use_l10n=True),
        "activeness": e.activeness,
    }
    if programme.favour_activation:
        return (
            _(
                "Score %(score)s = %(rw)s x reviewers' mean %(reviewers)s + %(aw)s x (100 - "
                "activeness %(activeness)d): the programme favours groups that need activation."
            )
            % values
        )
    return (
        _(
            "Score %(score)s = %(rw)s x reviewers' mean %(reviewers)s + %(aw)s x activeness "
            "%(activeness)d."
        )
        % values
    )


def _tie_reason(ahead: Ranked, behind: Ranked) -> str:
    if ahead.funded_before != behind.funded_before:
        return _("it has not been funded before")
    if ahead.proposal.submitted_at != behind.proposal.submitted_at:
        return _("it was submitted earlier")
    return _("it was started earlier")


def rank(programme, proposals: list) -> list[Ranked]:
    """Score, order and select; each entry carries a note a reader can check."""
    ids = [p.pk for p in proposals]
    means = dict(
        Review.objects.filter(proposal_id__in=ids, stage="proposal", decision="approve")
        .values_list("proposal_id")
        .annotate(m=Avg("score"))
    )
    cutoff = month_start(programme.apply_until)
    activeness: dict[int, int] = {}
    for group_id, score in (
        ActivenessSnapshot.objects.filter(
            group_id__in=[p.group_id for p in proposals], month__lte=cutoff
        )
        .order_by("group_id", "month")
        .values_list("group_id", "score")
    ):
        activeness[group_id] = score  # the latest month wins
    funded_before = set(
        Proposal.objects.filter(
            group_id__in=[p.group_id for p in proposals], status__in=FUNDED_STATES
        )
        .exclude(programme=programme)
        .values_list("group_id", flat=True)
    )
    entries = []
    for p in proposals:
        reviewers = Decimal(str(means.get(p.pk) or 0)).quantize(Decimal("0.1"))
        act = activeness.get(p.group_id, 0)
        entries.append(
            Ranked(
                proposal=p,
                reviewers=reviewers,
                activeness=act,
                score=_score(programme, reviewers, act),
                funded_before=p.group_id in funded_before,
            )
        )
    entries.sort(key=lambda e: (-e.score, e.funded_before, e.proposal.submitted_at, e.proposal.pk))
    used, count = Decimal(0), 0
    for position, e in enumerate(entries, start=1):
        e.rank = position
        lines = [_formula(programme, e)]
        before = entries[position - 2] if position > 1 else None
        after = entries[position] if position < len(entries) else None
        if before and before.score == e.score:
            lines.append(
                _("Tied with %(other)s; ranked after it because %(reason)s.")
                % {"other": before.proposal.group.name, "reason": _tie_reason(before, e)}
            )
        if after and after.score == e.score:
            lines.append(
                _("Tied with %(other)s; ranked before it because %(reason)s.")
                % {"other": after.proposal.group.name, "reason": _tie_reason(e, after)}
            )
        amount = e.proposal.amount
        if count >= programme.quota:
            lines.append(
                _("Not selected: the quota of %(n)d groups is full.") % {"n": programme.quota}
            )
        elif used + amount > programme.budget_ceiling:
            lines.append(
                _("Not selected: %(amount)s does not fit in the %(left)s left of the ceiling.")
                % {"amount": rupiah(amount), "left": rupiah(programme.budget_ceiling - used)}
            )
        else:
            e.selected = True
            used += amount
            count += 1
            lines.append(_("Selected (rank %(rank)d).") % {"rank": position})
        e.note = " ".join(str(line) for line in lines)
    return entries
