"""An office gives a person a login and a first role from the person's page."""

import pytest
from django.core import mail

from gugus.accounts.models import User
from gugus.core.roles import Role
from gugus.directory.models import Regency
from tests.factories import PersonFactory, user_with_role


@pytest.fixture
def office(db):
    return user_with_role(Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.71"))


def test_office_creates_a_teacher_account_and_a_password_link_is_mailed(
    client, office, yogya_school
):
    person = PersonFactory(school=yogya_school, name="Rina Marlina, S.Pd.")
    client.force_login(office)
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
