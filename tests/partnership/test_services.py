"""A partnership cohort from UKG results to pairs: the office's rules, its exclusions and
additions, the matching that keeps locked pairs, and who may see and change what."""

import pytest

from gugus.core.access import visible
from gugus.core.errors import DomainError, FieldErrors, Forbidden
from gugus.core.models import AuditEntry
from gugus.core.roles import Role
from gugus.partnership import services
from gugus.partnership.matching import FULL, NO_HOST
from gugus.partnership.models import Cohort, Pair, Participant
from tests.factories import UserFactory, user_with_role
from tests.partnership.conftest import TIERS

pytestmark = pytest.mark.usefixtures("indonesian")


def open_cohort(world, **changes):
    data = {
        "name": "Kemitraan IPA SMP 2026",
        "year": "2026",
        "province": "34",
        "event": "ukg-2015",
        "subjects": ["ipa", "matematika"],
        "levels": ["smp"],
        "host_regions": "34.71",
        "partner_regions": "34.03, 33",
        **changes,
    }
    return services.cohort_create(actor=world["office"], data=data, tiers=TIERS)


def test_an_office_opens_a_cohort_of_its_ministry_with_tiers_as_data(world):
    cohort = open_cohort(world)
    assert cohort.ministry == "kemendikbud" and cohort.status == "draft"
    assert [(t.rank, t.name, t.mentees) for t in cohort.tiers.all()] == [
        (1, "Guru Mitra 1", 2),
        (2, "Guru Mitra 2", None),
    ]
    assert AuditEntry.objects.filter(target_type="partnership.cohort", action="create").exists()
    kanwil = user_with_role(Role.ADMIN_PROVINSI, province_id="34", ministry="kemenag")
    with pytest.raises(Forbidden):
        services.cohort_create(
            actor=kanwil,
            data={
                "name": "X",
                "year": "2026",
                "province": "34",
                "event": "ukg-2015",
                "subjects": ["ipa"],
                "levels": ["smp"],
                "ministry": "kemendikbud",
            },
            tiers=TIERS,
        )


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ([TIERS[0]], "dua atau tiga tingkat"),
        ([{"name": "A", "min_score": "75"}, TIERS[1]], "berapa mitra"),
        ([TIERS[0], {"name": "B", "max_score": "55", "mentees": "3"}], "tingkat terakhir"),
        ([TIERS[0], {"name": "B"}], "nilai terendah atau tertingginya, atau porsinya"),
        ([TIERS[0], {"name": "B", "share": "120"}], "persentase bulat dari 1 sampai 100"),
        (
            [
                TIERS[0],
                {"name": "B", "share": "10", "mentees": "3", "min_score": "60"},
                TIERS[1],
            ],
            "hanya tingkat tertinggi dan terakhir",
        ),
    ],
)
def test_tiers_are_checked(world, tiers, message):
    with pytest.raises(FieldErrors) as info:
        services.cohort_create(
            actor=world["office"],
            data={
                "name": "X",
                "year": "2026",
                "province": "34",
                "event": "ukg-2015",
                "subjects": ["ipa"],
                "levels": ["smp"],
            },
            tiers=tiers,
        )
    assert message in info.value.details[0]["message"]


def test_teachers_are_chosen_by_each_tiers_rule_and_region(world):
    cohort = open_cohort(world)
    counts = services.cohort_select(actor=world["office"], cohort=cohort)
    assert counts == {"Guru Mitra 1": 3, "Guru Mitra 2": 8}
    chosen = {p.person_id: p.tier.rank for p in cohort.participants.select_related("tier")}
    assert all(chosen[h.pk] == 1 for h in world["hosts"])
    assert all(chosen[p.pk] == 2 for p in world["partners"])
    assert chosen[world["math"].pk] == 2 and world["middling"].pk not in chosen


