"""Activity evidence and the group's decree and statutes leave Gugus only through the
scoped download helper, typed by their content."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gugus.communities import services
from gugus.core.errors import FieldErrors
from gugus.core.roles import Role
from tests.factories import GroupFactory, user_with_role

PDF = b"%PDF-1.7\n<script>alert(document.cookie)</script>"
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 64


@pytest.fixture
def outsider(db):
    return user_with_role(Role.ADMIN_KABKOTA, regency_id="34.04")


@pytest.fixture
def activity(office, clock):
    group = GroupFactory()
    return services.activity_create(
        actor=office,
        group=group,
        data={"kind": "in", "topic": "Asesmen", "date": clock.today, "place": "SDN 1"},
    )


def test_evidence_named_html_is_served_as_what_it_is(activity, office, outsider, client):
    evidence = services.evidence_add(
        actor=office,
        activity=activity,
        kind="notulen",
        upload=SimpleUploadedFile("notulen.html", PDF, "text/html"),
    )
    assert evidence.file.name.endswith(".pdf") and "notulen" not in evidence.file.name
    client.force_login(office)
    response = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert f'filename="bukti-kegiatan-{evidence.pk}.pdf"' in response["Content-Disposition"]
    client.force_login(outsider)
    assert client.get(reverse("evidence_download", args=[evidence.pk])).status_code == 404


def test_an_office_document_downloads_and_never_shows_inline(activity, office, client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    evidence = services.evidence_add(
        actor=office,
        activity=activity,
        kind="dokumen",
        upload=SimpleUploadedFile("laporan.htm", buffer.getvalue()),
    )
    client.force_login(office)
    response = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith('.docx"')


def test_a_zip_that_is_no_office_document_is_refused(activity, office):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("index.html", "<script>alert(1)</script>")
    with pytest.raises(FieldErrors):
        services.evidence_add(
            actor=office,
            activity=activity,
            kind="dokumen",
            upload=SimpleUploadedFile("laporan.docx", buffer.getvalue()),
        )


def test_decree_and_statutes_have_a_scoped_download(office, outsider, client):
    group = GroupFactory(status="draft")
    services.group_update(
        actor=office,
        group=group,
        data={},
        files={
            "decree_file": SimpleUploadedFile("sk.html", PDF, "text/html"),
            "statutes_file": SimpleUploadedFile("adart.pdf", PDF),
        },
    )
    group.refresh_from_db()
    assert group.decree_file.name.endswith(".pdf") and "sk.html" not in group.decree_file.name
    client.force_login(office)
    page = client.get(reverse("group_detail", args=[group.pk])).content.decode()
    assert reverse("group_document", args=[group.pk, "sk"]) in page
    assert "/media/" not in page
    response = client.get(reverse("group_document", args=[group.pk, "sk"]))
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="sk-kelompok-{group.pk}.pdf"' in response["Content-Disposition"]
    assert client.get(reverse("group_document", args=[group.pk, "adart"])).status_code == 200
    assert client.get(reverse("group_document", args=[group.pk, "lain"])).status_code == 404
    admin_page = client.get(
        reverse("admin:communities_workinggroup_change", args=[group.pk])
    ).content.decode()
    assert "/media/" not in admin_page
    assert reverse("group_document", args=[group.pk, "sk"]) in admin_page
    api = client.get(f"/api/v1/groups/{group.pk}/documents/sk")  # the same, for scripts
    assert api["Content-Type"] == "application/pdf" and api["Content-Security-Policy"] == "sandbox"
    client.force_login(outsider)
    assert client.get(reverse("group_document", args=[group.pk, "sk"])).status_code == 404
    assert client.get(f"/api/v1/groups/{group.pk}/documents/sk").status_code == 404


def test_group_documents_must_be_pdfs_by_content(office):
    group = GroupFactory(status="draft")
    with pytest.raises(FieldErrors) as info:
        services.group_update(
            actor=office,
            group=group,
            data={},
            files={"decree_file": SimpleUploadedFile("sk.pdf", b"<html>", "application/pdf")},
        )
    assert info.value.details[0]["field"] == "decree_file"
    group.refresh_from_db()
    assert not group.decree_file
