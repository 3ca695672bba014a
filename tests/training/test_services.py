"""Events, quotas and nominations, check-in and completion, certificates."""

import datetime
from decimal import Decimal

import pytest

from gugus.core.errors import DomainError, FieldErrors
from gugus.core.models import AuditEntry
from gugus.core.roles import Ministry, Role
from gugus.directory.models import Regency
from gugus.training import certificates, selectors, services
from gugus.training.models import Certificate, CheckIn, Participant, Quota
from tests.factories import PersonFactory, user_with_role
from tests.training.conftest import EVENT, head


def test_event_gets_a_session_per_day_its_venues_and_an_audit_entry(event):
    assert [s.date.day for s in event.sessions.all()] == [19, 20, 21, 22]
    assert [v.name for v in event.venues.all()] == ["Hotel Santika", "Hotel Suites", "Aula BBGP"]
    assert event.office.kind == "bbgp" and event.ministry == Ministry.KEMENDIKBUD
    assert AuditEntry.objects.filter(action="create", target_id=str(event.pk)).exists()


def test_bad_event_input_names_each_field(bbgp):
    with pytest.raises(FieldErrors) as e:
        services.event_create(
            actor=bbgp,
            data={**EVENT, "title": "", "ends_on": "2026-03-01", "positions": ["raja"], "jp": "x"},
        )
    fields = {d["field"] for d in e.value.details}
    assert {"title", "ends_on", "positions", "jp"} <= fields


def test_quota_totals_are_regencies_times_levels_times_seats(event):
    """DIY has 5 kab/kota: 5 × 3 levels × 3 seats = 45 (the seed's 38 × 3 × 3 = 342)."""
    regencies = Regency.objects.filter(province_id="34").count()
    totals = selectors.quota_totals(selectors.quota_fill(event))
    assert regencies == 5
    assert totals.seats == regencies * 3 * 3 == 45
    assert totals.by_level == {"paud_slb": (15, 0), "sd": (15, 0), "sma": (15, 0)}
    assert totals.shortfall == 45 and totals.regencies == 5


def test_quotas_beyond_capacity_are_refused_and_nothing_is_written(bbgp, event):
    with pytest.raises(DomainError) as e:
        services.quotas_set(actor=bbgp, event=event, seats={"paud_slb": 4, "sd": 3, "sma": 3})
    assert e.value.code == "quota_over_capacity"
    assert set(Quota.objects.filter(event=event).values_list("seats", flat=True)) == {3}


def test_an_office_nominates_within_its_quota_only(event, kota, kota_heads):
    for heads in kota_heads.values():
        for person in heads:
            services.nominate(actor=kota, event=event, person=person)
    extra = head("34.71.02", "sd")
    with pytest.raises(DomainError) as e:
        services.nominate(actor=kota, event=event, person=extra)
    assert e.value.code == "quota_full"
    fill = {(r.regency_id, r.level_group): r for r in selectors.quota_fill(event)}
    assert fill[("34.71", "sd")].nominated == 3 and fill[("34.71", "sd")].shortfall == 0
    assert fill[("34.04", "sd")].shortfall == 3


def test_an_office_cannot_nominate_for_another_kabkota(event, kota):
    sleman_head = head("34.04.01", "sd")
    with pytest.raises(DomainError) as e:
        services.nominate(actor=kota, event=event, person=sleman_head)
    assert e.value.code == "not_your_quota"


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda: PersonFactory(school=head("34.71.01", "sd").school, position="guru"), "Kepala"),
        (lambda: head("34.71.01", "smp"), "SMP"),
        (lambda: head("34.71.01", "mi", ministry=Ministry.KEMENAG), "Kemendikbud"),
    ],
    ids=["role", "level", "ministry"],
)
def test_eligibility_by_role_level_and_ministry(event, kota, make, reason, indonesian):
    person = make()
    with pytest.raises(DomainError) as e:
        services.nominate(actor=kota, event=event, person=person)
    assert e.value.code == "not_eligible"
    assert reason in str(e.value.message)
    assert not Participant.objects.filter(person=person).exists()


