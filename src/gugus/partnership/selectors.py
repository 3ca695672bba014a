"""Reads of the partnership pages, always through the scoping layer."""

from __future__ import annotations

from django.db.models import Count
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from gugus.competency.models import UkgEvent
from gugus.core.access import CHANGE, can, visible
from gugus.directory.models import Province, Regency
from gugus.partnership.matching import FULL, NO_HOST
from gugus.partnership.models import Cohort, Pair, Participant

UNMATCHED_LABELS = {
    NO_HOST: _(
        "no teacher of the tier above teaches this subject at this level, "
        "outside the teacher's own school"
    ),
    FULL: _("every teacher of the tier above who could host is full"),
}


def masker(user, cohort: Cohort):
    """What a reader may read of a participant or a pair: the offices running the cohort
    read every score; a teacher reads their own score only, and no pair's gap or cost
    (which would give the other teacher's score away). Used by the page and the API."""
    offices = can(user, CHANGE, cohort)
    person = getattr(user, "person_id", None)

    def mask(row):
        if offices:
            return row
        if isinstance(row, Participant) and row.person_id != person:
            row.score = None  # read out only, never saved
        if isinstance(row, Pair):
            row.gap = row.cost = None
        return row

    return mask


def later_events(cohort: Cohort) -> list[UkgEvent]:
    """The UKG sittings after the one the cohort chose its teachers by, oldest first."""
    return list(UkgEvent.objects.filter(year__gt=cohort.event.year).order_by("year", "code"))


def region_names(codes: list[str]) -> str:
    """'Kota Yogyakarta, Gorontalo' for ['34.71', '75']."""
    names = dict(Province.objects.filter(code__in=codes).values_list("code", "name"))
    names |= dict(Regency.objects.filter(code__in=codes).values_list("code", "name"))
    return ", ".join(names.get(c, c) for c in codes)


def cohort_page(user, cohort: Cohort) -> dict:
    """What the cohort page shows: tiers with their counts, the pairs with their cost
    terms, who waits and why, and the teachers by tier."""
    participants = (
        visible(user, Participant)
        .filter(cohort=cohort)
        .select_related("person", "tier", "subject", "regency", "school")
    )
    counts = {
        row["tier"]: row["n"]
        for row in participants.exclude(status=Participant.Status.EXCLUDED)
        .order_by()
        .values("tier")
        .annotate(n=Count("pk"))
    }
    tiers = [(t, counts.get(t.pk, 0)) for t in cohort.tiers.order_by("rank")]
    pairs = (
        visible(user, Pair)
        .filter(cohort=cohort)
        .select_related(
            "host__person",
            "host__school",
            "partner__person",
            "partner__school",
            "partner__regency",
            "host__subject",
        )
        .order_by("host__tier__rank", "host__person__name", "partner__person__name")
    )
    mask = masker(user, cohort)
    pairs = [mask(p) for p in pairs]
    waiting = [
        (p, UNMATCHED_LABELS.get(p.unmatched, "")) for p in participants.exclude(unmatched="")
    ]
    return {
        "host_places": region_names(cohort.host_regions),
        "partner_places": region_names(cohort.partner_regions),
        "weights": {
            "gap": number_format(cohort.gap_weight.normalize(), use_l10n=True),
            "travel": number_format(cohort.travel_weight.normalize(), use_l10n=True),
        },
        "tiers": tiers,
        "pairs": pairs,
        "waiting": waiting,
        "participants": [
            mask(p) for p in participants.order_by("tier__rank", "subject_id", "-score", "pk")[:500]
        ],
    }
