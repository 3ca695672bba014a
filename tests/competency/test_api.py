"""The competency API: maps, a group's competency, one's own results, imports."""

from django.core.files.uploadedfile import SimpleUploadedFile

from gugus.accounts.models import User
from gugus.accounts.services import api_token_create
from gugus.competency.models import UkgEvent, UkgImport
from gugus.competency.tasks import run_ukg_import
from gugus.core.models import AuditEntry
from gugus.core.roles import Role
from tests.competency.test_import import csv_file
from tests.competency.test_pages import seeded_event
from tests.factories import PersonFactory, SchoolFactory, user_with_role


def bearer(user):
    _token, key = api_token_create(user=user, name="skrip")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": "id"}


def test_maps_group_and_own_results(client, yogya_school, sleman_school):
    _event, group, people = seeded_event(yogya_school, sleman_school)
    office = bearer(user_with_role(Role.ADMIN_PROVINSI, province_id="34"))
    body = client.get("/api/v1/competency/map?region=34", **office).json()
    assert body["event"] == "ukg-2015" and body["place"]["n"] == 5
    assert [c["key"] for c in body["weakest_first"]] == ["34.71", "34.04"]
    assert body["components"]["pedagogik"] < body["components"]["profesional"]
    team = client.get(f"/api/v1/groups/{group.pk}/competency", **office).json()
    assert team["trainers"][0]["kind"] == "recommended"
    assert sorted(m["total"] for m in team["members"]) == ["40.00", "62.00", "75.00"]
    teacher = User.objects.create_user("siti", password="x", person=people[0])
    mine = client.get("/api/v1/me/ukg", **bearer(teacher)).json()["items"]
    assert mine[0]["modules_below"] == ["A"] and mine[0]["track"] == "mandiri"


def test_import_over_the_api(client, db):
    office = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")
    UkgEvent.objects.create(code="ukg-2024", name="UKG 2024", year=2024)
    people = [PersonFactory(school=SchoolFactory()) for _i in range(2)]
    upload = SimpleUploadedFile(
        "ukg.csv", csv_file([[p.nuptk, "70", "65", "75", "", ""] for p in people]).read()
    )
    started = client.post(
        "/api/v1/ukg/imports",
        {"file": upload, "event": "ukg-2024"},
        **bearer(office),
    )
    assert started.status_code == 202, started.json()
    job_id = started.json()["id"]
    run_ukg_import.call(job_id)
    job = client.get(f"/api/v1/ukg/imports/{job_id}", **bearer(office)).json()
    assert (job["status"], job["created"], job["percent"]) == ("done", 2, 100)
    assert UkgImport.objects.get().event.year == 2024


def test_only_a_national_office_creates_an_event_and_a_refusal_leaves_none(client, db):
    upload = csv_file([["1234567890123456", "70", "65", "75", "", ""]]).read()
    district = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")
    refused = client.post(
        "/api/v1/ukg/imports",
        {"file": SimpleUploadedFile("ukg.csv", upload), "event": "ukg-2030", "year": "2030"},
        **bearer(district),
    )
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    teacher = User.objects.create_user("guru-x", password="x")
    refused = client.post(
        "/api/v1/ukg/imports",
        {"file": SimpleUploadedFile("ukg.csv", upload), "event": "ukg-2030", "year": "2030"},
        **bearer(teacher),
    )
    assert refused.status_code == 403
    assert not UkgEvent.objects.exists() and not UkgImport.objects.exists()
    nation = user_with_role(Role.ADMIN_PUSAT)
    started = client.post(
        "/api/v1/ukg/imports",
        {"file": SimpleUploadedFile("ukg.csv", upload), "event": "ukg-2030", "year": "2030"},
        **bearer(nation),
    )
    assert started.status_code == 202
    entry = AuditEntry.objects.get(target_type="competency.ukgevent")
    assert (entry.actor, entry.action, entry.changes["code"]) == (
        nation,
        "create",
        [None, "ukg-2030"],
    )
