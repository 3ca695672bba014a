"""The In-On-In rules of the grant: template counts per group type and every ordering rule."""

import datetime

import pytest

from gugus.communities.models import WorkingGroup
from gugus.grants.inoni import (
    IN,
    ON,
    TEMPLATE_COUNTS,
    PlanItem,
    alternation_violations,
    plan_violations,
    realisation_violations,
    skeleton,
    template_errors,
)

pytestmark = pytest.mark.usefixtures("indonesian")

START, END = datetime.date(2026, 2, 1), datetime.date(2026, 11, 30)


def plan(in_count, on_count, first=datetime.date(2026, 3, 2)):
    items = []
    for n, (kind, practises, reflects) in enumerate(skeleton(in_count, on_count), start=1):
        items.append(
            PlanItem(
                ref=f"Kegiatan {n}",
                kind=kind,
                date=first + datetime.timedelta(days=14 * (n - 1)),
                practises=practises,
                reflects_on=reflects,
            )
        )
    return items


def rules(items, counts=(3, 2)):
    return [
        (v.ref, v.rule)
        for v in plan_violations(
            items, in_count=counts[0], on_count=counts[1], period_start=START, period_end=END
        )
    ]


@pytest.mark.parametrize(
    ("kind", "counts"),
    [
        ("kkg", (3, 2)),
        ("mgmp", (3, 2)),
        ("mgbk", (3, 2)),
        ("kombel", (3, 2)),
        ("kkm", (5, 2)),
        ("kkks", (5, 2)),
        ("pokjawas", (5, 2)),
        ("kkps", (5, 2)),
    ],
)
def test_template_counts_for_every_group_type(kind, counts):
    assert TEMPLATE_COUNTS[kind] == counts
    assert template_errors(*counts) == []
    generated = plan(*counts)
    assert sum(i.kind == IN for i in generated) == counts[0]
    assert sum(i.kind == ON for i in generated) == counts[1]
    assert rules(generated, counts) == []


def test_every_group_type_has_a_template():
    assert set(TEMPLATE_COUNTS) == set(WorkingGroup.Kind.values)


def test_heads_plan_is_five_in_and_two_on_in_order():
    assert [k for k, _p, _r in skeleton(5, 2)] == [IN, IN, IN, ON, IN, ON, IN]


@pytest.mark.parametrize(("counts", "problem"), [((2, 2), "paling sedikit 3"), ((3, 0), "On")])
def test_impossible_templates_are_refused(counts, problem):
    errors = template_errors(*counts)
    assert errors and any(problem in e for e in errors)


def test_wrong_counts_are_refused():
    items = plan(3, 2)[:-1]
    assert ("", "counts") in rules(items)
    message = plan_violations(items, in_count=3, on_count=2, period_start=START, period_end=END)[
        0
    ].message
    assert message == (
        "Rencana memuat 2 kegiatan In dan 2 kegiatan On; jenis kelompok ini "
        "memerlukan 3 In dan 2 On."
    )


def test_an_on_must_practise_an_earlier_in():
    items = plan(3, 2)
    items[1].practises = None
    assert ("Kegiatan 2", "on_practises_in") in rules(items)
    items = plan(3, 2)
    items[1].practises = "Kegiatan 3"  # the In after it
    assert ("Kegiatan 2", "on_practises_in") in rules(items)


def test_an_on_must_be_followed_by_its_reflection():
    items = plan(3, 2)
    items[4].reflects_on = None
    assert ("Kegiatan 4", "on_reflected") in rules(items)
    items = plan(3, 2)
    items[2].date = items[1].date - datetime.timedelta(days=1)  # reflection before the On
    found = rules(items)
    assert ("Kegiatan 3", "on_reflected") in found


def test_the_pattern_starts_with_an_in():
    items = plan(3, 2)
    items[1].date = datetime.date(2026, 2, 10)
    assert ("Kegiatan 2", "starts_with_in") in rules(items)


def test_dates_must_lie_in_the_programme_period():
    items = plan(3, 2)
    items[4].date = datetime.date(2026, 12, 20)
    items[0].date = None
    found = rules(items)
    assert ("Kegiatan 5", "period") in found and ("Kegiatan 1", "dates") in found
    message = next(
        v.message
        for v in plan_violations(items, in_count=3, on_count=2, period_start=START, period_end=END)
        if v.rule == "period"
    )
    assert "Kegiatan 5" in message and "20-12-2026" in message


def test_a_reflection_must_point_at_an_on():
    items = plan(3, 2)
    items[2].reflects_on = "Kegiatan 1"
    assert ("Kegiatan 3", "on_reflected") in rules(items)


def test_realisation_needs_classroom_evidence_for_on_and_attendance_and_materials_for_in():
    items = plan(3, 2)
    for item in items:
        item.attendance, item.materials = 20, 1
    items[1].evidence_kinds = {"dokumen"}
    items[3].evidence_kinds = {"karya"}
    items[0].materials = 0
    found = [(v.ref, v.rule) for v in realisation_violations(items)]
    assert found == [("Kegiatan 1", "in_materials"), ("Kegiatan 2", "on_evidence")]


@pytest.mark.parametrize(
    ("order", "broken"),
    [
        ("in on in on in", []),
        ("in in in on in on in", []),
        # Each On names an In before it and has a reflection after it, yet two On
        # follow each other: the pattern alternates, so the second is refused.
        ("in on on in in", ["Kegiatan 3"]),
        ("in in on on in in in", ["Kegiatan 4"]),
    ],
)
def test_in_and_on_alternate(order, broken):
    kinds = order.split()
    items = [
        PlanItem(ref=f"Kegiatan {n}", kind=k, date=START + datetime.timedelta(days=7 * n))
        for n, k in enumerate(kinds, start=1)
    ]
    assert [v.ref for v in alternation_violations(items)] == broken
