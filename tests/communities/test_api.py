"""The working-group API: a group registered from draft to active, members, an activity
and its attendance, through /api/v1 alone."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from gugus.accounts.services import api_token_create
from gugus.communities.models import Activity, Attendance, Membership
from tests.factories import GroupFactory, SchoolFactory, teacher


def test_group_lifecycle_over_the_api(client, office, clock):
    _token, key = api_token_create(user=office, name="skrip")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}", "content_type": "application/json"}
    group = client.post(
        "/api/v1/groups",
        {"kind": "kkg", "name": "KKG SD Gugus 7", "jenjang": "sd", "regency_code": "34.71"},
        **auth,
    )
    assert group.status_code == 201, group.json()
    gid = group.json()["id"]
    school = SchoolFactory()
    people = [teacher(school) for _i in range(3)]
    wrong = teacher(SchoolFactory(jenjang="smp"), subject="ipa")
    for p in people:
        assert (
            client.post(f"/api/v1/groups/{gid}/members", {"person_id": p.pk}, **auth).status_code
            == 201
        )
    refused = client.post(
        f"/api/v1/groups/{gid}/members", {"person_id": wrong.pk}, HTTP_ACCEPT_LANGUAGE="id", **auth
    )
    assert refused.status_code == 400 and refused.json()["code"] == "not_eligible"
    assert len(refused.json()["details"]) == 2
    activity = client.post(
        f"/api/v1/groups/{gid}/activities",
        {
            "kind": "in",
            "topic": "Asesmen diagnostik",
            "date": str(clock.today),
            "place": "SD Negeri 1",
            "facilitator_ids": [people[0].pk],
        },
        **auth,
    )
    assert activity.status_code == 201, activity.json()
    aid = activity.json()["id"]
    marks = {str(p.pk): "hadir" for p in people}
    recorded = client.patch(f"/api/v1/activities/{aid}/attendance", {"attendance": marks}, **auth)
    assert recorded.status_code == 200, recorded.json()
    assert client.get(f"/api/v1/activities/{aid}", **auth).json()["status"] == "held"
    snapshots = client.get(f"/api/v1/groups/{gid}/activeness", **auth).json()["items"]
    assert len(snapshots) == 12 and snapshots[-1]["score"] > 0
    listed = client.get("/api/v1/groups?kind=kkg", **auth).json()
    assert [g["id"] for g in listed["items"]] == [gid]
    refused = client.post(f"/api/v1/groups/{gid}/transitions", {"action": "submit"}, **auth)
    assert refused.status_code == 400
    assert {d["field"] for d in refused.json()["details"]} >= {"decree_file", "officers"}

    # Registration completed through the API alone: officers, decree, statutes, programme,
    # then submitted, verified and activated by the office.
    chair = client.post(
        f"/api/v1/groups/{gid}/officers", {"person_id": people[0].pk, "position": "ketua"}, **auth
    )
    assert chair.status_code == 201, chair.json()
    profile = client.patch(
        f"/api/v1/groups/{gid}",
        {
            "decree_number": "421/7/2026",
            "decree_date": "2026-01-05",
            "decree_office": "Dinas Pendidikan Kota Yogyakarta",
            "programme_start_year": 2026,
            "programme_end_year": 2028,
            "programme_summary": "Pembelajaran berdiferensiasi, tiga tahun.",
        },
        **auth,
    )
    assert profile.status_code == 200, profile.json()
    files = {"HTTP_AUTHORIZATION": auth["HTTP_AUTHORIZATION"]}
    for document in ("sk", "adart"):
        pdf = SimpleUploadedFile(f"{document}.pdf", b"%PDF-1.4\n%sk\n")
        uploaded = client.post(f"/api/v1/groups/{gid}/documents/{document}", {"file": pdf}, **files)
        assert uploaded.status_code == 200, uploaded.json()
        assert client.get(f"/api/v1/groups/{gid}/documents/{document}", **files).status_code == 200
    fake = SimpleUploadedFile("sk.pdf", b"<html>not a pdf</html>")
    assert (
        client.post(f"/api/v1/groups/{gid}/documents/sk", {"file": fake}, **files).status_code
        == 400
    )
    for action in ("submit", "verify", "activate"):
        moved = client.post(f"/api/v1/groups/{gid}/transitions", {"action": action}, **auth)
        assert moved.status_code == 200, (action, moved.json())
    assert client.get(f"/api/v1/groups/{gid}", **auth).json()["status"] == "active"


def test_group_page_calendar_exports_and_region_page(client, office):
    group = GroupFactory(name="KKG SD Gugus 9")
    member = teacher(SchoolFactory(), name="Ratna")
    Membership.objects.create(group=group, person=member, started_on="2025-01-01")
    activity = Activity.objects.create(
        group=group,
        kind="in",
        topic="Asesmen awal",
        date=datetime.date(2026, 3, 10),
        place="SD",
        status="held",
    )
    Attendance.objects.create(activity=activity, person=member, status="hadir")
    client.force_login(office)
    page = client.get(f"/kelompok/{group.pk}/?bulan=2026-03").content.decode()
    assert "Maret 2026" in page and f"/kegiatan/{activity.pk}/" in page
    register = load_workbook(
        io.BytesIO(client.get(f"/kelompok/{group.pk}/kehadiran.xlsx").content)
    ).active
    assert [c.value for c in register[2]] == ["Ratna", member.nuptk, "Hadir"]
    listing = load_workbook(io.BytesIO(client.get("/kelompok/ekspor.xlsx").content)).active
    assert listing["A2"].value == "KKG SD Gugus 9"
    region = client.get("/keaktifan/?regency=34.71").content.decode()
    assert "Kelompok yang perlu diaktifkan" in region and "KKG SD Gugus 9" in region


def test_group_page_buttons_add_members_and_explain_refusals(client, office):
    group = GroupFactory()
    ok = teacher(SchoolFactory())
    wrong = teacher(SchoolFactory(jenjang="smp"), subject="ipa")
    client.force_login(office)
    page = client.post(
        f"/kelompok/{group.pk}/anggota/", {"identifier": ok.nuptk}, follow=True
    ).content.decode()
    assert "Anggota telah bergabung dengan kelompok." in page
    page = client.post(
        f"/kelompok/{group.pk}/anggota/", {"identifier": wrong.nuptk}, follow=True
    ).content.decode()
    assert "KKG beranggotakan guru kelas." in page
    page = client.post(
        f"/kelompok/{group.pk}/pengurus/",
        {"identifier": ok.nuptk, "position": "ketua"},
        follow=True,
    )
    assert "Pengurus telah ditetapkan." in page.content.decode()
    membership = Membership.objects.get(group=group, person=ok)
    client.post(f"/keanggotaan/{membership.pk}/akhiri/")
    membership.refresh_from_db()
    assert membership.ended_on is not None
    assert not group.officers.filter(ended_on__isnull=True).exists()