def test_a_share_takes_the_best_or_the_weakest_of_each_subject(world):
    cohort = services.cohort_create(
        actor=world["office"],
        data={
            "name": "Kemitraan porsi",
            "year": "2026",
            "province": "34",
            "event": "ukg-2015",
            "subjects": ["ipa", "matematika"],
            "levels": ["smp"],
            "host_regions": "34.71",
            "partner_regions": "34.03, 33",
        },
        tiers=[
            {"name": "Guru Mitra 1", "share": "50", "mentees": "2"},
            {"name": "Guru Mitra 2", "share": "25"},
        ],
    )
    assert services.cohort_select(actor=world["office"], cohort=cohort) == {
        "Guru Mitra 1": 2,  # half of three IPA teachers, rounded up: the two best
        "Guru Mitra 2": 3,  # a quarter of eight IPA teachers and of one in Matematika
    }
    chosen = {p.person_id: p.tier.rank for p in cohort.participants.select_related("tier")}
    assert {k for k, v in chosen.items() if v == 1} == {h.pk for h in world["hosts"][1:]}
    assert {k for k, v in chosen.items() if v == 2} == {
        world["partners"][0].pk,
        world["partners"][1].pk,
        world["math"].pk,
    }


def test_matching_pairs_one_to_two_keeps_locked_pairs_and_says_why_others_wait(world):
    office = world["office"]
    cohort = open_cohort(world)
    services.cohort_select(actor=office, cohort=cohort)
    summary = services.cohort_match(actor=office, cohort=cohort)
    assert summary == {"pairs": 6, "unmatched": 2}
    for pair in Pair.objects.filter(cohort=cohort).select_related("host", "partner"):
        assert pair.host.subject_id == pair.partner.subject_id == "ipa"
        assert pair.gap == pair.host.score - pair.partner.score
    loads = [p.partners.count() for p in cohort.participants.filter(tier__rank=1)]
    assert sorted(loads) == [2, 2, 2]
    waiting = dict(cohort.participants.exclude(unmatched="").values_list("person_id", "unmatched"))
    assert waiting[world["math"].pk] == NO_HOST  # no Guru Mitra 1 teaches mathematics
    assert list(waiting.values()).count(FULL) == 1  # seven IPA partners for six places

    first = Pair.objects.filter(cohort=cohort).order_by("id").first()
    services.pair_lock(actor=office, pair=first, locked=True)
    second = Pair.objects.filter(cohort=cohort, locked=False).order_by("id").first()
    services.pair_exclude(actor=office, pair=second, reason="Sekolah berjauhan")
    services.cohort_match(actor=office, cohort=cohort)
    assert Pair.objects.filter(pk=first.pk, locked=True).exists()
    assert not Pair.objects.filter(host=second.host, partner=second.partner).exists()


def test_an_excluded_teacher_leaves_the_pairs_and_an_added_one_joins(world):
    office = world["office"]
    cohort = open_cohort(world)
    services.cohort_select(actor=office, cohort=cohort)
    partner = cohort.participants.get(person=world["partners"][0])
    with pytest.raises(FieldErrors):
        services.participant_exclude(actor=office, participant=partner, reason="")
    services.participant_exclude(actor=office, participant=partner, reason="Pindah tugas")
    services.participant_add(
        actor=office, cohort=cohort, person=world["middling"], rank=2, reason="Usulan kepala"
    )
    services.cohort_match(actor=office, cohort=cohort)
    partner.refresh_from_db()
    assert partner.status == "excluded" and not Pair.objects.filter(partner=partner).exists()
    added = cohort.participants.get(person=world["middling"])
    assert added.status == "added" and added.score == 65
    with pytest.raises(DomainError):
        services.participant_add(
            actor=office, cohort=cohort, person=world["middling"], rank=2, reason="Lagi"
        )


def test_teachers_see_their_own_cohort_and_partners_offices_of_the_other_ministry_nothing(world):
    office = world["office"]
    cohort = open_cohort(world)
    services.cohort_select(actor=office, cohort=cohort)
    services.cohort_match(actor=office, cohort=cohort)
    pair = Pair.objects.filter(cohort=cohort).select_related("host", "partner").first()
    mitra2 = UserFactory(person=pair.partner.person)
    assert list(visible(mitra2, Cohort)) == [cohort]
    seen = set(visible(mitra2, Participant).values_list("pk", flat=True))
    assert seen == {pair.partner.pk, pair.host.pk}  # themselves and their host, no one else
    outsider = UserFactory(person=world["middling"])
    assert not visible(outsider, Cohort).exists()
    kanwil = user_with_role(Role.ADMIN_PROVINSI, province_id="34", ministry="kemenag")
    assert not visible(kanwil, Cohort).exists() and not visible(kanwil, Pair).exists()
    kab = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")
    assert list(visible(kab, Cohort)) == [cohort]  # its province's cohort: seen, not run
    with pytest.raises(Forbidden):
        services.cohort_match(actor=kab, cohort=cohort)
