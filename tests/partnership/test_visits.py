"""On Job Learning: the visits planned from the pairs, their standard rundown edited by the
host, attendance taken day by day, observation notes, the partners' action plans in their
time, and the visit report and rundown as documents."""

import datetime
import io
import itertools
import subprocess

import pytest
from openpyxl import load_workbook

from gugus.core.access import visible
from gugus.core.errors import DomainError, FieldErrors, Forbidden, NotFound
from gugus.core.models import AuditEntry
from gugus.partnership import documents, services
from gugus.partnership.models import Cohort, Pair, RundownItem, Visit, VisitAttendance
from gugus.partnership.rundown import template_for
from tests.factories import UserFactory
from tests.partnership.conftest import TIERS

pytestmark = pytest.mark.usefixtures("indonesian")

OJL_START = datetime.date(2026, 2, 2)
RETURN_START = datetime.date(2026, 3, 2)
EVERY_ACTIVITY = {a.value for a in RundownItem.Activity}


def matched_cohort(world, **changes):
    cohort = services.cohort_create(
        actor=world["office"],
        data={
            "name": "Kemitraan IPA SMP 2026",
            "year": "2026",
            "province": "34",
            "event": "ukg-2015",
            "subjects": ["ipa"],
            "levels": ["smp"],
            "host_regions": "34.71",
            "partner_regions": "34.03, 33",
            "ojl_start": OJL_START,
            "ojl_days": "7",
            **changes,
        },
        tiers=TIERS,
    )
    services.cohort_select(actor=world["office"], cohort=cohort)
    services.cohort_match(actor=world["office"], cohort=cohort)
    return cohort


@pytest.fixture
def planned(world, clock):
    clock.set("2026-01-20")
    cohort = matched_cohort(world)
    services.visits_plan(actor=world["office"], cohort=cohort, return_start=RETURN_START)
    ojl = Visit.objects.filter(cohort=cohort, direction="ojl").select_related("host").first()
    host = UserFactory(person=ojl.host.person)
    pair = Pair.objects.filter(host=ojl.host).select_related("partner__person").first()
    partner = UserFactory(person=pair.partner.person)
    return {"cohort": cohort, "ojl": ojl, "host": host, "pair": pair, "partner": partner}


def test_visits_follow_the_pairs_with_the_standard_rundown(world, clock):
    clock.set("2026-01-20")
    cohort = matched_cohort(world)
    pairs = Pair.objects.filter(cohort=cohort)
    hosts = set(pairs.values_list("host_id", flat=True))
    n = services.visits_plan(actor=world["office"], cohort=cohort, return_start=RETURN_START)
    assert n == len(hosts) + pairs.count()
    ojl = Visit.objects.filter(cohort=cohort, direction="ojl")
    assert set(ojl.values_list("host_id", flat=True)) == hosts
    for visit in ojl.select_related("host"):
        assert (visit.start, visit.end) == (OJL_START, datetime.date(2026, 2, 8))
        assert visit.school_id == visit.host.school_id
        assert {i.activity for i in visit.rundown.all()} == EVERY_ACTIVITY
        assert sorted({i.day for i in visit.rundown.all()}) == list(range(1, 8))
        first, last = visit.rundown.order_by("day", "starts")[:: visit.rundown.count() - 1]
        assert (first.activity, last.activity) == ("penyambutan", "penutupan")
    returns = Visit.objects.filter(cohort=cohort, direction="return").select_related("partner")
    assert {(v.host_id, v.partner_id) for v in returns} == set(
        pairs.values_list("host_id", "partner_id")
    )
    assert all(v.school_id == v.partner.school_id and v.days == 2 for v in returns)
    by_host = {}
    for v in returns.order_by("start"):
        by_host.setdefault(v.host_id, []).append(v)
    assert any(len(vs) > 1 for vs in by_host.values())
    for vs in by_host.values():  # one school at a time, back to back from the given day
        assert vs[0].start == RETURN_START
        assert all(b.start == a.end + datetime.timedelta(days=1) for a, b in itertools.pairwise(vs))
    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.RUNNING
    assert AuditEntry.objects.filter(action="plan_visits").exists()
    with pytest.raises(DomainError) as refused:
        services.cohort_match(actor=world["office"], cohort=cohort)
    assert refused.value.code == "cohort_running"


