"""Formats shared by pages, exports and reports."""

from decimal import Decimal

from django.utils.formats import number_format


def rupiah(value) -> str:
    """Decimal('15000000') -> 'Rp15.000.000' (grouping follows the active language)."""
    if value is None:
        return "—"
    return "Rp" + number_format(Decimal(value).quantize(Decimal(1)), 0, force_grouping=True)
