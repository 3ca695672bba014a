"""The partners' later UKG against similar teachers who took no part: a planted effect is
recovered, none is claimed where none was planted, and thin data says so."""

import random

import pytest

from gugus.competency.models import Result, UkgEvent
from gugus.partnership.effect import partner_effect
from gugus.partnership.models import Cohort, Pair, Participant, Tier
from tests.factories import teacher
from tests.partnership.conftest import school


def result(event, person, total):
    Result.objects.create(
        event=event,
        person=person,
        subject_id="ipa",
        total=round(total, 2),
        pedagogik=round(total, 2),
        profesional=round(total, 2),
        province_id=person.province_id,
        regency_id=person.regency_id,
        school_id=person.school_id,
        jenjang="smp",
    )


def build(planted: float, partners: int = 24, comparison: int = 60):
    """Everyone's later score follows the same baseline-dependent drift (weak scores rise
    more: regression to the mean); partners get `planted` on top."""
    rng = random.Random(7)
    before = UkgEvent.objects.create(code="ukg-2015", name="UKG 2015", year=2015)
    after = UkgEvent.objects.create(code="ukg-2024", name="UKG 2024", year=2024)
    cohort = Cohort.objects.create(
        name="Kemitraan",
        year=2016,
        ministry="kemendikbud",
        province_id="34",
        event=before,
        levels=["smp"],
    )
    top = Tier.objects.create(cohort=cohort, rank=1, name="Guru Mitra 1", mentees=50)
    low = Tier.objects.create(cohort=cohort, rank=2, name="Guru Mitra 2", max_score=55)
    host_school, partner_school = school("34.71.01"), school("34.03.01")
    host = Participant.objects.create(
        cohort=cohort,
        tier=top,
        person=teacher(host_school, subject="ipa"),
        subject_id="ipa",
        jenjang="smp",
        regency_id="34.71",
        score=85,
    )

    def drift(start):
        return 20 - 0.4 * start + rng.uniform(-1.5, 1.5)

    for n in range(partners + comparison):
        person = teacher(partner_school, subject="ipa")
        # partners are weaker than the comparison on the whole: 30-40 against 30-50
        start = round(rng.uniform(30, 40 if n < partners else 50), 2)
        result(before, person, start)
        if n < partners:
            result(after, person, start + drift(start) + planted)
            p = Participant.objects.create(
                cohort=cohort,
                tier=low,
                person=person,
                subject_id="ipa",
                jenjang="smp",
                regency_id="34.03",
                score=start,
            )
            Pair.objects.create(cohort=cohort, host=host, partner=p, gap=85 - start, km=30, cost=1)
        else:
            result(after, person, start + drift(start))
    return cohort, after


@pytest.mark.django_db
@pytest.mark.parametrize("planted", [0.0, 8.0])
def test_a_planted_effect_is_recovered_and_none_is_claimed_where_none_was(planted):
    cohort, after = build(planted)
    [row] = partner_effect(cohort, after)
    # only comparison teachers whose baseline band some partner shares count
    assert row.subject == "ipa" and row.partners == 24 and 5 <= row.comparison < 60
    assert row.effect == pytest.approx(planted, abs=1.0)
    assert row.partner_change == pytest.approx(row.comparison_change + row.effect, abs=0.01)
    # Against all comparison teachers at once the weaker partners would seem to gain more
    # than they did: weak scores rise anyway. The strata keep that out.
    changes = {r.person_id: float(r.total) for r in Result.objects.filter(event=after)}
    starts = {r.person_id: float(r.total) for r in Result.objects.filter(event=cohort.event)}
    taking_part = set(Participant.objects.filter(cohort=cohort).values_list("person_id", flat=True))
    own = [changes[p] - starts[p] for p in changes if p in taking_part]
    rest = [changes[p] - starts[p] for p in changes if p not in taking_part]
    naive = sum(own) / len(own) - sum(rest) / len(rest)
    assert abs(naive - planted) > 1.5


@pytest.mark.django_db
def test_thin_data_says_not_enough_instead_of_a_number():
    cohort, after = build(8.0, partners=3, comparison=60)
    [row] = partner_effect(cohort, after)
    assert row.partners == 3 and not row.enough and row.effect is None
