"""Schools, people and corrections written through the directory services."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gugus.core.errors import DomainError, FieldErrors, Forbidden, NotFound
from gugus.core.models import AuditEntry
from gugus.core.roles import Role
from gugus.directory import services
from gugus.directory.models import CorrectionRequest, Person, Regency
from tests.factories import PersonFactory, user_with_role

pytestmark = pytest.mark.usefixtures("indonesian")


def test_person_create_takes_gender_and_birth_date_from_nip(office, yogya_school):
    person = services.person_create(
        actor=office,
        data={
            "name": "  Budi   Santoso ",
            "nip": "198503152010011003",
            "school": yogya_school.npsn,
            "subjects": "matematika",
        },
    )
    assert person.name == "Budi Santoso"
    assert person.gender == "L"
    assert str(person.birth_date) == "1985-03-15"
    assert person.regency_id == "34.71" and person.province_id == "34"
    assert [s.code for s in person.subjects.all()] == ["matematika"]


def test_person_create_is_audited_with_who_and_what(office, yogya_school):
    person = services.person_create(
        actor=office, data={"name": "Ani", "gender": "P", "school": yogya_school.npsn}
    )
    entry = AuditEntry.objects.get(target_type="directory.person", target_id=str(person.pk))
    assert entry.actor == office and entry.action == "create"
    assert entry.changes["name"] == [None, "Ani"]
    assert entry.regency_id == "34.71"


def test_person_errors_name_each_field_in_indonesian(office):
    with pytest.raises(services.FieldErrors) as info:
        services.person_create(
            actor=office,
            data={
                "name": "",
                "nuptk": "123",
                "nip": "198503152010011003",
                "gender": "P",
                "school": "99999999",
            },
        )
    fields = {d["field"]: d["message"] for d in info.value.details}
    assert fields["name"] == "Nama wajib diisi."
    assert "16 digit" in fields["nuptk"]
    assert "NIP" in fields["gender"]  # gender P contradicts NIP digit 15 = 1
    assert "99999999" in fields["school"]


def test_teacher_without_school_is_refused(office):
    with pytest.raises(services.FieldErrors) as info:
        services.person_create(
            actor=office, data={"name": "Ani", "gender": "P", "position": "guru"}
        )
    assert info.value.details[0]["field"] == "school"


def test_supervisor_without_school_belongs_to_a_regency(office):
    person = services.person_create(
        actor=office,
        data={"name": "Pak Pengawas", "gender": "L", "position": "pengawas", "regency": "34.71"},
    )
    assert person.school is None and person.regency_id == "34.71"


def test_duplicate_nuptk_is_refused(office, yogya_school):
    PersonFactory(nuptk="1234567890123456", school=yogya_school)
    with pytest.raises(services.FieldErrors) as info:
        services.person_create(
            actor=office,
            data={
                "name": "Ani",
                "gender": "P",
                "nuptk": "1234567890123456",
                "school": yogya_school.npsn,
            },
        )
    assert info.value.details[0]["field"] == "nuptk"


def test_office_cannot_create_or_move_people_outside_its_region(
    office, sleman_school, yogya_school
):
    with pytest.raises(Forbidden):
        services.person_create(
            actor=office, data={"name": "Ani", "gender": "P", "school": sleman_school.npsn}
        )
    person = PersonFactory(school=yogya_school)
    with pytest.raises(Forbidden):
        services.person_update(actor=office, person=person, data={"school": sleman_school.npsn})
    assert Person.objects.get(pk=person.pk).school == yogya_school


def test_person_update_audits_only_changed_fields(office, yogya_school):
    person = PersonFactory(school=yogya_school, name="Ani")
    services.person_update(actor=office, person=person, data={"name": "Ani Lestari"})
    entry = AuditEntry.objects.get(target_id=str(person.pk), action="update")
    assert entry.changes == {"name": ["Ani", "Ani Lestari"]}
    services.person_update(actor=office, person=person, data={"name": "Ani Lestari"})
    assert AuditEntry.objects.filter(target_id=str(person.pk), action="update").count() == 1


def test_school_create_derives_ministry_and_place(office):
    """A madrasah is Kemenag's: the Kantor Kemenag registers it, the Dinas may not."""
    data = {
        "npsn": "69912345",
        "name": "MI Negeri 1 Yogyakarta",
        "jenjang": "mi",
        "status": "negeri",
        "district": "34.71.02",
    }
    with pytest.raises(Forbidden):
        services.school_create(actor=office, data=data)
    kankemenag = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71", ministry="kemenag")
    school = services.school_create(actor=kankemenag, data=data)
    assert school.ministry == "kemenag"
    assert school.regency_id == "34.71" and school.province_id == "34"


def test_school_refuses_unknown_level_and_place(office):
    with pytest.raises(services.FieldErrors) as info:
        services.school_create(
            actor=office,
            data={
                "npsn": "6991234",
                "name": "X",
                "jenjang": "universitas",
                "status": "negeri",
                "district": "99.99.99",
            },
        )
    assert {d["field"] for d in info.value.details} == {"npsn", "jenjang", "district"}


@pytest.fixture
def teacher_user(yogya_school):
    person = PersonFactory(school=yogya_school, name="Siti Aminah", gender="P")
    return user_with_role(Role.GURU, school=yogya_school, person=person)


