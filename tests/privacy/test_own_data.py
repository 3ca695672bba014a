"""A person downloads everything Gugus holds about them (JSON and PDF), secrets left out,
each download logged; the downloads of personal data are visible to the office of the
reader's region, and to nobody else's."""

import json
import subprocess

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from gugus.accounts.services import api_token_create
from gugus.competency.models import Result, UkgEvent
from gugus.core.roles import Role
from gugus.directory.models import Person, PersonAccessLog
from gugus.directory.services import personal_data_read
from gugus.privacy.selectors import ACTOR_FIELDS, SOURCES, own_data
from tests.factories import GroupFactory, PersonFactory, member, user_with_role

pytestmark = pytest.mark.usefixtures("indonesian")


@pytest.fixture
def teacher(yogya_school):
    person = PersonFactory(name='Siti <script>alert("x")</script> Aminah', school=yogya_school)
    member(GroupFactory(), person)
    event = UkgEvent.objects.create(code="ukg-2015", name="UKG 2015", year=2015)
    Result.objects.create(
        person=person,
        event=event,
        total="61.50",
        pedagogik="55",
        profesional="64.14",
        regency_id="34.71",
        province_id="34",
        school_id=yogya_school.pk,
    )
    return user_with_role(Role.GURU, person=person, school=yogya_school)


def _bearer(user):
    _token, key = api_token_create(user=user, name="data saya")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_every_model_that_names_a_person_or_a_user_is_in_the_copy_or_is_a_work_record():
    person_or_user = (Person, get_user_model())
    covered = {s.model for s in SOURCES}
    missing = [
        f"{model._meta.label_lower}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model in person_or_user
        if model not in covered and f"{model._meta.label_lower}.{field.name}" not in ACTOR_FIELDS
    ]
    assert missing == []


def test_the_json_holds_the_record_the_membership_and_the_scores_and_no_secret(client, teacher):
    client.force_login(teacher)

    response = client.get("/saya/semua-data.json")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="data-saya-ptk-')
    data = json.loads(response.content)
    sections = {s["key"]: s["rows"] for s in data["sections"]}
    assert sections["person"][0]["name"] == 'Siti <script>alert("x")</script> Aminah'
    assert sections["account"][0]["username"] == teacher.username
    assert len(sections["memberships"]) == 1
    assert sections["ukg_results"][0]["total"] == "61.50"
    assert sections["roles"][0]["role"] == "Guru"
    body = response.content.decode()
    assert teacher.password not in body and "password" not in body
    assert "key_hash" not in body and "checkin_token" not in body
    log = PersonAccessLog.objects.get()
    assert (log.user, log.what, log.rows) == (teacher, "own_data_json", 1)


def test_the_pdf_reads_as_the_same_data_with_markup_as_text(client, teacher):
    client.force_login(teacher)

    response = client.get("/saya/semua-data.pdf")

    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    text = " ".join(text.split())
    assert "Semua yang disimpan Gugus tentang Anda" in text
    assert 'Siti <script>alert("x")</script> Aminah' in text
    assert "Hasil UKG Anda (1)" in text and "Keanggotaan kelompok (1)" in text
    assert PersonAccessLog.objects.get().what == "own_data_pdf"


def test_the_page_counts_each_section_and_offers_both_downloads(client, teacher):
    client.force_login(teacher)

    page = client.get("/saya/semua-data/").content.decode()

    assert 'href="/saya/semua-data.pdf"' in page and 'href="/saya/semua-data.json"' in page
    assert "&lt;script&gt;" not in page or "<script>alert" not in page
    assert not PersonAccessLog.objects.exists()  # looking is not downloading


def test_the_api_gives_the_same_copy_to_the_caller_only(client, teacher):
    response = client.get("/api/v1/me/data", **_bearer(teacher))

    assert response.status_code == 200
    assert {s["key"] for s in response.json()["sections"]} == {s.key for s in SOURCES}
    assert response.json()["person_id"] == teacher.person_id
    pdf = client.get("/api/v1/me/data.pdf", **_bearer(teacher))
    assert pdf.content.startswith(b"%PDF")
    assert client.get("/api/v1/me/data").status_code == 401


def test_an_account_without_a_person_gets_its_account_sections(client, office):
    device = TOTPDevice.objects.create(user=office, name="Gugus", confirmed=True)

    data = own_data(user=office)

    sections = {s.key: s.rows for s in data.sections}
    assert sections["person"] == [] and len(sections["account"]) == 1
    assert len(sections["roles"]) == 1
    (second_factor,) = sections["second_factor"]
    assert second_factor["confirmed"] is True
    assert device.key not in json.dumps(data.as_json(), default=str)


def test_downloads_of_personal_data_are_seen_by_the_office_of_the_readers_region(client, db):
    yogya = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")
    sleman = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.04")
    province = user_with_role(Role.ADMIN_PROVINSI, province_id="34")
    other_province = user_with_role(Role.ADMIN_PROVINSI, province_id="33")
    national = user_with_role(Role.ADMIN_PUSAT)
    personal_data_read(actor=yogya, what="people_xlsx", rows=1200, filters={"regency": "34.71"})
    personal_data_read(actor=sleman, what="people_xlsx", rows=800)

    def seen(user):
        body = client.get("/api/v1/personal-data-access", **_bearer(user)).json()
        return sorted((e["user"], e["rows"]) for e in body["items"])

    assert seen(yogya) == [(yogya.username, 1200)]
    assert seen(sleman) == [(sleman.username, 800)]
    assert (
        seen(province) == seen(national) == sorted([(yogya.username, 1200), (sleman.username, 800)])
    )
    assert seen(other_province) == []
    client.force_login(province)
    page = client.get("/akses-data/").content.decode()
    assert "Buku kerja PTK (identitas disamarkan)" in page and "1200" in page
    client.force_login(user_with_role(Role.GURU, person=PersonFactory()))
    assert client.get("/akses-data/").status_code == 404
