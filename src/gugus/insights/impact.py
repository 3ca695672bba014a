"""Did taking part reach the students? A difference in differences with matching, stated
on the page as it is computed here:

1. Units: schools with a learning outcome (Rapor Pendidikan) in both the baseline and the
   follow-up year; or teachers with a UKG result in both sittings.
2. Taking part: a school whose teachers (a teacher) took part in the programme from the
   baseline year up to the year before the follow-up: a training completed with its
   certificate, a partnership cohort, a funded grant whose In-On-In was held in full, or
   membership of a group measured active. Units that took part before the baseline are
   left out; the others never took part before the follow-up and are the comparison.
3. Matching: each unit that took part is paired with the unit not taking part of the same
   stratum (school level, ministry and province; for teachers also the subject) whose
   baseline is nearest, within `CALIPER` points, each comparison unit used once.
4. The effect is the mean over the pairs of (change of the unit that took part) minus
   (change of its match), corrected for the baseline gap left inside the caliper (the
   intercept of the paired differences regressed on the gaps, as in bias-corrected
   matching), with a confidence interval and p-value from Student's t (SciPy). Fewer
   than `MIN_PAIRS` pairs gives "not enough data".

It estimates association under the assumption that matched units would have changed
alike (parallel trends); it cannot rule out that schools which chose to take part differ
in ways the strata and the baseline do not capture.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from scipy import stats

from gugus.communities import activeness
from gugus.communities.models import ActivenessSnapshot, Membership
from gugus.competency.models import Result, UkgEvent
from gugus.grants.models import Proposal
from gugus.insights.measures import FUNDED
from gugus.insights.models import SchoolOutcome
from gugus.partnership.models import Pair
from gugus.partnership.models import Participant as Partner
from gugus.training.models import Certificate
from gugus.training.rules import level_group_of

MIN_PAIRS = 20
CALIPER = 5.0
CONFIDENCE = 0.95

PROGRAMMES = {
    "training": _("Training completed (with certificate)"),
    "partnership": _("Partnership programme (paired)"),
    "inoni": _("Grant with the whole In-On-In held"),
    "active_group": _("Member of a group measured active"),
}
INDICES = {
    "literacy": _("Literacy"),
    "numeracy": _("Numeracy"),
    "learning_quality": _("Quality of learning"),
}


@dataclass(frozen=True)
class Unit:
    key: object
    stratum: tuple
    before: float
    after: float
    treated: bool

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class Estimate:
    took_part: int  # units that took part, before matching
    comparison: int  # units that did not
    pairs: int
    treated_change: float | None = None
    comparison_change: float | None = None
    effect: float | None = None
    low: float | None = None
    high: float | None = None
    p_value: float | None = None

    @property
    def enough(self) -> bool:
        return self.effect is not None

    @property
    def excludes_zero(self) -> bool:
        return self.enough and (self.low > 0 or self.high < 0)


def match(units: list[Unit], caliper: float = CALIPER) -> list[tuple[Unit, Unit]]:
    """Each unit that took part with the nearest-baseline unit of its stratum that did not,
    within the caliper, without replacement (those with the fewest close matches first
    would be optimal; taking them in baseline order is the usual greedy match)."""
    controls: dict[tuple, list[Unit]] = defaultdict(list)
    for u in units:
        if not u.treated:
            controls[u.stratum].append(u)
    for pool in controls.values():
        pool.sort(key=lambda u: u.before)
    pairs = []
    for t in sorted((u for u in units if u.treated), key=lambda u: (u.stratum, u.before)):
        pool = controls.get(t.stratum)
        if not pool:
            continue
        i = bisect.bisect_left([c.before for c in pool], t.before)
        best = min(
            (j for j in (i - 1, i) if 0 <= j < len(pool)),
            key=lambda j: abs(pool[j].before - t.before),
            default=None,
        )
        if best is not None and abs(pool[best].before - t.before) <= caliper:
            pairs.append((t, pool.pop(best)))
    return pairs


def estimate(units: list[Unit], *, caliper=CALIPER, min_pairs=MIN_PAIRS) -> Estimate:
    took_part = sum(1 for u in units if u.treated)
    pairs = match(units, caliper)
    base = Estimate(took_part=took_part, comparison=len(units) - took_part, pairs=len(pairs))
    if len(pairs) < min_pairs:
        return base
    differences = [t.change - c.change for t, c in pairs]
    gaps = [t.before - c.before for t, c in pairs]
    if len(set(differences)) == 1:  # no spread: no interval can be given
        return base
    effect, error, freedom = _adjusted(differences, gaps)
    margin = stats.t.ppf((1 + CONFIDENCE) / 2, freedom) * error
    p_value = 2 * stats.t.sf(abs(effect / error), freedom) if error else None
    return Estimate(
        took_part=took_part,
        comparison=base.comparison,
        pairs=len(pairs),
        treated_change=sum(t.change for t, _c in pairs) / len(pairs),
        comparison_change=sum(c.change for _t, c in pairs) / len(pairs),
        effect=effect,
        low=float(effect - margin),
        high=float(effect + margin),
        p_value=float(p_value) if p_value is not None and not math.isnan(p_value) else None,
    )


def _adjusted(differences: list[float], gaps: list[float]) -> tuple[float, float, int]:
    """The mean paired difference, corrected for what is left of the baseline gap inside
    the caliper: the intercept of the differences regressed on the gaps (a unit further
    below its match regresses further up by itself). Its standard error and degrees of
    freedom from SciPy's least squares; the plain paired t when the gaps do not vary."""
    if len(set(gaps)) > 1:
        fit = stats.linregress(gaps, differences)
        return float(fit.intercept), float(fit.intercept_stderr), len(differences) - 2
    test = stats.ttest_1samp(differences, 0.0)
    mean = sum(differences) / len(differences)
    error = abs(mean / test.statistic) if test.statistic else 0.0
    return mean, error, len(differences) - 1


