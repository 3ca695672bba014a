"""The activeness rule: measured from held activities, attendance and follow-through."""

import datetime

import pytest
from django.core.management import call_command

from gugus.communities import activeness, services
from gugus.communities.activeness import GroupFacts, measure
from gugus.communities.models import (
    ActivenessSnapshot,
    Activity,
    Attendance,
    Membership,
    WorkingGroup,
)
from gugus.core.roles import Role
from gugus.directory.models import Regency
from tests.factories import GroupFactory, teacher, user_with_role

MONTH = datetime.date(2026, 6, 1)


def facts(members=20, activities=()):
    ids = set(range(members))
    return GroupFacts(members=members, member_ids=ids, activities=list(activities))


def held(day, kind="pertemuan", aid=None, reflects=None, present=15):
    return (day, kind, aid or hash((day, kind)), reflects, set(range(present)))


def monthly(months=6, present=15):
    return [
        held(activeness.add_months(MONTH, -i).replace(day=10), present=present)
        for i in range(months)
    ]


def test_a_group_meeting_monthly_with_good_attendance_is_active():
    m = measure(facts(activities=monthly()), MONTH)
    assert (m.score, m.level, m.reasons) == (100, "aktif", [])
    assert m.metrics["attendance_rate"] == 0.75


def test_no_activity_means_inactive_with_reasons():
    m = measure(facts(), MONTH)
    assert m.level == "tidak_aktif" and m.score == 0
    assert len(m.reasons) == 3


def test_no_members_is_inactive_whatever_happened():
    m = measure(facts(members=0, activities=monthly()), MONTH)
    assert m.score == 0 and m.level == "tidak_aktif"


def test_sparse_activity_is_less_active():
    m = measure(facts(activities=monthly(months=6)[:2]), MONTH)
    assert m.level == "kurang_aktif", m
    assert m.metrics["continuity"] == pytest.approx(2 / 6, abs=0.001)


def test_low_attendance_lowers_the_score_and_says_so():
    full = measure(facts(activities=monthly()), MONTH).score
    low = measure(facts(activities=monthly(present=3)), MONTH)
    assert low.score < full
    assert any("kehadiran" in r.lower() or "attendance" in r.lower() for r in low.reasons)


def test_on_without_reflection_counts_against_follow_through():
    on = held(MONTH.replace(day=3), kind="on", aid=1)
    lonely = measure(facts(activities=[*monthly(), on]), MONTH)
    reflection = held(MONTH.replace(day=20), kind="in", aid=2, reflects=1)
    followed = measure(facts(activities=[*monthly(), on, reflection]), MONTH)
    assert lonely.metrics["follow_through"] == 0 and followed.metrics["follow_through"] == 1
    assert followed.score > lonely.score


def test_reflection_too_late_does_not_count():
    on = held(datetime.date(2026, 1, 5), kind="on", aid=1)
    late = held(datetime.date(2026, 5, 20), kind="in", aid=2, reflects=1)
    m = measure(facts(activities=[*monthly(), on, late]), MONTH)
    assert m.metrics["follow_through"] == 0


def test_thresholds_are_settings(settings):
    settings.GUGUS_ACTIVENESS = {**settings.GUGUS_ACTIVENESS, "active_from": 101}
    assert measure(facts(activities=monthly()), MONTH).level == "kurang_aktif"


def test_activities_outside_the_window_do_not_count():
    old = [held(datetime.date(2025, 6, 10)), held(datetime.date(2025, 7, 10))]
    assert measure(facts(activities=old), MONTH).metrics["activities"] == 0


@pytest.mark.django_db
def test_recording_attendance_updates_the_groups_level(yogya_school, clock):
    office = user_with_role(Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.71"))
    group = GroupFactory()
    people = [teacher(yogya_school) for _i in range(3)]
    for p in people:
        Membership.objects.create(group=group, person=p, started_on="2024-01-01")
    activity = services.activity_create(
        actor=office,
        group=group,
        data={"kind": "pertemuan", "topic": "Rapat", "date": clock.today, "place": "SD"},
    )
    assert WorkingGroup.objects.get(pk=group.pk).activeness_score == 0
    services.attendance_record(
        actor=office, activity=activity, statuses={p.pk: "hadir" for p in people}
    )
    group.refresh_from_db()
    assert group.activeness_score > 0
    assert ActivenessSnapshot.objects.filter(group=group).count() == 12


def test_few_well_attended_activities_are_not_enough_to_be_active():
    """Two perfect sessions (an On and its reflection, everyone present) score 60, which
    would be "aktif"; the frequency floor keeps them at "kurang aktif"."""
    on = held(datetime.date(2026, 5, 4), kind="on", aid=1, present=20)
    reflection = held(datetime.date(2026, 6, 1), kind="in", aid=2, reflects=1, present=20)
    m = measure(facts(activities=[on, reflection]), MONTH)
    assert m.score >= 60
    assert m.level == "kurang_aktif"
    assert m.reasons[0].startswith(("Too few", "Terlalu sedikit"))


@pytest.mark.django_db
def test_daily_refresh_lowers_a_group_that_stopped_meeting(yogya_school, clock):
    """Nothing changes in the records, yet months pass: the daily job must notice."""
    group = GroupFactory()
    people = [teacher(yogya_school) for _i in range(4)]
    for p in people:
        Membership.objects.create(group=group, person=p, started_on="2020-01-01")
    long_ago = clock.today - datetime.timedelta(days=400)
    for i in range(6):
        day = long_ago + datetime.timedelta(days=30 * i)
        activity = Activity.objects.create(
            group=group, kind="pertemuan", topic="Rapat", date=day, place="SD", status="held"
        )
        Attendance.objects.bulk_create(
            [Attendance(activity=activity, person=p, status="hadir") for p in people]
        )
    WorkingGroup.objects.filter(pk=group.pk).update(activeness_level="aktif", activeness_score=100)
    call_command("refresh_activeness")
    group.refresh_from_db()
    assert (group.activeness_level, group.activeness_score) == ("tidak_aktif", 0)
