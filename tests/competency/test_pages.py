"""The upload page queues the import; the job page shows progress, then the outcome."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gugus.competency.models import UkgImport
from gugus.competency.tasks import run_ukg_import
from gugus.core.roles import Role
from tests.competency.test_import import csv_file
from tests.factories import PersonFactory, SchoolFactory, user_with_role


@pytest.fixture
def office(db):
    return user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")


def test_upload_then_follow_the_job(client, office):
    school = SchoolFactory()
    people = [PersonFactory(school=school) for _i in range(3)]
    rows = [[p.nuptk, "65,5", "60", "70", "", ""] for p in people] + [
        ["1234", "65", "60", "70", "", ""]
    ]
    client.force_login(office)
    page = client.post(
        reverse("ukg_upload"),
        {
            "new_event": "ukg-2024",
            "new_year": "2024",
            "mode": "all",
            "file": SimpleUploadedFile("hasil.csv", csv_file(rows).read()),
        },
        follow=True,
    )
    body = page.content.decode()
    job = UkgImport.objects.get()
    assert 'hx-trigger="every 1s"' in body and "Menunggu" in body
    run_ukg_import.call(job.pk)
    body = client.get(reverse("ukg_import_detail", args=[job.pk])).content.decode()
    assert "Ditolak" in body and 'id="issues"' in body and "NUPTK harus" in body
    assert "hx-trigger" not in body
    report = client.get(reverse("ukg_error_report", args=[job.pk]))
    assert report.status_code == 200 and b"Baris" in b"".join(report.streaming_content)


def test_only_offices_import(client, db):
    teacher = user_with_role(Role.GURU, school_id=SchoolFactory().pk)
    client.force_login(teacher)
    assert client.get(reverse("ukg_upload")).status_code == 404
