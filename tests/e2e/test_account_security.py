"""An office user on a phone turns the second factor on by scanning the QR code the page
shows (read here with zxing-cpp, as an authenticator app would), then signs in again with
password and code; then downloads everything Gugus holds about them."""

import base64
import time
from urllib.parse import parse_qs, urlparse

import zxingcpp
from django_otp.oath import TOTP
from PIL import Image

from gugus.core.roles import Role
from tests.e2e.conftest import login
from tests.factories import user_with_role


def _code(secret: str, steps_ahead: int = 0) -> str:
    totp = TOTP(base64.b32decode(secret + "=" * (-len(secret) % 8)))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_an_office_user_scans_the_code_signs_in_with_it_and_downloads_their_data(
    live_server, phone, tmp_path, db
):
    office = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")
    office.username = "dinas"
    office.set_password("gugus-demo")
    office.save()

    login(phone, live_server.url, "dinas")
    phone.click("header >> text=Keamanan")
    phone.click("text=Siapkan faktor kedua")
    phone.locator("img.qr").screenshot(path=str(tmp_path / "qr.png"))
    (found,) = zxingcpp.read_barcodes(Image.open(tmp_path / "qr.png"))
    address = urlparse(found.text)
    assert (address.scheme, address.netloc) == ("otpauth", "totp")
    secret = parse_qs(address.query)["secret"][0]
    phone.fill("input[name=code]", _code(secret))
    phone.click("text=Aktifkan faktor kedua")
    assert "Faktor kedua aktif" in phone.inner_text(".messages")

    phone.click("header form button:has-text('Keluar')")
    phone.goto(f"{live_server.url}/masuk/")
    phone.fill("input[name=username]", "dinas")
    phone.fill("input[name=password]", "gugus-demo")
    phone.click("button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/masuk/kode/**")
    phone.fill("input[name=code]", _code(secret, 1))
    phone.click("text=Lanjutkan")
    phone.wait_for_url(f"{live_server.url}/")

    phone.goto(f"{live_server.url}/saya/semua-data/")
    with phone.expect_download() as download:
        phone.click("text=Unduh sebagai PDF")
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
