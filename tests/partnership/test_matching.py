"""The pairing of a partnership cohort: its hard constraints never break, its optimum is
the optimum an independent solver finds, locked pairs stay, and every teacher left
unmatched says why."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from gugus.directory.geo import distance_km
from gugus.partnership.matching import FULL, NO_HOST, Teacher, Weights, allowed, match, terms


def km(a, b):
    """Four places on a line, 100 km apart: distances the test can reason about."""
    return abs(int(a) - int(b)) * 100.0


teachers = st.builds(
    Teacher,
    key=st.integers(),  # replaced below by unique keys
    subject=st.sampled_from(["ipa", "matematika"]),
    jenjang=st.sampled_from(["smp", "mts"]),
    regency=st.sampled_from(["1", "2", "3", "4"]),
    school=st.integers(1, 3),
    score=st.integers(30, 95).map(float),
)


def keyed(people, start):
    """Unique keys; a school lies in one kab/kota, as schools do."""
    return [
        Teacher(start + n, t.subject, t.jenjang, t.regency, int(t.regency) * 10 + t.school, t.score)
        for n, t in enumerate(people)
    ]


@st.composite
def instances(draw):
    hosts = keyed(draw(st.lists(teachers, max_size=7)), 1)
    partners = keyed(draw(st.lists(teachers, max_size=14)), 100)
    capacity = draw(st.integers(1, 3))
    possible = [(h.key, p.key) for h in hosts for p in partners if allowed(h, p)]
    excluded = draw(st.lists(st.sampled_from(possible), max_size=4)) if possible else []
    locked, used, room = [], set(), {h.key: capacity for h in hosts}
    for h, p in draw(st.lists(st.sampled_from(possible), max_size=3)) if possible else []:
        if p not in used and room[h] > 0 and (h, p) not in excluded:
            locked.append((h, p))
            used.add(p)
            room[h] -= 1
    return hosts, partners, capacity, excluded, locked


def independent_optimum(hosts, partners, capacity, excluded, locked, weights):
    """The same problem as an assignment on host slots (SciPy's Hungarian method): the
    most partners matched, then the least cost."""
    taken = {p for _h, p in locked}
    free = [p for p in partners if p.key not in taken]
    room = {h.key: capacity - sum(1 for lh, _p in locked if lh == h.key) for h in hosts}
    slots = [h for h in hosts for _n in range(room[h.key])]
    if not free:
        return 0, 0
    big, miss = 10**12, 10**8  # forbidden; the price of leaving a partner unmatched
    cost = np.full((len(free), len(slots) + len(free)), big, dtype=np.int64)
    for i, partner in enumerate(free):
        for j, host in enumerate(slots):
            if allowed(host, partner) and (host.key, partner.key) not in set(excluded):
                cost[i, j] = terms(host, partner, weights, km).cost
        cost[i, len(slots) + i] = miss
    rows, cols = linear_sum_assignment(cost)
    matched = [(r, c) for r, c in zip(rows, cols, strict=True) if c < len(slots)]
    return len(matched), int(sum(cost[r, c] for r, c in matched))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_constraints_hold_and_the_optimum_is_the_independent_solvers(instance):
    hosts, partners, capacity, excluded, locked = instance
    weights = Weights()
    result = match(
        hosts, partners, capacity=capacity, locked=locked, excluded=excluded, km=km, weights=weights
    )
    # Every partner appears once: paired or unmatched with a reason.
    seen = [p.partner.key for p in result.pairs] + [u.partner.key for u in result.unmatched]
    assert sorted(seen) == sorted(p.key for p in partners)
    # Capacity, subject, level and own school; excluded pairs never made; locked pairs kept.
    load = {}
    for pair in result.pairs:
        load[pair.host.key] = load.get(pair.host.key, 0) + 1
        assert allowed(pair.host, pair.partner) or pair.locked
        assert pair.locked or (pair.host.key, pair.partner.key) not in set(excluded)
    assert all(n <= capacity for n in load.values())
    kept = {(p.host.key, p.partner.key) for p in result.pairs if p.locked}
    assert kept == set(locked)
    # The reason of each unmatched partner is true.
    for u in result.unmatched:
        reachable = any(
            allowed(h, u.partner) and (h.key, u.partner.key) not in set(excluded) for h in hosts
        )
        assert u.reason == (FULL if reachable else NO_HOST)
    # Optimal: as many matched and as cheap as the independent formulation.
    free_pairs = [p for p in result.pairs if not p.locked]
    assert (len(free_pairs), sum(p.terms.cost for p in free_pairs)) == independent_optimum(
        hosts, partners, capacity, excluded, locked, weights
    )


def test_the_seeds_cohort_pairs_each_host_with_two_partners_from_elsewhere():
    """Seed 003: 8 Guru Mitra 1 from 5 schools of one city host 16 Guru Mitra 2 from other
    kab/kota, one to two."""
    schools = [1, 1, 2, 2, 3, 3, 4, 5]
    hosts = [Teacher(n, "ipa", "smp", "34.71", schools[n], 80.0 + n) for n in range(8)]
    elsewhere = ["53.01", "53.02", "52.01", "63.01"]
    partners = [
        Teacher(100 + n, "ipa", "smp", elsewhere[n % 4], 50 + n, 45.0 + n) for n in range(16)
    ]
    result = match(hosts, partners, capacity=2)
    assert not result.unmatched
    per_host = {}
    for pair in result.pairs:
        per_host[pair.host.key] = per_host.get(pair.host.key, 0) + 1
        assert pair.terms.gap == pair.host.score - pair.partner.score
        assert pair.terms.km == round(distance_km("34.71", pair.partner.regency), 1)
    assert sorted(per_host.values()) == [2] * 8


def test_the_cost_terms_explain_each_pair():
    host = Teacher(1, "matematika", "smp", "34.71", 1, 82.5)
    partner = Teacher(2, "matematika", "smp", "34.04", 2, 48.0)
    t = terms(host, partner, Weights(gap=1, travel=0.02))
    assert t.gap == 34.5 and 5 < t.km < 15
    assert t.cost == round(100 * ((100 - 34.5) + 0.02 * t.km))


@pytest.mark.parametrize(
    ("partner", "reason"),
    [
        (Teacher(9, "bahasa-inggris", "smp", "34.71", 7, 40.0), NO_HOST),  # no host teaches it
        (Teacher(9, "ipa", "mts", "34.71", 7, 40.0), NO_HOST),  # nor at that level
        (Teacher(9, "ipa", "smp", "34.71", 1, 40.0), NO_HOST),  # the only host is at its school
        (Teacher(9, "ipa", "smp", "34.71", 7, 40.0), FULL),  # allowed, but the host is full
    ],
)
def test_an_unmatched_teacher_says_why(partner, reason):
    host = Teacher(1, "ipa", "smp", "34.71", 1, 85.0)
    first = Teacher(8, "ipa", "smp", "34.71", 6, 30.0)  # takes the host's only place
    result = match([host], [first, partner], capacity=1, locked=[(1, 8)])
    assert [u.reason for u in result.unmatched] == [reason]


def test_locked_pairs_stay_when_matching_runs_again():
    hosts = [Teacher(1, "ipa", "smp", "34.71", 1, 90.0), Teacher(2, "ipa", "smp", "34.71", 2, 60.0)]
    partners = [Teacher(10, "ipa", "smp", "34.71", 3, 40.0)]
    assert match(hosts, partners, capacity=1).pairs[0].host.key == 1  # the wider gap
    again = match(hosts, partners, capacity=1, locked=[(2, 10)])
    assert [(p.host.key, p.locked) for p in again.pairs] == [(2, True)]