def test_a_kemenag_office_cannot_nominate_for_a_kemendikbud_event(event):
    kankemenag = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71", ministry=Ministry.KEMENAG)
    with pytest.raises(DomainError):
        services.nominate(actor=kankemenag, event=event, person=head("34.71.01", "sd"))


def test_a_replacement_keeps_the_quota_and_the_record(event, kota, kota_heads):
    for person in kota_heads["sd"]:
        services.nominate(actor=kota, event=event, person=person)
    first = Participant.objects.get(person=kota_heads["sd"][0])
    other = head("34.71.03", "sd")
    new = services.participant_replace(actor=kota, participant=first, person=other, reason="Sakit")
    first.refresh_from_db()
    assert first.status == "replaced" and new.replaces == first
    fill = {(r.regency_id, r.level_group): r.nominated for r in selectors.quota_fill(event)}
    assert fill[("34.71", "sd")] == 3
    with pytest.raises(DomainError):
        services.participant_replace(
            actor=kota, participant=new, person=head("34.71.01", "sma"), reason="x"
        )


def test_late_nominations_are_marked(event, kota, clock):
    clock.set("2026-03-10")
    p = services.nominate(actor=kota, event=event, person=head("34.71.01", "sd"))
    assert p.late
    assert selectors.quota_totals(selectors.quota_fill(event)).late == 1


def _run(bbgp, event, clock, people, days_present, post):
    participants = [services.nominate(actor=bbgp, event=event, person=person) for person in people]
    services.event_step(actor=bbgp, event=event, step="start")
    sessions = list(event.sessions.all())
    for p, days in zip(participants, days_present, strict=True):
        for s in sessions[:days]:
            clock.set(s.date.isoformat())
            services.check_in(actor=bbgp, session=s, token=p.checkin_token)
    for p, score in zip(participants, post, strict=True):
        services.scores_record(
            actor=bbgp, participant=p, data={"pre_score": "50", "post_score": score}
        )
    return participants


def test_completion_needs_attendance_and_the_post_test(bbgp, event, clock, kota_heads):
    people = kota_heads["sd"]
    p = _run(bbgp, event, clock, people, days_present=[4, 3, 2], post=["80", "70", "90"])
    result = selectors.completions(event)
    # 75 % of 4 sessions is 3: 4 and 3 days pass, 2 days do not.
    assert result[p[0].pk].completed and result[p[1].pk].completed
    assert not result[p[2].pk].completed and result[p[2].pk].test_met
    services.scores_record(actor=bbgp, participant=p[1], data={"post_score": "69,99"})
    assert not selectors.completions(event)[p[1].pk].completed


def test_check_in_only_on_the_session_day_and_once(bbgp, event, clock, kota_heads):
    p = services.nominate(actor=bbgp, event=event, person=kota_heads["sd"][0])
    session = event.sessions.first()
    clock.set("2026-03-18")
    with pytest.raises(DomainError):
        services.check_in(actor=bbgp, session=session, token=p.checkin_token)
    clock.set("2026-03-19")
    _c, new = services.check_in(actor=bbgp, session=session, token=p.checkin_token)
    _c, again = services.check_in(actor=bbgp, session=session, token=p.checkin_token)
    assert new and not again and CheckIn.objects.count() == 1
    with pytest.raises(DomainError):
        services.check_in(actor=bbgp, session=session, token="not-a-code")


def test_certificates_are_numbered_without_gaps_and_only_for_completers(
    bbgp, event, clock, kota_heads
):
    people = kota_heads["sd"] + kota_heads["sma"][:1]
    p = _run(bbgp, event, clock, people, days_present=[4, 4, 1, 4], post=["80", "75", "90", "71"])
    numbers = [certificates.issue(actor=bbgp, participant=x).number for x in (p[0], p[1], p[3])]
    assert numbers == ["BBGP-DIY/2026/00001", "BBGP-DIY/2026/00002", "BBGP-DIY/2026/00003"]
    with pytest.raises(DomainError) as e:
        certificates.issue(actor=bbgp, participant=p[2])
    assert e.value.code == "not_completed"
    # Issuing again gives the same certificate, not a new number.
    assert certificates.issue(actor=bbgp, participant=p[0]).number == numbers[0]
    assert AuditEntry.objects.filter(action="certificate_issue").count() == 3