def test_correction_request_keeps_only_real_changes(teacher_user):
    person = teacher_user.person
    request = services.correction_request_create(
        actor=teacher_user,
        person=person,
        changes={"name": "Siti Aminah, S.Pd.", "gender": "P"},
        reason="Gelar belum tercatat",
    )
    assert request.changes == {"name": "Siti Aminah, S.Pd."}
    assert request.status == "pending"


def test_correction_request_refuses_no_change_and_second_pending(teacher_user):
    person = teacher_user.person
    with pytest.raises(DomainError) as info:
        services.correction_request_create(
            actor=teacher_user, person=person, changes={"name": person.name}, reason="x"
        )
    assert info.value.code == "no_change"
    services.correction_request_create(
        actor=teacher_user, person=person, changes={"name": "Siti A."}, reason="x"
    )
    with pytest.raises(DomainError) as info:
        services.correction_request_create(
            actor=teacher_user, person=person, changes={"name": "Siti B."}, reason="x"
        )
    assert info.value.code == "pending_exists"


def test_nobody_asks_corrections_for_someone_else(teacher_user, yogya_school):
    other = PersonFactory(school=yogya_school)
    with pytest.raises(DomainError):
        services.correction_request_create(
            actor=teacher_user, person=other, changes={"name": "X"}, reason="x"
        )


def test_approved_correction_is_applied_and_audited(teacher_user, office):
    request = services.correction_request_create(
        actor=teacher_user,
        person=teacher_user.person,
        changes={"name": "Siti Aminah, S.Pd."},
        reason="Gelar",
    )
    services.correction_request_decide(actor=office, request=request, approve=True)
    person = Person.objects.get(pk=teacher_user.person_id)
    assert person.name == "Siti Aminah, S.Pd."
    entry = AuditEntry.objects.get(target_id=str(person.pk), action="update")
    assert entry.source == "correction" and entry.actor == office
    with pytest.raises(DomainError):
        services.correction_request_decide(actor=office, request=request, approve=False, note="x")


def test_refusal_needs_a_reason_and_changes_nothing(teacher_user, office):
    request = services.correction_request_create(
        actor=teacher_user, person=teacher_user.person, changes={"name": "Nama Lain"}, reason="x"
    )
    with pytest.raises(services.FieldErrors):
        services.correction_request_decide(actor=office, request=request, approve=False)
    services.correction_request_decide(
        actor=office, request=request, approve=False, note="Tidak ada bukti"
    )
    assert CorrectionRequest.objects.get(pk=request.pk).status == "refused"
    assert Person.objects.get(pk=teacher_user.person_id).name == "Siti Aminah"


def test_office_of_another_region_cannot_decide(teacher_user):
    other_office = user_with_role(Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.04"))
    request = services.correction_request_create(
        actor=teacher_user, person=teacher_user.person, changes={"name": "X Y"}, reason="x"
    )
    with pytest.raises(NotFound):
        services.correction_request_decide(actor=other_office, request=request, approve=True)


def test_school_with_people_cannot_be_deleted(office, yogya_school):
    PersonFactory(school=yogya_school)
    with pytest.raises(DomainError) as info:
        services.school_delete(actor=office, school=yogya_school)
    assert info.value.code == "in_use"
    assert "1" in str(info.value.message)


def test_deleting_a_person_is_audited_with_what_they_held(office, yogya_school):
    person = PersonFactory(school=yogya_school, name="Dobel Entri")
    services.person_delete(actor=office, person=person)
    assert not Person.objects.filter(pk=person.pk).exists()
    entry = AuditEntry.objects.get(action="delete", target_id=str(person.pk))
    assert entry.changes["name"] == ["Dobel Entri", None]
    assert entry.actor == office and entry.regency_id == "34.71"


def test_person_with_an_account_is_not_deleted(office, teacher_user):
    with pytest.raises(DomainError) as info:
        services.person_delete(actor=office, person=teacher_user.person)
    assert info.value.code == "in_use"
    assert Person.objects.filter(pk=teacher_user.person_id).exists()


def test_empty_school_is_deleted_through_the_page(client, office, yogya_school):
    client.force_login(office)
    assert "Ya, hapus" in client.get(f"/sekolah/{yogya_school.npsn}/hapus/").content.decode()
    response = client.post(f"/sekolah/{yogya_school.npsn}/hapus/", follow=True)
    assert "Data sekolah telah dihapus" in response.content.decode()
    assert AuditEntry.objects.filter(action="delete", target_type="directory.school").exists()


def test_correction_evidence_is_checked_and_stored_by_content(teacher_user, client):
    person = teacher_user.person
    with pytest.raises(FieldErrors) as info:
        services.correction_request_create(
            actor=teacher_user,
            person=person,
            changes={"name": "Siti Aminah, S.Pd."},
            reason="Gelar belum tercatat",
            evidence=SimpleUploadedFile("ijazah.pdf", b"<html><script>x()</script></html>"),
        )
    assert info.value.details[0]["field"] == "evidence"
    request = services.correction_request_create(
        actor=teacher_user,
        person=person,
        changes={"name": "Siti Aminah, S.Pd."},
        reason="Gelar belum tercatat",
        evidence=SimpleUploadedFile("ijazah.html", b"%PDF-1.5\n<script>x()</script>"),
    )
    assert request.evidence.name.endswith(".pdf") and "ijazah" not in request.evidence.name
    client.force_login(teacher_user)
    response = client.get(reverse("correction_evidence", args=[request.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "sandbox"
