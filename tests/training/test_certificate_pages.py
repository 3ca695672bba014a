"""The certificate PDF carries a QR code of its verification link; the public verification
page shows that the certificate is genuine, the name, the event and the date, and nothing
else about the holder."""

import subprocess
from decimal import Decimal

import pytest
import zxingcpp
from PIL import Image

from gugus.core.roles import Role
from gugus.training import certificates, services
from tests.factories import user_with_role

pytestmark = pytest.mark.usefixtures("indonesian")


@pytest.fixture
def certificate(bbgp, event, clock, kota_heads):
    person = kota_heads["sd"][0]
    p = services.nominate(actor=bbgp, event=event, person=person)
    services.event_step(actor=bbgp, event=event, step="start")
    for s in event.sessions.all():
        clock.set(s.date.isoformat())
        services.check_in(actor=bbgp, session=s, token=p.checkin_token)
    services.scores_record(
        actor=bbgp, participant=p, data={"pre_score": "41.25", "post_score": "87.5"}
    )
    return certificates.issue(actor=bbgp, participant=p)


def _qr_of(pdf: bytes, tmp_path) -> str:
    (tmp_path / "c.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "150",
            "-singlefile",
            str(tmp_path / "c.pdf"),
            str(tmp_path / "c"),
        ],
        check=True,
    )
    (found,) = zxingcpp.read_barcodes(Image.open(tmp_path / "c.png"))
    return found.text


def test_the_holder_downloads_the_pdf_whose_qr_opens_the_verification(
    client, certificate, tmp_path, settings
):
    holder = user_with_role(
        Role.KEPALA_SEKOLAH,
        person=certificate.participant.person,
        school=certificate.participant.school,
    )
    client.force_login(holder)
    response = client.get(f"/pelatihan/sertifikat/{certificate.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    url = _qr_of(pdf, tmp_path)
    assert url == f"{settings.GUGUS_BASE_URL}/verifikasi/{certificate.token}/"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert certificate.number in text and certificate.participant.person.name in text
    assert "32 jam pelajaran" in text


def test_verification_shows_name_event_and_date_only(client, certificate):
    person = certificate.participant.person
    page = client.get(f"/verifikasi/{certificate.token}/").content.decode()
    assert "asli" in page
    assert person.name in page and certificate.participant.event.title in page
    assert "19 Maret 2026" in page and "22 Maret 2026" in page
    participant = certificate.participant
    for private in (
        person.nuptk,
        participant.school.name,
        participant.school.npsn,
        participant.regency.name,
        certificate.number,
        participant.checkin_token,
        "87,5",
        "87.5",
        "41,25",
        "41.25",
    ):
        assert private not in page, private
    assert participant.post_score == Decimal("87.5")


def test_verification_of_a_revoked_and_of_an_unknown_certificate(client, bbgp, certificate):
    certificates.revoke(actor=bbgp, certificate=certificate, reason="Peserta tidak hadir penuh")
    page = client.get(f"/verifikasi/{certificate.token}/").content.decode()
    assert "dicabut" in page and "Peserta tidak hadir penuh" in page
    unknown = client.get("/verifikasi/bukan-kode/").content.decode()
    assert "tidak asli" in unknown and certificate.participant.person.name not in unknown
