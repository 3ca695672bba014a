"""One KKG from eligible to closed in the browser: proposal, three reviews, selection and
decision, disbursement, five In-On-In activities with evidence, money with receipts, the
report verified and approved, and the LPJ PDF downloaded and read."""

import subprocess

import pytest

from gugus.core.roles import Role
from gugus.grants.models import Proposal
from tests.e2e.conftest import login
from tests.factories import user_with_role
from tests.grants.builders import ketua_of, ready_group
from tests.grants.conftest import open_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 256
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def named(user, username):
    user.username = username
    user.set_password("gugus-demo")
    user.save()
    return user


@pytest.fixture
def world(clock):
    offices = {
        "kabkota": named(user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71"), "dinas.kota"),
        "provinsi": named(user_with_role(Role.ADMIN_PROVINSI, province_id="34"), "dinas.diy"),
        "nasional": named(user_with_role(Role.ADMIN_PUSAT), "pusat"),
    }
    named(user_with_role(Role.PENGAWAS, regency_id="34.71"), "pengawas")
    programme = open_programme(offices["nasional"])
    group = ready_group(members=15, name="KKG SD Gugus 5 Kotagede")
    named(ketua_of(group), "ketua")
    return {"clock": clock, "programme": programme, "group": group}


def as_user(browser, base_url, username):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, base_url, username)
    return page


def press(page, selector):
    page.click(selector)
    page.wait_for_load_state()


