"""An office gives a person a login and a first role from the person's page."""

from django.core import mail

from gugus.accounts.models import User
from gugus.directory.models import Regency
from tests.factories import PersonFactory


def test_office_creates_a_teacher_account_and_a_password_link_is_mailed(
    client, office, yogya_school, django_capture_on_commit_callbacks
):
    person = PersonFactory(school=yogya_school, name="Rina Marlina, S.Pd.")
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/ptk/{person.pk}/akun/",
            {"username": "rina", "email": "rina@sekolah.id", "role": "guru"},
            follow=True,
        )
    assert "Akun telah dibuat" in response.content.decode()
    user = User.objects.get(username="rina")
    assert user.person == person
    assignment = user.role_assignments.get()
    assert (assignment.role, assignment.school) == ("guru", yogya_school)
    assert mail.outbox[0].to == ["rina@sekolah.id"]
    assert "/sandi/reset/" in mail.outbox[0].body
    again = client.get(f"/ptk/{person.pk}/akun/").content.decode()
    assert "rina" in again and 'name="username"' not in again  # no second account


def test_head_role_needs_a_school_and_nothing_is_half_written(client, office):
    city = Regency.objects.get(code="34.71")
    supervisor = PersonFactory(
        school=None, regency=city, province=city.province, position="pengawas"
    )
    client.force_login(office)
    response = client.post(
        f"/ptk/{supervisor.pk}/akun/",
        {"username": "pak.pengawas", "email": "p@dinas.id", "role": "kepala_sekolah"},
    )
    assert "tidak memiliki sekolah" in response.content.decode()
    assert not User.objects.filter(username="pak.pengawas").exists()
    client.post(
        f"/ptk/{supervisor.pk}/akun/",
        {"username": "pak.pengawas", "email": "p@dinas.id", "role": "pengawas"},
    )
    assert User.objects.get(username="pak.pengawas").role_assignments.get().regency_id == "34.71"


def test_the_api_gives_an_account_and_the_service_mails_the_link(
    client, office, yogya_school, django_capture_on_commit_callbacks
):
    """The mail leaves only once the account is saved: the service sends it, for any caller."""
    person = PersonFactory(school=yogya_school, name="Budi Santoso")
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        response = client.post(
            f"/api/v1/people/{person.pk}/account",
            {"username": "budi", "email": "budi@sekolah.id", "role": "guru"},
            content_type="application/json",
        )
        assert mail.outbox == []
    for callback in pending:
        callback()
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["username"], body["person_id"]) == ("budi", person.pk)
    assert [r["role"] for r in body["roles"]] == ["guru"]
    assert mail.outbox[0].to == ["budi@sekolah.id"]
    assert "/sandi/reset/" in mail.outbox[0].body
    again = client.post(
        f"/api/v1/people/{person.pk}/account",
        {"username": "budi2", "email": "budi@sekolah.id", "role": "guru"},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert (again.json()["code"], again.json()["details"][0]["field"]) == ("duplicate", "person")
    assert len(mail.outbox) == 1


def test_a_bad_address_is_refused_by_field_and_no_account_is_written(client, office, yogya_school):
    person = PersonFactory(school=yogya_school)
    client.force_login(office)
    response = client.post(
        f"/api/v1/people/{person.pk}/account",
        {"username": "tanpa.surel", "email": "bukan-alamat", "role": "guru"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 400
    assert response.json()["details"][0]["field"] == "email"
    assert not User.objects.filter(username="tanpa.surel").exists()
    assert mail.outbox == []
