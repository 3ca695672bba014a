"""What Gugus already knows counts as evidence; the assessor is warned past a quota; the
semester record comes out as PDF, read back."""

import datetime
import subprocess

import pytest

from gugus.communities.models import Activity, Attendance
from gugus.performance import documents, selectors, services
from tests.factories import GroupFactory, member
from tests.performance.conftest import agreed_plan
from tests.performance.test_services import run_cycle

pytestmark = pytest.mark.usefixtures("indonesian")


def test_group_activities_attended_and_led_are_offered_as_evidence(people):
    plan = agreed_plan(people)
    group = GroupFactory()
    member(group, people["guru"])
    attended = Activity.objects.create(
        group=group,
        kind="in",
        topic="Asesmen formatif",
        date=datetime.date(2026, 2, 3),
        status="held",
    )
    Attendance.objects.create(activity=attended, person=people["guru"], status="hadir")
    led = Activity.objects.create(
        group=group, kind="pertemuan", topic="Berbagi LKPD", date=datetime.date(2026, 3, 3)
    )
    led.facilitators.add(people["guru"])
    earlier = Activity.objects.create(
        group=group,
        kind="in",
        topic="Semester lalu",
        date=datetime.date(2025, 11, 3),
        status="held",
    )
    Attendance.objects.create(activity=earlier, person=people["guru"], status="hadir")
    found = selectors.evidence_for(plan)
    assert [(e.item, e.reference) for e in found] == [
        ("in-on-in", f"activity:{attended.pk}"),
        ("narasumber", f"activity:{led.pk}"),
    ]
    assert "2 JP" in found[0].label


def test_the_assessor_is_warned_past_the_quota_of_baik(people, settings):
    settings.GUGUS_PREDIKAT_QUOTA = {"baik": 70}
    plan = agreed_plan(people)
    assert selectors.quota_warning(plan) == (
        "Memberi rencana ini predikat Baik membuat 1 dari 1 rencana sekolah yang dinilai "
        "berpredikat Baik (100%), di atas kuota 70%."
    )
    settings.GUGUS_PREDIKAT_QUOTA = {}
    assert selectors.quota_warning(plan) is None


def test_the_semester_record_is_a_pdf_of_the_records(people, tmp_path):
    plan = agreed_plan(people)
    run_cycle(people, plan)
    people["clock"].set("2026-06-20")
    plan = services.plan_assess(
        actor=people["head_user"], plan=plan, work_results="di_atas", work_behaviour="sesuai"
    )
    document = documents.record_document(plan)
    path = tmp_path / "rekam.pdf"
    path.write_bytes(document.body)
    text = subprocess.run(
        ["pdftotext", "-layout", path, "-"], check=True, capture_output=True, text=True
    ).stdout
    for expected in (
        "Rekam Kinerja Semester",
        people["guru"].name,
        "Diskusi persiapan",
        "Refleksi tindak lanjut",
        "Memberikan umpan balik konstruktif",
        "Predikat: Baik",
    ):
        assert expected in text, expected
