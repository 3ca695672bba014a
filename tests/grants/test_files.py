"""Receipts and proofs an attacker names `nota.html` are stored and served by content."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gugus.core.errors import FieldErrors
from gugus.grants import money
from tests.grants.builders import funded, ketua_of

HOSTILE_PDF = b"%PDF-1.4\n<html><script>fetch('/akun/token/')</script></html>\n"


@pytest.fixture
def grant(programme, group, offices, clock):
    return funded(programme, group, offices, clock)


def spend_with(grant, upload):
    return money.spending_record(
        actor=ketua_of(grant.group),
        line=grant.budget.first(),
        data={"date": "2026-02-05", "description": "Konsumsi", "amount": "100000"},
        receipt=upload,
    )


def test_a_receipt_named_html_is_stored_and_served_as_a_sandboxed_pdf(grant, offices, client):
    spending = spend_with(grant, SimpleUploadedFile("nota.html", HOSTILE_PDF, "text/html"))
    stored = spending.receipt.name.rsplit("/", 1)[-1]
    assert stored.endswith(".pdf") and "nota" not in stored and len(stored) == 36
    client.force_login(offices["kabkota"])
    response = client.get(reverse("receipt_file", args=[spending.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Disposition"] == f'inline; filename="nota-{spending.pk}.pdf"'
    assert b"".join(response.streaming_content) == HOSTILE_PDF


def test_a_receipt_that_is_really_html_is_refused(grant):
    page = SimpleUploadedFile(
        "nota.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
    )
    with pytest.raises(FieldErrors) as info:
        spend_with(grant, page)
    assert info.value.details[0]["field"] == "receipt"
    assert grant.budget.first().spending.count() == 0


def test_a_return_proof_is_served_by_its_content(grant, offices, client):
    back = money.funds_return_record(
        actor=ketua_of(grant.group),
        proposal=grant,
        data={"date": "2026-02-05", "amount": "50000", "reference": "NTPN-1"},
        proof=SimpleUploadedFile("bukti.svg", b"\xff\xd8\xff\xe0" + b"\0" * 32, "image/svg+xml"),
    )
    assert back.proof.name.endswith(".jpg")
    client.force_login(offices["kabkota"])
    response = client.get(reverse("return_proof_file", args=[back.pk]))
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Security-Policy"] == "sandbox"
    client.force_login(offices["sleman"])
    assert client.get(reverse("return_proof_file", args=[back.pk])).status_code == 404
