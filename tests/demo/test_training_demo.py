"""The demo's training reproduces seed 004's phase II (342 heads from 38 kab/kota in three
venues) and seed 002's study visit of 44."""

from collections import Counter

import pytest

from gugus.demo.training import create_demo_training
from gugus.training import selectors
from gugus.training.models import Certificate, Event, Participant


@pytest.fixture
def demo(db, clock):
    clock.set("2026-11-26")
    made = create_demo_training()
    assert made == 342 + 44
    assert create_demo_training() == 0  # idempotent


def test_phase_two_holds_the_seeds_numbers(demo):
    event = Event.objects.get(phase=2, kind="pelatihan")
    current = selectors.current(event)
    assert current.count() == 342
    assert Counter(current.values_list("level_group", flat=True)) == {
        "paud_slb": 114,
        "sd": 114,
        "sma": 114,
    }
    assert current.values("regency").distinct().count() == 38
    totals = selectors.quota_totals(selectors.quota_fill(event))
    # Two kab/kota nominated after the close, and the replacement came after it too.
    assert (totals.seats, totals.nominated, totals.shortfall, totals.late) == (342, 342, 0, 19)
    assert [v.participants.count() for v in event.venues.all()] == [120, 120, 102]
    assert Participant.objects.filter(event=event, status="replaced").count() == 1
    assert selectors.tandem_gaps(event) == []
    completed = sum(r.completed for r in selectors.completions(event).values())
    assert 300 < completed < 342
    assert Certificate.objects.filter(participant__event=event).count() == completed
    assert selectors.overview(event)["cascading"] > 200
    assert event.follow_ups.get().kind == "pendampingan"


def test_the_study_visit_of_44(demo):
    visit = Event.objects.get(kind="kunjungan")
    positions = Counter(selectors.current(visit).values_list("person__position", flat=True))
    assert positions == {"guru": 40, "kepala": 3, "pengawas": 1}
    assert sorted(visit.facilitators.values_list("kind", flat=True)) == ["praktisi", "widyaiswara"]
    assert visit.materials.count() == 1
    assert Certificate.objects.filter(participant__event=visit).count() == 44
