"""The impact method on synthetic data where the truth is known: it recovers a planted
effect within its interval, claims none where none was planted (even when weak schools
were the ones taking part and regress towards the mean), and says "not enough data"
rather than guess; then on the database, who counts as taking part."""

import random

from django.db.models import Q

from gugus.directory.models import Office
from gugus.insights import impact
from gugus.insights.impact import Unit
from gugus.insights.models import SchoolOutcome
from gugus.training.models import Certificate, Event
from gugus.training.models import Participant as Trainee
from tests.factories import PersonFactory, SchoolFactory

STRATA = [
    (level, ministry, "34") for level in ("sd", "smp") for ministry in ("kemendikbud", "kemenag")
]


def world(seed: int, effect: float, n: int = 600) -> list[Unit]:
    """Schools whose outcome drifts up, regresses towards the mean, and moves by `effect`
    where they took part; the weaker a school, the likelier it took part."""
    rng = random.Random(seed)
    units = []
    for i in range(n):
        stratum = STRATA[i % len(STRATA)]
        before = rng.gauss(60 + 3 * (i % len(STRATA)), 8)
        treated = rng.random() < (0.7 if before < 55 else 0.15)
        after = before + 1.5 + 0.5 * (60 - before) + rng.gauss(0, 3) + (effect if treated else 0)
        units.append(Unit(i, stratum, before, after, treated))
    return units


def test_a_planted_effect_is_recovered_within_its_interval():
    covered = significant = 0
    for seed in range(20):
        result = impact.estimate(world(seed, effect=4.0))
        assert result.enough and result.pairs >= 100
        covered += result.low <= 4.0 <= result.high
        significant += result.excludes_zero
        assert abs(result.effect - 4.0) < 1.5
    assert covered >= 17  # a 95% interval, over 20 worlds
    assert significant == 20


def test_no_effect_is_claimed_where_none_was_planted():
    covered = 0
    for seed in range(20):
        units = world(seed, effect=0.0)
        result = impact.estimate(units)
        covered += result.low <= 0.0 <= result.high
        # Without matching the weak schools' regression towards the mean looks like an
        # effect: the naive difference of mean changes is far from zero.
        took = [u.change for u in units if u.treated]
        rest = [u.change for u in units if not u.treated]
        assert sum(took) / len(took) - sum(rest) / len(rest) > 2.0
    assert covered >= 17


def test_too_few_pairs_is_not_enough_data():
    result = impact.estimate(world(1, effect=4.0, n=30))
    assert not result.enough
    assert result.effect is None and result.pairs < impact.MIN_PAIRS
    assert result.took_part + result.comparison == 30


def test_matching_stays_inside_the_stratum_and_the_caliper():
    units = [
        Unit("t1", ("sd", "kemendikbud", "34"), 50, 55, True),
        Unit("c1", ("sd", "kemendikbud", "34"), 70, 71, False),  # too far
        Unit("c2", ("sd", "kemenag", "34"), 50, 51, False),  # other stratum
        Unit("c3", ("sd", "kemendikbud", "34"), 53, 54, False),
        Unit("t2", ("sd", "kemendikbud", "34"), 52, 56, True),  # c3 already taken
    ]
    assert [(t.key, c.key) for t, c in impact.match(units)] == [("t1", "c3")]


def test_schools_took_part_when_their_teachers_completed_a_training_between_the_years(
    db, yogya_school
):
    schools = [yogya_school, *SchoolFactory.create_batch(3)]
    for school, (before, after) in zip(
        schools, ((50, 58), (52, 53), (60, 61), (70, 72)), strict=True
    ):
        SchoolOutcome.objects.create(school=school, year=2024, literacy=before)
        SchoolOutcome.objects.create(school=school, year=2026, literacy=after)
    SchoolOutcome.objects.create(school=schools[3], year=2025, numeracy=40)
    event = Event.objects.create(
        kind="pelatihan",
        title="Pelatihan",
        ministry="kemendikbud",
        group=None,
        office=_office(),
        province_id="34",
        starts_on="2025-05-01",
        ends_on="2025-05-03",
        capacity=10,
        jp=32,
        certificate_prefix="T",
    )
    earlier = Event.objects.create(
        **{
            f: getattr(event, f)
            for f in ("kind", "ministry", "office", "province", "capacity", "jp")
        },
        title="Lama",
        starts_on="2023-05-01",
        ends_on="2023-05-03",
        certificate_prefix="L",
    )
    _certify(event, schools[0])
    _certify(earlier, schools[2])  # took part before the baseline: left out
    units = impact.school_units(
        place_q=Q(school__province_id="34"),
        programme="training",
        index="literacy",
        before=2024,
        after=2026,
    )
    by_school = {u.key: u for u in units}
    assert set(by_school) == {schools[0].pk, schools[1].pk, schools[3].pk}
    assert by_school[schools[0].pk].treated and by_school[schools[0].pk].change == 8
    assert not by_school[schools[1].pk].treated


def _office():
    return Office.objects.create(kind="bbgp", name="BBGP", province_id="34")


def _certify(event, school):
    person = PersonFactory(school=school, position="kepala")
    trainee = Trainee.objects.create(
        event=event,
        person=person,
        regency=school.regency,
        school=school,
        checkin_token=f"t{person.pk}",
    )
    Certificate.objects.create(
        participant=trainee, number=f"{event.pk}/{person.pk}", token=f"c{person.pk}"
    )
