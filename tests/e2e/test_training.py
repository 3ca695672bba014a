"""Seed 004 in the browser: BBGP Jawa Timur creates the phase II training with 3 seats per
level group in each of the 38 kab/kota (342), the Dinas of Kota Surabaya nominates its 9
heads, a head checks in by the QR code on their phone, which the committee's phone camera
reads on the scanner page (Chromium's fake camera plays the QR code rendered from the
participant's page), completes, and downloads the certificate; the test reads the QR code
out of the PDF (pdftoppm, zxing-cpp) and opens the public verification page it links to."""

import subprocess

import pytest
import zxingcpp
from PIL import Image

from gugus.core.roles import OfficeKind, Role
from gugus.directory.models import District, Province, Regency
from gugus.directory.offices import standard_office
from gugus.training.models import Certificate, CheckIn, Event, Participant
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, login
from tests.e2e.test_charts import OUTPUT
from tests.e2e.test_ukg_import import worker_for_one_job
from tests.factories import PersonFactory, SchoolFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEVELS = {"paud_slb": "paud_tk", "sd": "sd", "sma": "sma"}


def named(user, username):
    user.username = username
    user.set_password("gugus-demo")
    user.save()
    return user


def press(page, selector):
    with page.expect_navigation():
        page.click(selector)


