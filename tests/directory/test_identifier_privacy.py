"""Masked NUPTK/NIP stay masked: no prefix walk, masks without birth date or gender, the
attendance register masked for members, and every download of personal data logged."""

import io

import pytest
from openpyxl import load_workbook

from gugus.communities.models import Activity, Attendance
from gugus.core.roles import Role
from gugus.directory.models import PersonAccessLog
from gugus.directory.selectors import mask
from tests.factories import GroupFactory, PersonFactory, member, user_with_role

NIP = "198703152010012004"  # born 15-03-1987, appointed 01-2010, female (digit 15 = 2)


@pytest.fixture
def secret(yogya_school):
    return PersonFactory(school=yogya_school, nuptk="3271045678901234", nip=NIP)


@pytest.fixture
def head(yogya_school):
    return user_with_role(Role.KEPALA_SEKOLAH, school=yogya_school)


def search(client, q):
    return [p["id"] for p in client.get("/api/v1/people", {"q": q}).json()["items"]]


def test_a_masking_role_cannot_walk_prefixes(client, head, secret):
    client.force_login(head)
    assert search(client, "3271") == []  # the walk's first step finds nothing
    assert search(client, "32710") == []
    assert search(client, "198703") == []  # nor a birth date typed into the NIP
    assert search(client, secret.nuptk) == [secret.pk]  # the whole identifier does
    page = client.get("/ptk/", {"q": "32710"}).content.decode()
    assert secret.name not in page


def test_an_office_keeps_prefix_search_over_its_own_records(client, secret):
    office = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")
    client.force_login(office)
    assert search(client, "32710") == [secret.pk]


def test_masks_hide_birth_date_appointment_and_gender(client, head, secret):
    assert mask(NIP) == "•" * 15 + "004"
    client.force_login(head)
    shown = client.get(f"/api/v1/people/{secret.pk}").json()
    assert shown["nip"] == "•" * 15 + "004" and "1987" not in shown["nip"]
    assert shown["nuptk"] == "•" * 13 + "234"


def test_the_attendance_register_is_masked_for_members_and_logged(client, secret):
    group = GroupFactory()
    member(group, secret)
    colleague = PersonFactory(school=secret.school)
    member(group, colleague)
    activity = Activity.objects.create(
        group=group, kind="in", topic="Asesmen", date="2025-03-01", status="held"
    )
    Attendance.objects.create(activity=activity, person=secret, status="hadir")
    reader = user_with_role(Role.GURU, school=colleague.school, person=colleague)
    client.force_login(reader)
    response = client.get(f"/kelompok/{group.pk}/kehadiran.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    nuptks = {r[0]: r[1] for r in rows[1:]}
    assert nuptks[secret.name] == "•" * 13 + "234"
    assert nuptks[colleague.name] == colleague.nuptk  # their own
    log = PersonAccessLog.objects.get()
    assert (log.user, log.what, log.rows, log.filters) == (
        reader,
        "attendance_xlsx",
        2,
        {"group": group.pk},
    )
    office = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")
    client.force_login(office)
    rows = list(
        load_workbook(
            io.BytesIO(client.get(f"/kelompok/{group.pk}/kehadiran.xlsx").content)
        ).active.values
    )
    assert {r[0]: r[1] for r in rows[1:]}[secret.name] == secret.nuptk
    assert PersonAccessLog.objects.count() == 2
