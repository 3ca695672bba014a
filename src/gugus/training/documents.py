"""Training documents written from the records: an event's participants as a workbook,
read as the caller may see them, and a person's JP transcript of one year."""

from django.utils.translation import gettext as _

from gugus.core.access import CHANGE, can, visible
from gugus.core.documents import PDF_TYPE, Document, render_pdf
from gugus.core.sheets import XLSX_TYPE, XlsxWriter
from gugus.directory.models import Person
from gugus.directory.services import personal_data_read
from gugus.training import selectors
from gugus.training.models import Certificate, Event, Participant
from gugus.training.transcript import transcript


def participants_document(user, event: Event) -> Document:
    """Who was nominated, from where, with attendance and completion; test scores for
    the organiser only. A kab/kota office gets its own participants, as on the page."""
    runs = can(user, CHANGE, event)
    people = list(
        visible(user, Participant)
        .filter(event=event)
        .select_related("person", "school", "regency", "venue", "certificate")
        .order_by("regency_id", "level_group", "status", "person__name")
    )
    results = selectors.completions(event, people)
    personal_data_read(
        actor=user, what="participants_xlsx", rows=len(people), filters={"event": event.pk}
    )
    book = XlsxWriter()
    sheet = book.sheet(_("Participants"))
    sheet.append([event.title])
    sheet.append([event.starts_on, event.ends_on, f"{event.jp} JP"])
    sheet.append([])
    header = [
        _("Name"),
        "NUPTK",
        _("School"),
        _("District/city"),
        _("Level group"),
        _("Venue"),
        _("Status"),
        _("Nominated late"),
        _("Sessions attended"),
        _("Completed"),
        _("Certificate"),
    ]
    sheet.append([*header, _("Pre-test"), _("Post-test")] if runs else header)
    for p in people:
        result = results.get(p.pk)
        certificate = getattr(p, "certificate", None)
        row = [
            p.person.name,
            p.person.nuptk or "",
            p.school.name if p.school_id else "",
            p.regency.name,
            p.get_level_group_display(),
            p.venue.name if p.venue_id else "",
            p.get_status_display(),
            _("yes") if p.late else _("no"),
            f"{result.attended}/{result.sessions}" if result else "",
            (_("yes") if result.completed else _("no")) if result else "",
            certificate.number if certificate and not certificate.revoked_at else "",
        ]
        sheet.append([*row, p.pre_score, p.post_score] if runs else row)
    return Document(book.bytes(), f"peserta-{event.pk}.xlsx", XLSX_TYPE)


def certificate_name(certificate: Certificate) -> str:
    return f"sertifikat-{certificate.number.replace('/', '-')}"


def transcript_document(person: Person, year: int) -> Document:
    result = transcript(person.pk, year)
    body = render_pdf("training/transcript_pdf.html", {"person": person, "transcript": result})
    return Document(body, f"transkrip-jp-{person.pk}-{year}.pdf", PDF_TYPE)