def camera_file(qr_png, path):
    """A Y4M video (what Chromium's fake camera plays) of the QR code on a white frame."""
    width, height = 640, 480
    qr = Image.open(qr_png).convert("L")
    side = min(width, height) - 80
    frame = Image.new("L", (width, height), 255)
    frame.paste(qr.resize((side, side)), ((width - side) // 2, (height - side) // 2))
    chroma = bytes([128]) * (width // 2 * height // 2)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _frame in range(10):
            video.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)
    return path


def shoot(page, name, width):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=OUTPUT.parent / f"pelatihan-{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_phase_two_from_quotas_to_a_verified_certificate(
    live_server, browser, width, clock, settings, tmp_path
):
    clock.set("2026-03-19")
    settings.GUGUS_BASE_URL = live_server.url
    jatim = Province.objects.get(pk="35")
    surabaya = Regency.objects.get(pk="35.78")
    named(
        user_with_role(
            Role.ADMIN_PROVINSI,
            province_id="35",
            office=standard_office(OfficeKind.BBGP, province=jatim),
        ),
        "bbgp.jatim",
    )
    named(user_with_role(Role.ADMIN_KABKOTA, regency=surabaya), "dinas.surabaya")
    district = District.objects.filter(regency=surabaya).first()
    heads = [
        PersonFactory(school=SchoolFactory(district=district, jenjang=jenjang), position="kepala")
        for jenjang in LEVELS.values()
        for _n in range(3)
    ]
    size = {"width": width, "height": 900}

    # The BBGP creates the event and sets the quotas.
    context = browser.new_context(viewport=size, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, live_server.url, "bbgp.jatim")
    page.click("header >> text=Pelatihan")
    press(page, "#new-event")
    page.fill("input[name=title]", "Pelatihan Pengelolaan Kinerja Kepala Sekolah Tahap II")
    page.fill("input[name=phase]", "2")
    page.select_option("select[name=region]", "35")
    page.fill("input[name=starts_on]", "2026-03-19")
    page.fill("input[name=ends_on]", "2026-03-22")
    page.fill("input[name=capacity]", "342")
    page.fill("input[name=jp]", "32")
    page.check("input[name=positions][value=kepala]")
    for level in LEVELS:
        page.check(f"input[name=level_groups][value={level}]")
    page.fill("input[name=min_attendance]", "75")
    page.fill("input[name=pass_score]", "70")
    page.fill("input[name=certificate_prefix]", "BBGP-JATIM")
    page.fill(
        "textarea[name=venues]",
        "Hotel Santika Gubeng; 120\nSurabaya Suites Hotel; 120\nAula BBGP Jatim; 102",
    )
    press(page, "#event-form button[type=submit]")
    assert page.inner_text("#event-status") == "Draf"
    for level in ("paud_slb", "sd", "sma"):
        page.fill(f"#quota-form input[name={level}]", "3")
    press(page, "#quota-form button[type=submit]")
    assert "342 kursi di 38 kab/kota" in page.inner_text("#quota-totals")
    assert page.locator("#quotas tbody tr[data-regency]").count() == 38
    assert page.locator("#quotas td[data-level]").count() == 38 * 3
    press(page, "#step-open")
    assert page.inner_text("#event-status") == "Dibuka untuk usulan peserta"
    shoot(page, "penyelenggara", width)
    event = Event.objects.get()
    context.close()

    # The Dinas of Kota Surabaya nominates its nine heads, and no tenth.
    context = browser.new_context(viewport=size, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, live_server.url, "dinas.surabaya")
    page.goto(f"{live_server.url}/pelatihan/{event.pk}/")
    for person in heads:
        page.fill("#nominate-nuptk", person.nuptk)
        press(page, "#nominate")
    assert "9 kursi di 1 kab/kota; 9 diusulkan, 0 masih terbuka" in page.inner_text("#quota-totals")
    assert page.locator("#participants tr[data-participant]").count() == 9
    shoot(page, "usulan-kabkota", width)
    context.close()
    assert Participant.objects.filter(event=event, status="nominated").count() == 9

    # The head's phone shows the check-in QR code.
    head = heads[3]
    named(user_with_role(Role.KEPALA_SEKOLAH, person=head, school=head.school), "kepala.sby")
    context = browser.new_context(viewport={"width": 390, "height": 900}, locale="id-ID")
    participant_page = context.new_page()
    participant_page.set_default_timeout(15_000)
    login(participant_page, live_server.url, "kepala.sby")
    participant_page.goto(f"{live_server.url}/pelatihan/saya/")
    qr_png = tmp_path / "qr.png"
    participant_page.locator(".checkin-qr img").screenshot(path=qr_png)
    shoot(participant_page, "saya", width)

    # The organiser starts the event; the committee's phone camera reads the code.
    camera = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={camera_file(qr_png, tmp_path / 'qr.y4m')}",
        ],
    )
    committee = camera.new_context(viewport=size, locale="id-ID", permissions=["camera"])
    page = committee.new_page()
    page.set_default_timeout(20_000)
    login(page, live_server.url, "bbgp.jatim")
    page.goto(f"{live_server.url}/pelatihan/{event.pk}/")
    press(page, "#step-start")
    assert page.inner_text("#event-status") == "Berjalan"
    sessions = list(event.sessions.all())
    page.goto(f"{live_server.url}/pelatihan/sesi/{sessions[0].pk}/presensi/")
    page.click("#scanner-start")
    page.wait_for_selector(f"#checkin-result [data-checked-in='{head.name}']")
    checkin = CheckIn.objects.get()
    assert (checkin.participant.person, checkin.method) == (head, "qr")
    shoot(page, "presensi", width)
    # The next two days, from the list.
    for session in sessions[1:3]:
        clock.set(session.date.isoformat())
        page.goto(f"{live_server.url}/pelatihan/sesi/{session.pk}/presensi/")
        press(page, f"#checkin-list tr[data-participant='{checkin.participant_id}'] button")
    assert CheckIn.objects.filter(participant=checkin.participant).count() == 3

    # The post-test, closing, and the certificates written by the background worker.
    clock.set("2026-03-22")
    page.goto(f"{live_server.url}/pelatihan/peserta/{checkin.participant_id}/")
    page.fill("#post-score", "85")
    press(page, "#scores-form button[type=submit]")
    assert "Lulus" in page.inner_text("#completion")
    page.goto(f"{live_server.url}/pelatihan/{event.pk}/")
    press(page, "#step-close")
    worker = worker_for_one_job()
    press(page, "#write-certificates")
    page.wait_for_selector("#batch-status[data-status=done]", timeout=60_000)
    worker.join(timeout=30)
    assert "1 dari 1" in page.inner_text("#batch-status")
    committee.close()
    camera.close()

    # The head downloads the certificate; its QR code opens the public verification.
    participant_page.goto(f"{live_server.url}/pelatihan/saya/")
    link = participant_page.locator("a[data-certificate]")
    assert link.get_attribute("data-certificate") == "BBGP-JATIM/2026/00001"
    pdf = context.request.get(live_server.url + link.get_attribute("href")).body()
    (tmp_path / "sertifikat.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "150",
            "-singlefile",
            str(tmp_path / "sertifikat.pdf"),
            str(tmp_path / "sertifikat"),
        ],
        check=True,
    )
    (code,) = zxingcpp.read_barcodes(Image.open(tmp_path / "sertifikat.png"))
    certificate = Certificate.objects.get()
    assert code.text == f"{live_server.url}/verifikasi/{certificate.token}/"
    context.close()
    public = browser.new_context(viewport=size, locale="id-ID")
    page = public.new_page()
    page.goto(code.text)
    text = page.inner_text("main")
    assert "Sertifikat ini asli" in text and head.name in text
    assert "19 Maret 2026" in text and head.school.name not in text and head.nuptk not in text
    shoot(page, "verifikasi", width)
    public.close()
