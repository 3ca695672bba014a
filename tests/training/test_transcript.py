"""The JP transcript: every kind of record, summed, against the same records counted here
straight from their tables."""

import datetime
from decimal import Decimal

import pytest

from gugus.communities.models import Activity, Attendance
from gugus.competency.models import UkgEvent
from gugus.partnership.models import Cohort, RundownItem, Tier, Visit, VisitAttendance
from gugus.partnership.models import Participant as Partner
from gugus.training import services, transcript
from gugus.training.models import Mentoring, MentoringVisit
from tests.factories import GroupFactory, member
from tests.training.conftest import head


def _activity(group, kind, date, jp, status="held"):
    return Activity.objects.create(
        group=group, kind=kind, topic=f"{kind} {date}", date=date, duration_jp=jp, status=status
    )


@pytest.fixture
def records(bbgp, event, clock, kota_heads):
    person = kota_heads["sd"][0]
    # A training completed (all four days, post-test 85) and one check-in short of nothing.
    p = services.nominate(actor=bbgp, event=event, person=person)
    services.event_step(actor=bbgp, event=event, step="start")
    for s in event.sessions.all():
        clock.set(s.date.isoformat())
        services.check_in(actor=bbgp, session=s, token=p.checkin_token)
    services.scores_record(actor=bbgp, participant=p, data={"post_score": "85"})
    # Mentoring: 100 minutes is 2 whole JP; 44 minutes is none.
    mentoring = Mentoring.objects.create(participant=p, mentor=kota_heads["sd"][1])
    for minutes, day in ((100, 10), (44, 12)):
        MentoringVisit.objects.create(
            mentoring=mentoring, date=datetime.date(2026, 5, day), minutes=minutes, notes="x"
        )
    # Group activities: attended and held count, an On session as 2 JP whatever its length.
    group = GroupFactory()
    member(group, person)
    attended = [
        _activity(group, "pertemuan", datetime.date(2026, 1, 15), 3),
        _activity(group, "in", datetime.date(2026, 2, 1), 4),
        _activity(group, "on", datetime.date(2026, 2, 8), 6),
        _activity(group, "workshop", datetime.date(2025, 12, 20), 5),  # another year
    ]
    skipped = [
        _activity(group, "pertemuan", datetime.date(2026, 4, 1), 2),  # absent
        _activity(group, "pertemuan", datetime.date(2026, 4, 8), 2, status="planned"),
    ]
    for a in attended:
        Attendance.objects.create(activity=a, person=person, status="hadir")
    Attendance.objects.create(activity=skipped[0], person=person, status="absen")
    Attendance.objects.create(activity=skipped[1], person=person, status="hadir")
    # Two On Job Learning days: 08:00-12:00 (4 h = 5 JP) and 08:00-10:00 + 13:00-14:00.
    cohort = Cohort.objects.create(
        name="Kemitraan 2026",
        year=2026,
        ministry="kemendikbud",
        province_id="34",
        event=UkgEvent.objects.create(code="ukg-x", name="UKG", year=2025),
        levels=["sd"],
    )
    tier = Tier.objects.create(cohort=cohort, rank=1, name="Guru Mitra 1", mentees=2)
    partner = Partner.objects.create(
        cohort=cohort,
        tier=tier,
        person=person,
        subject_id="ipa",
        jenjang="sd",
        regency_id="34.71",
        score=80,
    )
    visit = Visit.objects.create(
        cohort=cohort,
        direction=Visit.Direction.OJL,
        host=partner,
        regency_id="34.71",
        start=datetime.date(2026, 6, 1),
        days=3,
    )
    for day, start, end in ((1, 8, 12), (2, 8, 10), (2, 13, 14), (3, 8, 16)):
        RundownItem.objects.create(
            visit=visit,
            day=day,
            starts=datetime.time(start),
            ends=datetime.time(end),
            activity=RundownItem.Activity.WELCOME,
        )
    for day, status in ((1, "hadir"), (2, "hadir"), (3, "absen")):
        VisitAttendance.objects.create(visit=visit, day=day, participant=partner, status=status)
    return person, event


def _independent_count(person, event):
    """The same records, counted straight from the tables."""
    training = event.jp
    mentoring = sum(v.minutes // 45 for v in MentoringVisit.objects.all())
    group = 0
    for a in Attendance.objects.filter(person=person, status="hadir").select_related("activity"):
        if a.activity.status == "held" and a.activity.date.year == 2026:
            group += 2 if a.activity.kind == "on" else a.activity.duration_jp
    visit_minutes = {}
    for item in RundownItem.objects.all():
        visit_minutes.setdefault(item.day, 0)
        visit_minutes[item.day] += (item.ends.hour - item.starts.hour) * 60
    days = VisitAttendance.objects.filter(status="hadir").values_list("day", flat=True)
    partnership = sum(visit_minutes[d] // 45 for d in days)
    return training + mentoring + group + partnership


def test_the_transcript_sums_every_record_of_the_year(records):
    person, event = records
    result = transcript.transcript(person.pk, 2026)
    assert result.total == _independent_count(person, event)
    assert result.total == 32 + 2 + (3 + 4 + 2) + (5 + 4)
    by_kind = {k: jp for k, _label, jp in result.by_kind}
    assert by_kind == {
        "pelatihan": Decimal(32),
        "pendampingan": Decimal(2),
        "kegiatan-kelompok": Decimal(3),
        "in-on-in": Decimal(6),
        "kemitraan": Decimal(9),
    }
    assert transcript.transcript(person.pk, 2025).total == 5


def test_an_incomplete_training_is_not_on_the_transcript(bbgp, event, clock):
    person = head("34.71.01", "sd")
    p = services.nominate(actor=bbgp, event=event, person=person)
    services.event_step(actor=bbgp, event=event, step="start")
    first = event.sessions.first()
    clock.set(first.date.isoformat())
    services.check_in(actor=bbgp, session=first, token=p.checkin_token)
    services.scores_record(actor=bbgp, participant=p, data={"post_score": "95"})
    assert transcript.transcript(person.pk, 2026).total == 0