def test_visits_are_planned_only_for_a_matched_cohort_with_its_dates(world, clock):
    clock.set("2026-01-20")
    cohort = matched_cohort(world, ojl_start="")
    with pytest.raises(FieldErrors) as refused:
        services.visits_plan(actor=world["office"], cohort=cohort, return_start="2026-02-05")
    assert [d["field"] for d in refused.value.details] == ["ojl_start"]
    Cohort.objects.filter(pk=cohort.pk).update(ojl_start=OJL_START)
    cohort.refresh_from_db()
    with pytest.raises(FieldErrors) as refused:
        services.visits_plan(actor=world["office"], cohort=cohort, return_start="2026-02-08")
    assert refused.value.details == [
        {
            "field": "return_start",
            "message": "Kunjungan balik dimulai setelah On Job Learning selesai (08-02-2026).",
        }
    ]
    assert not Visit.objects.exists()
    draft = services.cohort_create(
        actor=world["office"],
        data={
            "name": "Draf",
            "year": "2026",
            "province": "34",
            "event": "ukg-2015",
            "subjects": ["ipa"],
            "levels": ["smp"],
        },
        tiers=TIERS,
    )
    with pytest.raises(DomainError) as refused:
        services.visits_plan(actor=world["office"], cohort=draft, return_start=RETURN_START)
    assert refused.value.code == "cohort_not_matched"


@pytest.mark.parametrize("direction", ["ojl", "return"])
@pytest.mark.parametrize("days", [1, 2, 3, 5, 7, 8, 14, 30])
def test_the_template_fits_any_length_in_order_within_the_school_day(direction, days):
    sessions = template_for(direction, days)
    assert sorted({s.day for s in sessions}) == list(range(1, days + 1))
    assert sessions[0].activity == "penyambutan" and sessions[-1].activity == "penutupan"
    if direction == "ojl":
        assert {s.activity for s in sessions} == EVERY_ACTIVITY
    for before, after in itertools.pairwise(sessions):
        if before.day == after.day:
            assert before.ends == after.starts
    assert all(datetime.time(8) <= s.starts < s.ends <= datetime.time(17) for s in sessions), (
        sessions
    )


def test_the_host_edits_the_rundown_and_a_partner_cannot(planned):
    visit, host, partner = planned["ojl"], planned["host"], planned["partner"]
    item = services.rundown_item_save(
        actor=host,
        visit=visit,
        data={
            "day": "3",
            "starts": "13:00",
            "ends": "14:30",
            "activity": "workshop",
            "detail": "Membuat LKPD",
            "place": "Lab IPA",
        },
    )
    assert (item.day, item.get_activity_display()) == (3, "Lokakarya")
    with pytest.raises(FieldErrors) as refused:
        services.rundown_item_save(
            actor=host,
            visit=visit,
            data={"day": "9", "starts": "10:00", "ends": "09:00", "activity": "rapat"},
        )
    assert {d["field"] for d in refused.value.details} == {"day", "ends", "activity"}
    assert "Pilih hari 1 sampai 7." in [d["message"] for d in refused.value.details]
    with pytest.raises(Forbidden):
        services.rundown_item_save(
            actor=partner,
            visit=visit,
            data={"day": "1", "starts": "08:00", "ends": "09:00", "activity": "workshop"},
        )
    with pytest.raises(Forbidden):
        services.rundown_item_delete(actor=partner, item=item)
    services.rundown_item_delete(actor=host, item=item)
    assert not RundownItem.objects.filter(pk=item.pk).exists()


def test_attendance_is_taken_day_by_day_never_ahead(planned, clock):
    visit, host, partner = planned["ojl"], planned["host"], planned["partner"]
    members = [visit.host_id, planned["pair"].partner_id]
    with pytest.raises(DomainError) as refused:
        services.visit_attendance_record(
            actor=host, visit=visit, day=1, statuses={members[0]: "hadir"}
        )
    assert refused.value.message == "Kehadiran hari 1 diambil mulai 02-02-2026."
    clock.set("2026-02-03")
    assert (
        services.visit_attendance_record(
            actor=host, visit=visit, day="2", statuses={members[0]: "hadir", members[1]: "izin"}
        )
        == 2
    )
    services.visit_attendance_record(actor=host, visit=visit, day=2, statuses={members[1]: "hadir"})
    assert dict(
        VisitAttendance.objects.filter(visit=visit, day=2).values_list("participant_id", "status")
    ) == {members[0]: "hadir", members[1]: "hadir"}
    with pytest.raises(FieldErrors) as refused:
        services.visit_attendance_record(
            actor=host, visit=visit, day=2, statuses={world_outsider(planned): "hadir"}
        )
    assert refused.value.details[0]["field"] == "statuses"
    with pytest.raises(Forbidden):
        services.visit_attendance_record(
            actor=partner, visit=visit, day=2, statuses={members[1]: "hadir"}
        )


def world_outsider(planned):
    """A participant of the cohort who is not in this visit."""
    members = {planned["ojl"].host_id} | set(
        Pair.objects.filter(host=planned["ojl"].host).values_list("partner_id", flat=True)
    )
    return planned["cohort"].participants.exclude(pk__in=members).first().pk