# -- who took part -------------------------------------------------------------------


def _schools_of_people(people_q) -> set[int]:
    return set(Membership.objects.filter(people_q).values_list("person__school_id", flat=True)) - {
        None
    }


def took_part(programme: str, first_year: int, last_year: int) -> dict[str, set[int]]:
    """{"schools": ..., "people": ...} that took part with a year in [first, last]."""
    years = (first_year, last_year)
    if programme == "training":
        rows = Certificate.objects.filter(
            revoked_at__isnull=True, participant__event__starts_on__year__range=years
        ).values_list("participant__person_id", "participant__person__school_id")
    elif programme == "partnership":
        paired = Exists(Pair.objects.filter(host=OuterRef("pk"))) | Exists(
            Pair.objects.filter(partner=OuterRef("pk"))
        )
        rows = (
            Partner.objects.filter(cohort__year__range=years)
            .exclude(status=Partner.Status.EXCLUDED)
            .filter(paired)
            .values_list("person_id", "person__school_id")
        )
    elif programme == "inoni":
        complete = _complete_inoni(years)
        rows = Membership.objects.filter(group_id__in=complete).values_list(
            "person_id", "person__school_id"
        )
    else:
        active = ActivenessSnapshot.objects.filter(
            level=activeness.ACTIVE, month__year__range=years
        ).values("group_id")
        rows = Membership.objects.filter(group_id__in=active).values_list(
            "person_id", "person__school_id"
        )
    people, schools = set(), set()
    for person, school in rows:
        people.add(person)
        if school:
            schools.add(school)
    return {"people": people, "schools": schools}


def _complete_inoni(years) -> set[int]:
    """Groups with a funded proposal of those years whose In-On-In was held in full, by the
    same rule the dashboards count (`measures`)."""
    funded = Proposal.objects.filter(status__in=FUNDED, programme__year__range=years)
    groups = set()
    for proposal in funded.select_related("programme").prefetch_related(
        "plan__activity", "programme__kinds"
    ):
        need = {k.kind: (k.in_count, k.on_count) for k in proposal.programme.kinds.all()}
        held = defaultdict(int)
        for planned in proposal.plan.all():
            if planned.activity and planned.activity.status == "held":
                held[planned.kind] += 1
        need_in, need_on = need.get(proposal.group.kind, (0, 0))
        if held["in"] >= need_in and held["on"] >= need_on:
            groups.add(proposal.group_id)
    return groups


# -- the two analyses ------------------------------------------------------------------


def school_units(*, place_q: Q, programme: str, index: str, before: int, after: int) -> list[Unit]:
    """Schools with the index in both years: took part from `before` to `after - 1`, or
    never before `after`."""
    values = defaultdict(dict)
    for school, year, value, jenjang, ministry, province in SchoolOutcome.objects.filter(
        place_q, year__in=(before, after), **{f"{index}__isnull": False}
    ).values_list(
        "school_id",
        "year",
        index,
        "school__jenjang",
        "school__ministry",
        "school__province_id",
    ):
        values[school][year] = float(value)
        values[school]["stratum"] = (level_group_of(jenjang), ministry, province)
    inside = took_part(programme, before, after - 1)["schools"]
    earlier = took_part(programme, 1900, before - 1)["schools"]
    return [
        Unit(school, v["stratum"], v[before], v[after], school in inside)
        for school, v in values.items()
        if before in v and after in v and school not in earlier
    ]


def teacher_units(*, place_q: Q, programme: str, first: UkgEvent, second: UkgEvent) -> list[Unit]:
    """Teachers with a result in both sittings: took part from the first sitting's year
    up to the year before the second, or never before it."""
    scores = defaultdict(dict)
    for person, event, total, jenjang, subject, province in Result.objects.filter(
        place_q, event__in=(first, second)
    ).values_list("person_id", "event_id", "total", "jenjang", "subject_id", "province_id"):
        scores[person][event] = float(total)
        scores[person]["stratum"] = (jenjang, subject, province)
    inside = took_part(programme, first.year, second.year - 1)["people"]
    earlier = took_part(programme, 1900, first.year - 1)["people"]
    return [
        Unit(person, s["stratum"], s[first.pk], s[second.pk], person in inside)
        for person, s in scores.items()
        if first.pk in s and second.pk in s and person not in earlier
    ]
