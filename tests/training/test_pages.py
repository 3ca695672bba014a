"""The training pages in Indonesian: the organiser's dashboard, the kab/kota office's
nominations, check-in by code or from the list, the participant's own page and the JP
transcript."""

import io
import re
import subprocess

import pytest
from openpyxl import load_workbook

from gugus.core.roles import Role
from gugus.training import services
from gugus.training.models import CheckIn, Participant
from tests.factories import user_with_role
from tests.training.conftest import head

pytestmark = pytest.mark.usefixtures("indonesian")


def test_the_organiser_creates_an_event_from_the_page(client, bbgp, clock):
    client.force_login(bbgp)
    response = client.post(
        "/pelatihan/baru/",
        {
            "kind": "pelatihan",
            "title": "Pelatihan Tahap II",
            "region": "34",
            "starts_on": "2026-03-19",
            "ends_on": "2026-03-22",
            "mode": "luring",
            "capacity": "45",
            "jp": "32",
            "positions": ["kepala"],
            "level_groups": ["paud_slb", "sd", "sma"],
            "min_attendance": "80",
            "certificate_prefix": "bbgp-diy",
            "venues": "Hotel Santika; 20\nHotel Suites; 15\nAula BBGP; 10",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response["Location"]).content.decode()
    assert "Pelatihan Tahap II" in page and "Hotel Suites (15)" in page
    assert "Belum dipandu widyaiswara bersama praktisi" in page


def test_the_dashboard_shows_quota_totals_and_the_office_only_its_own(
    client, bbgp, kota, event, kota_heads
):
    client.force_login(bbgp)
    page = client.get(f"/pelatihan/{event.pk}/").content.decode()
    assert "45 kursi di 5 kab/kota; 0 diusulkan, 45 masih terbuka" in page
    client.force_login(kota)
    for person in kota_heads["sd"]:
        response = client.post(
            f"/pelatihan/{event.pk}/aksi/", {"action": "nominate", "nuptk": person.nuptk}
        )
        assert response.status_code == 302
    page = client.get(f"/pelatihan/{event.pk}/").content.decode()
    assert "9 kursi di 1 kab/kota; 3 diusulkan, 6 masih terbuka" in page
    assert len(re.findall(r'data-regency="34\.71"', page)) == 1
    assert "3/3" in page
    assert 'data-regency="34.04"' not in page
    response = client.post(
        f"/pelatihan/{event.pk}/aksi/",
        {"action": "nominate", "nuptk": "9999999999999999"},
        follow=True,
    )
    assert "Tidak ada orang dalam cakupan Anda dengan NUPTK 9999999999999999." in (
        response.content.decode()
    )


def test_check_in_by_code_and_from_the_list(client, bbgp, event, clock, kota_heads):
    first, second = (
        services.nominate(actor=bbgp, event=event, person=p) for p in kota_heads["sd"][:2]
    )
    session = event.sessions.first()
    clock.set(session.date.isoformat())
    client.force_login(bbgp)
    page = client.get(f"/pelatihan/sesi/{session.pk}/presensi/").content.decode()
    assert "vendor/jsqr.js" in page and "gugus/scanner.js" in page
    partial = client.post(
        f"/pelatihan/sesi/{session.pk}/presensi/",
        {"token": first.checkin_token},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert f"{first.person.name} sudah tercatat hadir." in partial
    assert "<html" not in partial
    client.post(f"/pelatihan/sesi/{session.pk}/presensi/", {"participant": second.pk})
    assert CheckIn.objects.filter(session=session).count() == 2
    assert set(CheckIn.objects.values_list("method", flat=True)) == {"qr", "list"}


def test_the_participant_sees_their_qr_code_and_transcript(client, bbgp, event, kota_heads):
    person = kota_heads["sd"][0]
    participant = services.nominate(actor=bbgp, event=event, person=person)
    user = user_with_role(Role.KEPALA_SEKOLAH, person=person, school=person.school)
    client.force_login(user)
    page = client.get("/pelatihan/saya/").content.decode()
    assert f'data-token="{participant.checkin_token}"' in page
    assert 'src="data:image/svg+xml' in page
    assert "Transkrip JP 2026" in page
    response = client.get(f"/ptk/{person.pk}/transkrip.pdf?tahun=2026")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert person.name in text and "Tahun 2026" in text


def test_an_office_that_only_sees_the_event_gets_no_check_in_page(client, kota, event):
    client.force_login(kota)
    session = event.sessions.first()
    assert client.get(f"/pelatihan/sesi/{session.pk}/presensi/").status_code == 404
    assert Participant.objects.count() == 0


def test_the_participants_workbook_follows_the_scope(client, bbgp, kota, event, kota_heads):
    sleman = services.nominate(actor=bbgp, event=event, person=head("34.04.01", "sd"))
    for person in kota_heads["sd"]:
        services.nominate(actor=kota, event=event, person=person)
    services.scores_record(actor=bbgp, participant=sleman, data={"post_score": "88"})

    def rows(user):
        client.force_login(user)
        response = client.get(f"/pelatihan/{event.pk}/peserta.xlsx")
        assert response.status_code == 200
        return list(load_workbook(io.BytesIO(response.content)).active.values)[3:]

    everyone = rows(bbgp)
    assert len(everyone) == 5 and everyone[0][-2:] == ("Pre-test", "Post-test")
    assert any(r[-1] == 88 for r in everyone[1:])
    own = rows(kota)
    assert len(own) == 4 and "Post-test" not in own[0]
    assert {r[0] for r in own[1:]} == {p.name for p in kota_heads["sd"]}
