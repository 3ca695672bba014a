"""`make prod` as its users meet it: nginx in front with TLS, static files from disk,
gunicorn behind it in production mode on PostgreSQL, and the background worker running
the jobs; then a short deadline day against the whole stack."""

import json
import ssl
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from openpyxl import Workbook
from playwright.sync_api import sync_playwright

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.prod.conftest import ROOT


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(stack, url, **headers):
    """One request, redirects not followed, the stack's certificate trusted."""
    context = ssl.create_default_context(cafile=str(stack.certificate))
    opener = urllib.request.build_opener(_NoRedirect, urllib.request.HTTPSHandler(context=context))
    try:
        return opener.open(urllib.request.Request(url, headers=headers), timeout=20)
    except urllib.error.HTTPError as response:
        return response


def test_plain_http_moves_to_https_but_the_health_check(stack):
    moved = fetch(stack, f"{stack.http_url}/masuk/?next=/")
    assert moved.status == 301
    assert moved.headers["Location"] == f"{stack.url}/masuk/?next=/"
    assert fetch(stack, f"{stack.http_url}/healthz").status == 200


def test_pages_carry_productions_headers_and_secure_cookies(stack):
    page = fetch(stack, f"{stack.url}/masuk/")
    assert page.status == 200
    assert page.headers["Server"] == "nginx"  # no version told
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    cookie = page.headers["Set-Cookie"]
    assert cookie.startswith("csrftoken=") and "Secure" in cookie
    # Production mode: a missing page is the plain 404 page, never Django's debug page.
    missing = fetch(stack, f"{stack.url}/tidak-ada/")
    assert missing.status == 404 and b"URLconf" not in missing.read()


def test_nginx_serves_the_fingerprinted_static_files_and_never_the_uploads(stack):
    html = fetch(stack, f"{stack.url}/masuk/").read().decode()
    css = html.split('href="/static/', 1)[1].split('"', 1)[0]
    assert css.startswith("gugus/gugus.") and css.endswith(".css")  # fingerprinted
    static = fetch(stack, f"{stack.url}/static/{css}", **{"Accept-Encoding": "gzip"})
    assert static.status == 200
    assert static.headers["Content-Encoding"] == "gzip"  # the pre-compressed copy
    assert "immutable" in static.headers["Cache-Control"]
    assert "Content-Security-Policy" not in static.headers  # not from Django
    assert fetch(stack, f"{stack.url}/media/anything.pdf").status == 404


@pytest.mark.browser
def test_an_office_imports_ukg_results_that_the_worker_writes(stack, tmp_path):
    """Through nginx over TLS in Chromium: sign in, upload, and the stack's own worker
    (not a test thread) runs the import; the map shows its mean."""
    data = stack.prepare("office")
    book = Workbook()
    book.active.append(["NUPTK", "Nilai Akhir", "Pedagogik", "Profesional"])
    for nuptk, score in zip(data["nuptk"], ["60", "70", "80", "90"], strict=True):
        book.active.append([nuptk, score, score, score])
    path = tmp_path / "hasil-ukg.xlsx"
    book.save(path)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(
            ignore_https_errors=True, locale="id-ID", viewport={"width": 390, "height": 800}
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        refused = []
        page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m))
        page.goto(f"{stack.http_url}/masuk/")  # plain HTTP moves to HTTPS
        assert page.url.startswith(f"{stack.url}/masuk/")
        page.fill("input[name=username]", data["username"])
        page.fill("input[name=password]", data["password"])
        page.click("button[type=submit]")
        page.wait_for_url(f"{stack.url}/")
        session = next(c for c in context.cookies() if c["name"] == "sessionid")
        assert session["secure"] and session["httpOnly"]
        # The style sheet came from nginx and applies: the header is laid out by it.
        assert page.evaluate("getComputedStyle(document.body).margin") == "0px"

        page.goto(f"{stack.url}/ukg/impor/")
        page.select_option("#id_event", label=data["event"])
        page.set_input_files("#id_file", str(path))
        page.click("#ukg-upload button[type=submit]")
        page.wait_for_selector("#job-counts", timeout=60_000)
        assert page.inner_text("#job-status") == "Berhasil diimpor"
        page.goto(f"{stack.url}/kompetensi/?ukg={data['event_code']}")
        assert page.inner_text("#mean") == "75,00"
        browser.close()
    assert not refused
    assert stack.prepare("results", str(data["event_id"])) == {"results": 4}


def test_deadline_day_through_nginx_has_no_errors(stack, tmp_path):
    """The deadline-day load (bench/deadline.py) against the stack, short: every head's
    read and submit answered, none refused or failed."""
    out = tmp_path / "deadline.json"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "deadline.py"),
            "--target",
            stack.url,
            "--ca",
            str(stack.certificate),
            "--users",
            "30",
            "--seconds",
            "15",
            "--paces",
            "2",
            "--out",
            str(out),
        ],
        env=stack.env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    run = json.loads(out.read_text())["runs"][0]
    assert set(run["paths"]) == {
        "observation: read",
        "observation-submit",
        "assessment: read",
        "assessment-submit",
    }
    for name, path in run["paths"].items():
        assert path["requests"] > 0 and path["failures"] == 0, (name, path)
    assert run["trivial"]["failures"] == 0