def test_a_kkg_from_eligible_to_closed(live_server, browser, phone, world, tmp_path):
    base, clock, programme, group = (
        live_server.url,
        world["clock"],
        world["programme"],
        world["group"],
    )
    receipt = tmp_path / "nota.pdf"
    receipt.write_bytes(PDF)
    photo = tmp_path / "kelas.jpg"
    photo.write_bytes(JPEG)

    # The ketua sees the group is eligible and starts the proposal on a phone.
    login(phone, base, "ketua")
    phone.click("header >> text=Bantuan")
    phone.click(f"text={programme.name}")
    assert "Memenuhi syarat." in phone.inner_text("main")
    press(phone, "#start-proposal")
    assert "Sebelum diajukan:" in phone.inner_text("#gaps")
    proposal_url = phone.url
    for name, text in (
        ("background_current", "Nilai literasi kelas 4 rendah"),
        ("background_expected", "Guru menerapkan asesmen diagnostik"),
        ("background_solution", "In-On-In asesmen diagnostik"),
        ("goals", "Literasi membaca naik"),
        ("sustainability_plan", "Iuran anggota untuk pertemuan bulanan"),
    ):
        phone.fill(f"#background textarea[name={name}]", text)
    press(phone, "#background button[type=submit]")
    topics = phone.locator("#plan input[name$=-topic]")
    for i in range(topics.count()):
        topics.nth(i).fill(f"Asesmen diagnostik bagian {i + 1}")
        phone.locator("#plan input[name$=-facilitator]").nth(i).fill("Narasumber BBGP DIY")
        phone.locator("#plan textarea[name$=-learning_problem]").nth(i).fill(
            "Siswa kelas 4 belum memahami bacaan"
        )
        phone.locator("#plan input[name$=-expected_output]").nth(i).fill("Modul dan catatan kelas")
    press(phone, "#plan button[type=submit]")
    # The RAB per activity: each of the five has its own line, plus one for the whole grant.
    for activity, category, description, amount in (
        ("1", "honorarium", "Honor narasumber", "11.000.000"),
        ("", "penggandaan", "Penggandaan LPJ", "3.000.000"),
        *((str(seq), "transport", f"Transport {seq}", "250.000") for seq in (2, 3, 4, 5)),
    ):
        if activity == "2":
            assert "Kegiatan 2 belum memiliki baris anggaran" in phone.inner_text("#gaps")
        phone.select_option("#line-add select[name=planned]", activity)
        phone.select_option("#line-add select[name=category]", category)
        phone.fill("#line-add input[name=description]", description)
        phone.fill("#line-add input[name=amount]", amount)
        press(phone, "#line-add button[type=submit]")
    assert phone.inner_text("#budget-total") == "Rp15.000.000"
    press(phone, "#submit-proposal")
    assert phone.inner_text("#proposal-status") == "Dalam penilaian"

    # Three reviews, each by the office whose turn it is.
    for username, score in (("dinas.kota", "80"), ("dinas.diy", "85"), ("pusat", "90")):
        page = as_user(browser, base, username)
        page.goto(proposal_url)
        page.fill("#review-form input[name=score]", score)
        press(page, "#approve")
        page.context.close()
    proposal = Proposal.objects.get(group=group)
    assert proposal.status == "verified"

    # Selection, decision and disbursement by the national office.
    clock.set("2026-02-01")
    office = as_user(browser, base, "pusat")
    office.goto(f"{base}/bantuan/{programme.pk}/")
    press(office, "button[data-action=close_applications]")
    press(office, "#run-selection")
    assert "Terpilih (peringkat 1)" in office.inner_text("#proposals")
    office.fill("#decision_number", "0421/B/HK.03/2026")
    office.fill("#decision_date", "2026-02-01")
    press(office, "#issue-decision")
    assert office.inner_text("#programme-status") == "Berjalan"
    office.fill("#proposals input[name=date]", "2026-02-03")
    office.fill("#proposals input[name=reference]", "SP2D-000123")
    press(office, "#proposals button[data-action=disburse]")
    proposal.refresh_from_db()
    assert proposal.status == "funded"

    # Five activities held with attendance and evidence, each with its outcome.
    clock.set("2026-11-30")
    phone.goto(proposal_url)
    for _i in range(5):
        phone.fill(".realise input[name=place] >> nth=0", "SD Negeri Kotagede 1")
        press(phone, ".realise button >> nth=0")
    links = [phone.locator(".held-link").nth(i).get_attribute("href") for i in range(5)]
    for n, href in enumerate(links, start=1):
        phone.goto(base + href)
        on = n in (2, 4)
        if on:  # an On's register opens once its classroom evidence is in
            assert "bukti dari kelas" in phone.inner_text("#attendance-refusal")
            assert phone.locator("#attendance-form").count() == 0
        phone.select_option("select[name=kind]", "observasi" if on else "dokumen")
        phone.set_input_files("input[name=file]", str(photo if on else receipt))
        press(phone, "button:has-text('Unggah')")
        phone.goto(base + href)
        for radio in phone.locator("#attendance-form input[value=hadir]").all():
            radio.check()
        press(phone, "#attendance-form button[type=submit]")
    phone.goto(proposal_url)
    for i in range(5):
        phone.locator(".outcome textarea").nth(i).fill(
            "Siswa lebih lancar menjawab pertanyaan bacaan"
        )
        press(phone, f".outcome >> nth={i} >> button")

    # Money: spending with receipts, the unspent rest returned with its proof.
    phone.click("#money-link")
    for line, description, amount in (
        ("Honor narasumber", "Honor narasumber In 1-3", "11.000.000"),
        ("Penggandaan LPJ", "Penggandaan dan jilid LPJ", "2.750.000"),
    ):
        line_id = str(proposal.budget.get(description=line).pk)
        phone.select_option("#spend-form select[name=line]", value=line_id)
        phone.fill("#spend-form input[name=date]", "2026-11-30")
        phone.fill("#spend-form input[name=description]", description)
        phone.fill("#spend-form input[name=amount]", amount)
        phone.set_input_files("#spend-form input[name=receipt]", str(receipt))
        press(phone, "#spend-form button[type=submit]")
    assert phone.inner_text("#total-spent") == "Rp13.750.000"
    phone.fill("#return-form input[name=date]", "2026-11-30")
    phone.fill("#return-form input[name=reference]", "NTPN 8F3A21C0")
    phone.set_input_files("#return-form input[name=proof]", str(receipt))
    press(phone, "#return-form button[type=submit]")
    assert phone.inner_text("#balance") == "Rp0"

    # The report: submitted, verified by the pengawas, approved by the office.
    phone.goto(proposal_url)
    phone.fill(
        "#report-form textarea[name=outcomes]", "Rata-rata skor literasi kelas 4 naik 12 poin"
    )
    press(phone, "#submit-report")
    assert phone.inner_text("#proposal-status") == "LPJ diajukan", phone.inner_text(".messages")
    supervisor = as_user(browser, base, "pengawas")
    supervisor.goto(proposal_url)
    press(supervisor, "#verify-report button[value=approve]")
    office.goto(proposal_url)
    press(office, "#approve-report button[value=approve]")
    assert office.inner_text("#proposal-status") == "Ditutup"

    # The LPJ PDF, downloaded and opened: its pages render and its text holds the totals.
    with office.expect_download() as download:
        office.click("#lpj-pdf")
    pdf = tmp_path / "lpj.pdf"
    download.value.save_as(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "3", pdf, tmp_path / "page"], check=True
    )
    assert len(list(tmp_path.glob("page-*.png"))) == 3
    text = subprocess.run(
        ["pdftotext", "-layout", pdf, "-"], check=True, capture_output=True, text=True
    ).stdout
    assert group.name in text
    assert "Rp15.000.000" in text and "Rp13.750.000" in text and "Rp1.250.000" in text
    assert "NTPN 8F3A21C0" in text
