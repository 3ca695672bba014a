"""Formats shared by pages, exports and reports."""

import re
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format


def rupiah(value) -> str:
    """Decimal('15000000') -> 'Rp15.000.000' (grouping follows the active language)."""
    if value is None:
        return "—"
    return "Rp" + number_format(Decimal(value).quantize(Decimal(1)), 0, force_grouping=True)


# Whole rupiah, with or without thousands separators: 3000000, 3.000.000, 3,000,000.
RUPIAH_RE = re.compile(r"\d+|\d{1,3}(\.\d{3})+|\d{1,3}(,\d{3})+")


def parse_rupiah(raw) -> Decimal | None:
    """A whole number of rupiah from a form, a spreadsheet or the API, or None when it is
    not one. A decimal part is refused, never read as more digits: "100000.0" is not a
    million, and 100000.5 is not an amount of rupiah."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float | Decimal):
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            return None
        return value if value.is_finite() and value == value.to_integral_value() else None
    text = str(raw or "").strip().replace("\xa0", "").replace(" ", "")
    if text[:2].lower() == "rp":
        text = text[2:]
    if not RUPIAH_RE.fullmatch(text):
        return None
    return Decimal(text.replace(".", "").replace(",", ""))