def test_revocation_keeps_the_number_and_shows_on_verification(bbgp, event, clock, kota_heads):
    (p,) = _run(bbgp, event, clock, kota_heads["sd"][:1], days_present=[4], post=["88"])
    cert = certificates.issue(actor=bbgp, participant=p)
    assert selectors.verify(cert.token).genuine and not selectors.verify(cert.token).revoked
    with pytest.raises(DomainError):
        certificates.revoke(actor=bbgp, certificate=cert, reason=" ")
    certificates.revoke(actor=bbgp, certificate=cert, reason="Data peserta keliru")
    result = selectors.verify(cert.token)
    assert result.genuine and result.revoked and result.revoked_reason == "Data peserta keliru"
    assert Certificate.objects.filter(number=cert.number).exists()
    assert not selectors.verify("forged-token").genuine


def test_the_kab_office_cannot_issue_or_revoke(bbgp, kota, event, clock, kota_heads):
    (p,) = _run(bbgp, event, clock, kota_heads["sd"][:1], days_present=[4], post=["88"])
    with pytest.raises(Exception):  # noqa: B017 (the scoping layer's refusal)
        certificates.issue(actor=kota, participant=p)
    cert = certificates.issue(actor=bbgp, participant=p)
    with pytest.raises(Exception):  # noqa: B017
        certificates.revoke(actor=kota, certificate=cert, reason="x")


def test_the_batch_issues_every_owed_certificate_once(bbgp, event, clock, kota_heads, settings):
    people = kota_heads["sd"]
    _run(bbgp, event, clock, people, days_present=[4, 4, 1], post=["80", "75", "90"])
    event = services.event_step(actor=bbgp, event=event, step="close")
    batch = certificates.batch_request(actor=bbgp, event=event)
    batch = certificates.batch_run(batch)
    assert (batch.status, batch.total, batch.done) == ("done", 2, 2)
    again = certificates.batch_run(certificates.batch_request(actor=bbgp, event=event))
    assert again.total == 0 and Certificate.objects.count() == 2
    assert all(c.file.name.endswith(".pdf") for c in Certificate.objects.all())


def test_scores_are_audited(bbgp, event, kota_heads):
    p = services.nominate(actor=bbgp, event=event, person=kota_heads["sd"][0])
    services.scores_record(actor=bbgp, participant=p, data={"post_score": "81.5"})
    entry = AuditEntry.objects.get(action="scores")
    assert entry.changes == {"post_score": [None, "81.50"]}
    p.refresh_from_db()
    assert p.post_score == Decimal("81.5")


def test_cascade_counts_reach_over_schools_of_the_level(bbgp, event, clock, kota_heads):
    (p,) = _run(bbgp, event, clock, kota_heads["sd"][:1], days_present=[4], post=["88"])
    others = [head("34.71.02", "sd").school for _ in range(4)]
    clock.set("2026-04-10")
    user = user_with_role(Role.KEPALA_SEKOLAH, person=p.person, school=p.school)
    services.cascade_record(
        actor=user,
        participant=p,
        data={
            "date": "2026-04-08",
            "title": "Imbas",
            "schools": [s.npsn for s in others[:2]],
            "teachers": "14",
        },
    )
    services.cascade_record(
        actor=user,
        participant=p,
        data={
            "date": "2026-04-09",
            "title": "Imbas 2",
            "schools": [others[1].npsn, others[2].npsn],
            "teachers": "6",
        },
    )
    with pytest.raises(FieldErrors):
        services.cascade_record(
            actor=user,
            participant=p,
            data={"date": "2026-04-09", "title": "x", "schools": [p.school.npsn], "teachers": "1"},
        )
    (reach,) = selectors.cascade_reach(event)
    # Three distinct schools reached of the SD schools in Kota Yogyakarta (the 9 heads'
    # three SD schools, and the four others).
    assert (reach.schools, reach.teachers, reach.activities) == (3, 20, 2)
    assert reach.schools_of_level == 3 + 4
    assert reach.share == round(100 * 3 / 7, 1)


