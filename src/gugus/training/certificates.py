"""Certificates: issued to participants who completed an event, numbered without gaps per
prefix and year (`PREFIX/YEAR/00001`, the series row locked while a number is taken),
written as PDF with a QR code linking to the public verification page, and revoked with a
reason that the verification page shows. Issuing, writing and revoking are audited."""

from __future__ import annotations

import secrets

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from gugus.core import audit, clock
from gugus.core.access import CHANGE, require, user_of
from gugus.core.documents import render_pdf
from gugus.core.errors import DomainError
from gugus.training.models import (
    Certificate,
    CertificateBatch,
    CertificateSeries,
    Event,
    Participant,
)
from gugus.training.selectors import completions


def verification_url(certificate: Certificate) -> str:
    path = reverse("certificate_verify", args=[certificate.token])
    return settings.GUGUS_BASE_URL.rstrip("/") + path


def _next_number(prefix: str, year: int) -> str:
    series, _created = CertificateSeries.objects.get_or_create(prefix=prefix, year=year)
    series = CertificateSeries.objects.select_for_update().get(pk=series.pk)
    series.last += 1
    series.save(update_fields=["last"])
    return f"{prefix}/{year}/{series.last:05d}"


def issue(*, actor, participant: Participant, source: str = "web") -> Certificate:
    """The participant's certificate, if they completed the event; the same one again if
    it was already issued (and not revoked)."""
    event = participant.event
    require(actor, CHANGE, event)
    existing = Certificate.objects.filter(participant=participant).first()
    if existing is not None:
        return existing
    result = completions(event, [participant]).get(participant.pk)
    if participant.status != Participant.Status.NOMINATED or not (result and result.completed):
        raise DomainError(
            _("%(name)s has not completed the event.") % {"name": participant.person.name},
            code="not_completed",
        )
    with transaction.atomic():
        certificate = Certificate.objects.create(
            participant=participant,
            number=_next_number(event.certificate_prefix, event.ends_on.year),
            token=secrets.token_urlsafe(18),
            issued_at=clock.now(),
        )
        audit.record(
            actor=actor,
            action="certificate_issue",
            obj=certificate,
            source=source,
            changes={"number": [None, certificate.number], "person": [None, participant.person_id]},
            **participant.audit_region,
        )
    return certificate


def write_pdf(certificate: Certificate) -> bytes:
    """The certificate's PDF, from the records; stored on the certificate."""
    participant = certificate.participant
    pdf = render_pdf(
        "training/certificate_pdf.html",
        {
            "certificate": certificate,
            "participant": participant,
            "event": participant.event,
            "qr": qr_data_uri(verification_url(certificate)),
            "url": verification_url(certificate),
        },
    )
    certificate.file.save(f"{secrets.token_hex(16)}.pdf", ContentFile(pdf), save=False)
    Certificate.objects.filter(pk=certificate.pk).update(file=certificate.file.name)
    return pdf


def qr_data_uri(text: str) -> str:
    return segno.make(text, error="m").png_data_uri(scale=6, border=2)


def qr_svg_data_uri(text: str) -> str:
    """A QR code for a page: sharp on any screen, scanned by the committee's phone."""
    return segno.make(text, error="m").svg_data_uri(scale=8, border=2)


def revoke(*, actor, certificate: Certificate, reason: str, source: str = "web") -> Certificate:
    """Revoked with a reason; the number stays taken and the verification page says so."""
    require(actor, CHANGE, certificate)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the certificate is revoked."), code="reason", field="reason")
    if certificate.revoked_at:
        raise DomainError(_("The certificate is already revoked."), code="revoked")
    certificate.revoked_at = clock.now()
    certificate.revoked_reason = reason[:300]
    certificate.revoked_by = user_of(actor)
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    participant = certificate.participant
    audit.record(
        actor=actor,
        action="certificate_revoke",
        obj=certificate,
        source=source,
        changes={"revoked": [None, reason[:300]]},
        **participant.audit_region,
    )
    return certificate


def batch_request(*, actor, event: Event) -> CertificateBatch:
    """Queues the writing of every certificate the event owes; one batch at a time."""
    require(actor, CHANGE, event)
    if event.status != Event.Status.CLOSED:
        raise DomainError(_("Certificates are issued once the event is closed."), code="not_closed")
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)
        busy = event.batches.filter(
            status__in=[CertificateBatch.Status.QUEUED, CertificateBatch.Status.RUNNING]
        ).first()
        if busy:
            return busy
        batch = CertificateBatch.objects.create(
            event=event, requested_by=user_of(actor), requested_at=clock.now()
        )
    from gugus.training.tasks import write_certificates  # noqa: PLC0415 (tasks import this)

    transaction.on_commit(lambda: write_certificates.enqueue(batch.pk))
    return batch


def batch_run(batch: CertificateBatch) -> CertificateBatch:
    """Issues and writes each completed participant's certificate, counting progress on
    the batch row. A retried batch skips what is already written, so nothing is issued
    twice."""
    event = batch.event
    actor = batch.requested_by
    owed = [
        p
        for p, result in completions(event).items()
        if result.completed
        and not Certificate.objects.filter(participant_id=p, file__gt="").exists()
    ]
    CertificateBatch.objects.filter(pk=batch.pk).update(
        status=CertificateBatch.Status.RUNNING, total=len(owed), done=0
    )
    for done, participant in enumerate(
        Participant.objects.filter(pk__in=owed).select_related("person", "event"), start=1
    ):
        certificate = issue(actor=actor, participant=participant, source="batch")
        if not certificate.revoked_at:
            write_pdf(certificate)
        CertificateBatch.objects.filter(pk=batch.pk).update(done=done)
    CertificateBatch.objects.filter(pk=batch.pk).update(
        status=CertificateBatch.Status.DONE, finished_at=clock.now()
    )
    batch.refresh_from_db()
    return batch
