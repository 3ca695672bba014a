"""Training documents written from the records: a person's JP transcript of one year."""

from gugus.core.documents import PDF_TYPE, Document, render_pdf
from gugus.directory.models import Person
from gugus.training.models import Certificate
from gugus.training.transcript import transcript


def certificate_name(certificate: Certificate) -> str:
    return f"sertifikat-{certificate.number.replace('/', '-')}"


def transcript_document(person: Person, year: int) -> Document:
    result = transcript(person.pk, year)
    body = render_pdf("training/transcript_pdf.html", {"person": person, "transcript": result})
    return Document(body, f"transkrip-jp-{person.pk}-{year}.pdf", PDF_TYPE)