def test_the_visit_s_teachers_write_observation_notes(planned, world):
    visit, partner = planned["ojl"], planned["partner"]
    note = services.observation_add(
        actor=partner,
        visit=visit,
        day="3",
        observed=visit.host_id,
        text="Guru memakai pertanyaan pemantik; siswa berdiskusi dalam kelompok.",
    )
    assert note.observed_id == visit.host_id and note.author == partner
    with pytest.raises(FieldErrors) as refused:
        services.observation_add(actor=partner, visit=visit, day="3", observed="", text="")
    assert {d["field"] for d in refused.value.details} == {"observed", "text"}
    stranger = UserFactory(person=world["middling"])
    with pytest.raises(NotFound):
        services.observation_add(
            actor=stranger, visit=visit, day="1", observed=visit.host_id, text="x"
        )


def test_a_partner_sees_their_host_s_week_and_their_own_return_visit_only(planned):
    seen = visible(planned["partner"], Visit).filter(cohort=planned["cohort"])
    assert {(v.direction, v.host_id, v.partner_id) for v in seen} == {
        ("ojl", planned["ojl"].host_id, None),
        ("return", planned["ojl"].host_id, planned["pair"].partner_id),
    }


def test_the_action_plan_is_written_after_ojl_and_reported_after_the_return_visit(planned, clock):
    partner, pair, host = planned["partner"], planned["pair"], planned["host"]
    data = {
        "goal": "Siswa merancang percobaan sendiri",
        "steps": "1. LKPD inkuiri\n2. Observasi teman sejawat",
        "indicator": "80% kelompok menyusun hipotesis",
        "due": "2026-04-30",
    }
    with pytest.raises(DomainError) as refused:
        services.action_plan_save(actor=partner, participant=pair.partner, data=data)
    assert refused.value.message == (
        "Rencana aksi ditulis pada akhir On Job Learning, mulai 08-02-2026."
    )
    clock.set("2026-02-08")
    with pytest.raises(FieldErrors) as refused:
        services.action_plan_save(actor=partner, participant=pair.partner, data={"goal": "x"})
    assert {d["field"] for d in refused.value.details} == {"steps", "indicator"}
    with pytest.raises(Forbidden):
        services.action_plan_save(actor=host, participant=pair.partner, data=data)
    plan = services.action_plan_save(actor=partner, participant=pair.partner, data=data)
    assert plan.due == datetime.date(2026, 4, 30)
    with pytest.raises(DomainError) as refused:
        services.action_plan_report(actor=partner, plan=plan, report="Berjalan.")
    assert refused.value.code == "too_early"
    clock.set("2026-03-03")
    plan = services.action_plan_report(
        actor=partner, plan=plan, report="Tiga kelas mencoba; hipotesis siswa makin tajam."
    )
    assert plan.reported_at is not None
    with pytest.raises(DomainError) as refused:
        services.action_plan_save(actor=partner, participant=pair.partner, data=data)
    assert refused.value.code == "reported"
    assert AuditEntry.objects.filter(target_type="partnership.actionplan").count() == 2
    with pytest.raises(DomainError) as refused:
        services.action_plan_save(actor=host, participant=pair.host, data=data)
    assert refused.value.code in {"not_partner", "forbidden"}


def test_the_visit_report_and_rundown_come_from_the_records(planned, clock, tmp_path):
    visit, host, partner = planned["ojl"], planned["host"], planned["partner"]
    clock.set("2026-02-02")
    services.visit_attendance_record(
        actor=host, visit=visit, day=1, statuses={planned["pair"].partner_id: "hadir"}
    )
    services.observation_add(
        actor=host,
        visit=visit,
        day=1,
        observed=planned["pair"].partner_id,
        text="Apersepsi singkat dan jelas.",
    )
    visit = services.visit_update(
        actor=host, visit=visit, data={"summary": "Kunjungan berjalan baik."}
    )
    pdf = documents.visit_document(host, visit, "pdf")
    assert pdf.content_type == "application/pdf" and pdf.filename.endswith(".pdf")
    path = tmp_path / "laporan.pdf"
    path.write_bytes(pdf.body)
    text = subprocess.run(
        ["pdftotext", "-layout", path, "-"], check=True, capture_output=True, text=True
    ).stdout
    for expected in (
        "Laporan Kunjungan On Job Learning",
        planned["cohort"].name,
        visit.host.person.name,
        planned["pair"].partner.person.name,
        "Penyambutan",
        "Penutupan",
        "Apersepsi singkat dan jelas.",
        "Kunjungan berjalan baik.",
        "Hadir",
    ):
        assert expected in text, expected
    xlsx = documents.visit_document(partner, visit, "xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.body)).active.values)
    header = rows.index(("Hari", "Tanggal", "Dari", "Sampai", "Kegiatan", "Rincian", "Lokasi"))
    body = rows[header + 1 :]
    assert body[0][:5] == (1, datetime.datetime(2026, 2, 2), "08:00", "09:00", "Penyambutan")
    assert len(body) == visit.rundown.count()
    with pytest.raises(NotFound):
        documents.visit_document(host, visit, "docx")
