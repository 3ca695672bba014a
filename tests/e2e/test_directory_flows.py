"""Browser flows a user notices: correcting one's own data, importing a spreadsheet,
filtering lists with htmx, and pages light enough for a phone on a slow network."""

import re

import pytest

from gugus.core.roles import Role
from gugus.directory.models import Person, Regency, School
from tests.e2e.conftest import login
from tests.factories import PersonFactory, SchoolFactory, user_with_role

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def _login_user(username, role, person=None, **scope):
    user = user_with_role(role, person=person, **scope)
    user.username = username
    user.set_password("gugus-demo")
    user.save()
    return user


@pytest.fixture
def people(db):
    """A school in Kota Yogyakarta with 31 people, its teacher "siti" and the office "dinas"."""
    school = SchoolFactory()
    teacher = PersonFactory(school=school, name="Siti Aminh", gender="P")
    for i in range(30):
        PersonFactory(school=school, name=f"Rekan {i:02d}")
    _login_user("siti", Role.GURU, person=teacher, school=school)
    _login_user("dinas", Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.71"))
    return {"school": school, "teacher": teacher}


def test_teacher_asks_for_a_correction_and_the_office_approves_it(
    live_server, phone, people, tmp_path
):
    login(phone, live_server.url, "siti")
    phone.click("text=Data saya")
    phone.click("text=Ada yang salah? Ajukan perbaikan data")
    phone.fill("input[name=name]", "Siti Aminah, S.Pd.")
    phone.fill("textarea[name=reason]", "Nama salah ketik dan gelar belum tercatat.")
    evidence = tmp_path / "ijazah.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%bukti\n")
    phone.set_input_files("input[name=evidence]", str(evidence))
    phone.click("text=Kirim permohonan")
    assert "Permohonan Anda telah dikirim" in phone.inner_text(".messages")
    assert "Menunggu pemeriksaan" in phone.inner_text("table")
    phone.click("header form button:has-text('Keluar')")

    login(phone, live_server.url, "dinas")
    phone.click("text=Perbaikan data")
    phone.click("tbody a")
    assert "Siti Aminah, S.Pd." in phone.inner_text("table")
    with phone.expect_download() as download:
        phone.click("main >> text=Unduh")
    assert re.fullmatch(r"bukti-koreksi-\d+\.pdf", download.value.suggested_filename)
    phone.check("input[name=approve][value='1']")
    phone.click("text=Simpan keputusan")
    assert "Keputusan telah dicatat" in phone.inner_text(".messages")
    assert Person.objects.get(pk=people["teacher"].pk).name == "Siti Aminah, S.Pd."


def test_office_imports_a_file_sees_row_errors_then_fixes_it(live_server, phone, people, tmp_path):
    login(phone, live_server.url, "dinas")
    phone.click("text=Impor")
    bad = tmp_path / "sekolah.csv"
    bad.write_text(
        "npsn;nama;jenjang;status;kode_kecamatan\n"
        "20409001;SD Negeri 9 Mantrijeron;SD;negeri;34.71.01\n"
        "2040900;SMP Negeri 9;SMP;negeri;34.71.01\n",
        encoding="utf-8",
    )
    phone.select_option("select[name=kind]", "schools")
    phone.set_input_files("input[name=file]", str(bad))
    phone.click("text=Periksa dan impor")
    assert "Ditolak" in phone.inner_text("#import-status")
    assert "3\tnpsn\tNPSN harus 8 digit" in phone.inner_text("#import-errors")
    assert not School.objects.filter(npsn="20409001").exists()
    good = tmp_path / "sekolah-baik.csv"
    good.write_text(bad.read_text().replace("2040900;", "20409002;"), encoding="utf-8")
    phone.click("text=Impor berkas lain")
    phone.select_option("select[name=kind]", "schools")
    phone.set_input_files("input[name=file]", str(good))
    phone.click("text=Periksa dan impor")
    assert "Berhasil diimpor" in phone.inner_text("#import-status")
    assert School.objects.filter(npsn__in=["20409001", "20409002"]).count() == 2


def test_people_list_filters_as_you_type_and_pages_stay_light(live_server, phone, people):
    login(phone, live_server.url, "dinas")
    sizes = []
    phone.on("response", lambda r: sizes.append(len(r.body())) if r.ok else None)
    phone.goto(f"{live_server.url}/ptk/")
    assert sum(sizes) < 200_000  # the whole page with its stylesheet and script
    assert phone.locator("#results tbody tr").count() == 25
    with phone.expect_response(lambda r: "/ptk/?" in r.url):
        phone.fill("input[name=q]", "rekan 0")
    phone.wait_for_function("document.querySelectorAll('#results tbody tr').length === 10")
    assert "q=rekan%200" in phone.url  # the filtered list has its own address
