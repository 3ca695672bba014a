"""The home page tells each person what to do next, with counts, and links to the page
where each thing is done; nothing outside their scope, and the same few queries however
much is waiting."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gugus.communities.models import Activity, Officer
from gugus.core import pagination
from gugus.core.roles import Role
from gugus.directory.models import CorrectionRequest, Regency
from gugus.performance import services as performance_services
from gugus.performance.models import Plan
from tests.factories import GroupFactory, PersonFactory, member, user_with_role
from tests.performance.conftest import agreed_plan, build_people

pytestmark = pytest.mark.usefixtures("indonesian")


def _tasks(client) -> dict[str, tuple[int, str]]:
    """label → (count, link) of each item on the home page."""
    html = client.get("/").content.decode()
    block = re.search(r'<section class="card" id="tasks">(.*?)</section>', html, re.S).group(1)
    found = {}
    for url, count, label in re.findall(
        r'<li data-count="\d+"><a href="([^"]+)"><b class="count">([\d.]+)</b> ([^<]+)</a>', block
    ):
        found[label.strip()] = (int(count.replace(".", "")), url)
    return found


@pytest.fixture
def today(clock):
    clock.set("2026-03-10")
    return datetime.date(2026, 3, 10)


def test_a_chair_is_told_of_activities_to_record_and_attendance_to_take(
    client, yogya_school, today
):
    chair = PersonFactory(school=yogya_school)
    group = GroupFactory()
    member(group, chair)
    Officer.objects.create(group=group, person=chair, position="ketua", started_on="2025-01-01")
    past = Activity.objects.create(group=group, kind="pertemuan", topic="Rapat", date="2026-03-01")
    held = Activity.objects.create(
        group=group, kind="in", topic="In 1", date="2026-02-01", status="held"
    )
    Activity.objects.create(group=group, kind="on", topic="On 1", date="2026-04-01")  # ahead
    client.force_login(user_with_role(Role.GURU, school=yogya_school, person=chair))
    tasks = _tasks(client)
    assert tasks["Kegiatan yang sudah lewat tanggalnya, belum dicatat terlaksana"] == (
        1,
        f"/kegiatan/{past.pk}/",
    )
    assert tasks["Kegiatan terlaksana tanpa daftar hadir"] == (1, f"/kegiatan/{held.pk}/")


def test_an_office_sees_its_queue_and_not_the_neighbours(
    client, yogya_school, sleman_school, today
):
    GroupFactory.create_batch(3, status="submitted")
    GroupFactory(status="submitted", regency_id="34.04")
    teacher = PersonFactory(school=yogya_school)
    requester = user_with_role(Role.GURU, school=yogya_school, person=teacher)
    CorrectionRequest.objects.create(
        person=teacher, requested_by=requester, changes={"name": "X"}, reason="Salah ketik"
    )
    office = user_with_role(Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.71"))
    client.force_login(office)
    tasks = _tasks(client)
    assert tasks["Kelompok menunggu verifikasi"] == (3, "/kelompok/?status=submitted")
    assert tasks["Permintaan perbaikan data menunggu"] == (1, "/koreksi/")
    # The list behind the count holds the same three.
    listed = client.get("/kelompok/?status=submitted").content.decode()
    assert "1\u20133 dari 3" in listed

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get("/")
        return len(captured)

    before = queries()
    GroupFactory.create_batch(20, status="submitted")
    assert queries() == before
    assert _tasks(client)["Kelompok menunggu verifikasi"][0] == 23


def test_a_teacher_is_asked_for_the_plan_and_a_head_to_agree_it(client, yogya_school, today):
    teacher = PersonFactory(school=yogya_school)
    client.force_login(user_with_role(Role.GURU, school=yogya_school, person=teacher))
    assert _tasks(client)["Susun rencana kinerja semester ini"] == (1, "/kinerja/")

    plan = Plan.objects.create(
        period=performance_services.period_for(),
        person=teacher,
        role="guru",
        school=yogya_school,
        province_id="34",
        regency_id="34.71",
        ministry="kemendikbud",
        status="submitted",
    )
    head = PersonFactory(school=yogya_school, position="kepala")
    client.force_login(user_with_role(Role.KEPALA_SEKOLAH, school=yogya_school, person=head))
    assert _tasks(client)["Rencana kinerja menunggu persetujuan Anda"] == (
        1,
        f"/kinerja/{plan.pk}/",
    )


def test_someone_with_nothing_waiting_is_told_so(client, yogya_school, today):
    regency = Regency.objects.get(code="34.71")
    supervisor = PersonFactory(
        school=None, position="pengawas", regency=regency, province=regency.province
    )
    client.force_login(user_with_role(Role.PENGAWAS, regency=regency, person=supervisor))
    html = client.get("/").content.decode()
    assert "Tidak ada yang menunggu Anda." in html


def test_the_scope_counts_stop_at_the_lists_cap(client, monkeypatch, yogya_school):
    """A national office's scope holds millions: the home page counts as the lists do."""
    PersonFactory.create_batch(3, school=yogya_school)
    client.force_login(user_with_role(Role.ADMIN_PUSAT))
    html = client.get("/").content.decode()
    assert "<b>3</b>PTK dalam cakupan Anda" in html.replace("\n", "")

    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    html = client.get("/").content.decode()
    assert "<b>2+</b>PTK dalam cakupan Anda" in html.replace("\n", "")
    assert "<b>1</b>sekolah dalam cakupan Anda" in html.replace("\n", "")


def test_every_roles_home_page_costs_the_same_however_much_waits(client, db, clock):
    """A teacher, a head, a pengawas, a ketua and an office: each home page is measured,
    then again after plans, groups, members and activities multiplied."""
    people = build_people(clock)
    school = people["school"]
    group = GroupFactory()
    chair = PersonFactory(school=school)
    member(group, chair)
    Officer.objects.create(group=group, person=chair, position="ketua", started_on="2025-01-01")
    ketua = user_with_role(Role.KETUA_KELOMPOK, person=chair, group=group)
    users = [
        people["teacher_user"],
        people["head_user"],
        people["pengawas"],
        people["office"],
        ketua,
    ]
    agreed_plan(people)

    def queries(user):
        client.force_login(user)
        client.get("/")  # warm the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    before = {user.username: queries(user) for user in users}
    for n in range(5):
        teacher_n = PersonFactory(school=school)
        member(group, teacher_n)
        Activity.objects.create(
            group=group,
            kind="pertemuan",
            topic=f"Pertemuan {n}",
            place="SD",
            date=datetime.date(2026, 2, 1 + n),
            status="planned",
        )
        plan_user = user_with_role(Role.GURU, person=teacher_n, school=school)
        agreed_plan({**people, "guru": teacher_n, "teacher_user": plan_user})
        GroupFactory(status="submitted")
    after = {user.username: queries(user) for user in users}
    assert {u: (before[u], after[u]) for u in before if after[u] > before[u]} == {}
