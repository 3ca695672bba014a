"""HTML and script typed into text fields come back as text everywhere: on the pages, in
the workbooks (a formula stays text) and in the PDFs."""

import io
import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gugus.core.roles import Role
from gugus.privacy.documents import own_data_pdf
from gugus.privacy.selectors import own_data
from tests.factories import GroupFactory, PersonFactory, member, user_with_role

pytestmark = pytest.mark.usefixtures("indonesian")
SCRIPT = '<script>alert("gugus")</script>'
IMAGE = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://contoh.test","klik")'


@pytest.fixture
def hostile(yogya_school):
    person = PersonFactory(name=f"Siti {IMAGE}", school=yogya_school)
    group = GroupFactory(name=f"KKG {SCRIPT}")
    GroupFactory(name=FORMULA)
    member(group, person)
    office = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")
    return {"person": person, "group": group, "office": office}


def test_pages_show_markup_as_text(client, hostile):
    client.force_login(hostile["office"])
    for url in (
        f"/kelompok/{hostile['group'].pk}/",
        "/kelompok/",
        f"/ptk/{hostile['person'].pk}/",
        "/ptk/",
    ):
        body = client.get(url).content.decode()
        assert SCRIPT not in body and IMAGE not in body, url
        assert "&lt;script&gt;" in body or "&lt;img" in body, url


def test_workbooks_keep_markup_and_formulas_as_text(client, hostile):
    client.force_login(hostile["office"])
    groups = load_workbook(io.BytesIO(client.get("/kelompok/ekspor.xlsx").content))
    cells = [c for row in groups.active.iter_rows() for c in row if c.value]
    assert f"KKG {SCRIPT}" in [c.value for c in cells]
    assert [c for c in cells if c.data_type == "f"] == []
    assert FORMULA in [c.value for c in cells]  # kept whole, as text
    people = load_workbook(io.BytesIO(client.get("/ptk/ekspor.xlsx").content))
    values = [c.value for row in people.active.iter_rows() for c in row]
    assert f"Siti {IMAGE}" in values


def test_pdfs_print_markup_as_text(hostile):
    data = own_data(person=hostile["person"])

    pdf = own_data_pdf(data).body

    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert IMAGE in " ".join(text.split())


PACKAGE = Path(__file__).resolve().parents[2] / "src" / "gugus"
# The only places output is not escaped by Django: a plain-text e-mail, and format_html,
# which escapes what it is given.
UNESCAPED = {"templates/registration/password_reset_email.html"}


def test_nothing_turns_escaping_off_outside_the_known_places():
    found = set()
    for path in PACKAGE.rglob("*"):
        if path.suffix not in (".html", ".py", ".txt") or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\|safe\b|autoescape off|mark_safe\(|SafeString\(", text):
            found.add(str(path.relative_to(PACKAGE)))
    assert found == UNESCAPED