def test_mentor_visits_need_the_mentor(bbgp, event, clock, kota_heads):
    (p,) = _run(bbgp, event, clock, kota_heads["sd"][:1], days_present=[4], post=["88"])
    mentor_person = PersonFactory(
        position="widyaiswara",
        school=None,
        regency=Regency.objects.get(pk="34.71"),
        province=Regency.objects.get(pk="34.71").province,
    )
    mentor = user_with_role(Role.NARASUMBER, person=mentor_person, province_id="34")
    mentoring = services.mentor_assign(actor=bbgp, participant=p, mentor=mentor_person)
    clock.set("2026-05-20")
    visit = services.mentoring_visit_record(
        actor=mentor,
        mentoring=mentoring,
        data={
            "date": "2026-05-20",
            "minutes": "120",
            "notes": "Rapat perencanaan kinerja",
            "applied": "RHK guru disusun bersama",
        },
    )
    assert visit.applied.startswith("RHK")
    with pytest.raises(FieldErrors):
        services.mentoring_visit_record(
            actor=mentor,
            mentoring=mentoring,
            data={"date": "2026-06-01", "minutes": "60", "notes": "masa depan"},
        )
    outsider = user_with_role(Role.NARASUMBER, person=PersonFactory(), province_id="34")
    with pytest.raises(Exception):  # noqa: B017
        services.mentoring_visit_record(
            actor=outsider,
            mentoring=mentoring,
            data={"date": "2026-05-20", "minutes": "60", "notes": "x"},
        )


def test_evaluation_is_the_participants_own_and_once(bbgp, event, clock, kota_heads):
    p = services.nominate(actor=bbgp, event=event, person=kota_heads["sd"][0])
    user = user_with_role(Role.KEPALA_SEKOLAH, person=p.person, school=p.school)
    marks = {"content": "5", "facilitators": "4", "organisation": "4", "usefulness": "5"}
    with pytest.raises(DomainError):
        services.evaluation_submit(actor=user, participant=p, data=marks)
    clock.set("2026-03-22")
    services.evaluation_submit(actor=user, participant=p, data={**marks, "comment": "Bagus"})
    with pytest.raises(DomainError):
        services.evaluation_submit(actor=user, participant=p, data=marks)
    summary = selectors.evaluation_summary(event)
    assert summary["n"] == 1 and summary["content"] == 5 and summary["comments"] == ["Bagus"]


def test_event_dates_move_their_sessions(bbgp, event):
    moved = services.event_update(
        actor=bbgp, event=event, data={"ends_on": datetime.date(2026, 3, 20)}, version=1
    )
    assert [s.date.day for s in moved.sessions.all()] == [19, 20]
    with pytest.raises(DomainError) as e:
        services.event_update(actor=bbgp, event=moved, data={"jp": "30"}, version=1)
    assert e.value.status == 409
    assert e.value.details[0] | {"message": ""} == {
        "field": "jp",
        "saved": 32,
        "yours": 30,
        "message": "",
    }


def test_the_nominee_confirms_and_a_check_in_confirms_too(bbgp, event, clock, kota_heads):
    first, second = (
        services.nominate(actor=bbgp, event=event, person=p) for p in kota_heads["sd"][:2]
    )
    user = user_with_role(Role.KEPALA_SEKOLAH, person=first.person, school=first.school)
    services.participant_register(actor=user, participant=first)
    with pytest.raises(Exception):  # noqa: B017 (someone else's nomination)
        services.participant_register(actor=user, participant=second)
    session = event.sessions.first()
    clock.set(session.date.isoformat())
    services.check_in(actor=bbgp, session=session, token=second.checkin_token)
    assert selectors.overview(event)["registered"] == 2


def test_a_mentoring_round_follows_a_training_its_organiser_runs(bbgp, kota, event):
    follow_up = services.event_create(
        actor=bbgp,
        data={
            **EVENT,
            "kind": "pendampingan",
            "starts_on": "2026-05-11",
            "ends_on": "2026-05-29",
            "nominations_close": "",
            "follows": str(event.pk),
        },
    )
    assert follow_up.follows == event and list(event.follow_ups.all()) == [follow_up]
    with pytest.raises(DomainError):
        services.event_create(
            actor=kota,
            data={**EVENT, "regency": "34.71", "province": "", "follows": str(event.pk)},
        )
