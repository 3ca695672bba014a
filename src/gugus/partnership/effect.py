"""Did the partnership reach the partners' competency? (DOMAIN.md §5)

For the lowest tier of a cohort (the Guru Mitra 2, or the Imbas), paired and not left out,
the change from the score they were chosen by to their score in a later UKG is compared
with the change of similar teachers who did not take part: same subject, level and
province, and a baseline in the same band of `BAND` points. Each partner is set against
the mean change of its own stratum, so a cohort of weak teachers is not flattered by the
regression of weak scores towards the mean that any weak group shows. Per subject: how
many partners and comparison teachers stand behind the figure, the partners' mean change,
the comparison's, and the difference (the effect). Fewer than `MIN_TEACHERS` on either side
gives "not enough data" instead of a number.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from statistics import fmean

from gugus.competency.models import Result, UkgEvent
from gugus.partnership.models import Cohort, Participant

BAND = 5
MIN_TEACHERS = 5


@dataclass(frozen=True)
class Effect:
    subject: str
    partners: int  # partners with a later result and a comparison stratum
    comparison: int  # comparison teachers in those strata
    partner_change: float | None
    comparison_change: float | None
    effect: float | None

    @property
    def enough(self) -> bool:
        return self.effect is not None


def _stratum(subject, jenjang, province, score) -> tuple:
    return subject, jenjang, province, int(float(score) // BAND)


def partner_effect(cohort: Cohort, later: UkgEvent) -> list[Effect]:
    lowest = cohort.tiers.order_by("-rank").first()
    partners = list(
        Participant.objects.filter(cohort=cohort, tier=lowest, host_pair__isnull=False)
        .exclude(status=Participant.Status.EXCLUDED)
        .values_list("person_id", "subject_id", "jenjang", "regency_id", "score")
    )
    if not partners:
        return []
    later_score = dict(
        Result.objects.filter(event=later, person_id__in=[p[0] for p in partners]).values_list(
            "person_id", "total"
        )
    )
    # The comparison: teachers of the same subjects, levels and provinces tested in both
    # sittings who took no part in the cohort.
    taking_part = Participant.objects.filter(cohort=cohort).values("person_id")
    subjects = {p[1] for p in partners}
    provinces = {p[3].split(".")[0] for p in partners}
    before = Result.objects.filter(
        event=cohort.event,
        subject_id__in=subjects,
        jenjang__in={p[2] for p in partners},
        province_id__in=provinces,
    ).exclude(person_id__in=taking_part)
    baseline = {
        person: (subject, jenjang, province, total)
        for person, subject, jenjang, province, total in before.values_list(
            "person_id", "subject_id", "jenjang", "province_id", "total"
        )
    }
    changes = defaultdict(list)  # stratum → comparison changes
    for person, total in Result.objects.filter(
        event=later, person_id__in=before.values("person_id")
    ).values_list("person_id", "total"):
        subject, jenjang, province, start = baseline[person]
        changes[_stratum(subject, jenjang, province, start)].append(float(total - start))
    by_subject = defaultdict(lambda: {"own": [], "expected": [], "strata": set()})
    for person, subject, jenjang, regency, score in partners:
        if person not in later_score:
            continue
        stratum = _stratum(subject, jenjang, regency.split(".")[0], score)
        if not changes.get(stratum):
            continue
        row = by_subject[subject]
        row["own"].append(float(later_score[person] - score))
        row["expected"].append(fmean(changes[stratum]))
        row["strata"].add(stratum)
    effects = []
    for subject in sorted(subjects):
        row = by_subject.get(subject, {"own": [], "expected": [], "strata": set()})
        compared = sum(len(changes[s]) for s in row["strata"])
        enough = len(row["own"]) >= MIN_TEACHERS and compared >= MIN_TEACHERS
        own = fmean(row["own"]) if row["own"] else None
        expected = fmean(row["expected"]) if row["expected"] else None
        effects.append(
            Effect(
                subject=subject,
                partners=len(row["own"]),
                comparison=compared,
                partner_change=round(own, 2) if enough else None,
                comparison_change=round(expected, 2) if enough else None,
                effect=round(own - expected, 2) if enough else None,
            )
        )
    return effects
