"""Training pages: the public verification of a certificate and the certificate's PDF."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gugus.core.access import access
from gugus.core.uploads import PDF, stored_file_response
from gugus.core.views import not_found_on_refusal
from gugus.training import certificates, documents, selectors
from gugus.training.models import Certificate


@require_GET
def certificate_verify(request, token):
    """Public, without login: shows only whether the certificate is genuine (or revoked),
    the holder's name, the event and its dates."""
    response = render(request, "training/verify.html", {"result": selectors.verify(token)})
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@not_found_on_refusal
def certificate_pdf(request, pk):
    certificate = access(request.user, Certificate, pk=pk)
    if not certificate.file:
        certificates.write_pdf(certificate)
    return stored_file_response(
        certificate.file,
        download_name=documents.certificate_name(certificate),
        written_as=PDF,
    )
