"""Turning raw input (strings from a form or a spreadsheet, typed values from the API)
into clean values, for every app's services and importers. Each `clean_*` returns the
value and appends `(field, message)` to `errors`, so a service reports every bad field at
once."""

import datetime
import re
from decimal import Decimal

from django.apps import apps
from django.utils.translation import gettext as _

from gugus.core.formats import parse_rupiah


def clean_text(value) -> str:
    """A trimmed string; a spreadsheet's whole float (12.0) reads as 12."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def normalize_name(value: str) -> str:
    """A name or a title as one line with single spaces ("  SD  Negeri 1 " → "SD Negeri 1")."""
    return re.sub(r"\s+", " ", (value or "").strip())


def clean_choice(value, choices, field_name, errors, *, aliases=None) -> str:
    """The choice's code (labels and `aliases` folded), else an error on `field_name`."""
    text = clean_text(value).lower().replace(" ", "").replace("/", "_")
    text = (aliases or {}).get(text, text)
    valid = {c.value for c in choices}
    if text in valid:
        return text
    labels = ", ".join(str(c.label) for c in choices)
    errors.append(
        (
            field_name,
            _("Unknown value '%(value)s'; expected one of: %(labels)s.")
            % {"value": clean_text(value), "labels": labels},
        )
    )
    return ""


TRUE_WORDS = {"1", "ya", "y", "yes", "true", "benar", "v", "x"}
FALSE_WORDS = {"", "0", "tidak", "t", "no", "false", "n", "bukan"}


def clean_flag(value, field_name, errors) -> bool:
    """Yes or no, as a spreadsheet or a form writes it ('ya', 'tidak', 1, 0, TRUE)."""
    if isinstance(value, bool):
        return value
    text = clean_text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    errors.append((field_name, _("Use 'ya' or 'tidak'.")))
    return False


def clean_date(value, field_name, errors, *, required=None) -> datetime.date | None:
    """A date from a date, a spreadsheet's datetime or an ISO string; empty is None, or an
    error `required` (its message) when the field must be given."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = clean_text(value)
    if not text:
        if required:
            errors.append((field_name, required))
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        errors.append((field_name, _("Use the date format YYYY-MM-DD.")))
        return None


def clean_rupiah(value, field_name, errors, *, zero: bool = False) -> Decimal | None:
    """A whole, positive amount of rupiah (zero too when `zero`), else an error."""
    amount = parse_rupiah(value)
    if amount is not None and amount.copy_abs() >= 10**15:
        amount = None
    if amount is None or amount < 0 or (amount == 0 and not zero):
        errors.append(
            (field_name, _("Give a whole number of rupiah greater than zero, e.g. 1.500.000."))
        )
        return None
    return amount


def clean_region(province_code, regency_code, errors, *, required=None) -> tuple:
    """(province, kab/kota) from their codes: a kab/kota brings its province; a province
    alone is a province-wide scope; neither is None, None (or an error `required` on
    `regency`). Unknown codes are errors on the field that carried them."""
    regions = apps.get_app_config("directory")
    regency_code, province_code = clean_text(regency_code), clean_text(province_code)
    if regency_code:
        regency = (
            regions.get_model("Regency")
            .objects.select_related("province")
            .filter(code=regency_code)
            .first()
        )
        if regency is None:
            errors.append(
                ("regency", _("Unknown district/city code '%(code)s'.") % {"code": regency_code})
            )
            return None, None
        return regency.province, regency
    if province_code:
        province = regions.get_model("Province").objects.filter(code=province_code).first()
        if province is None:
            errors.append(
                ("province", _("Unknown province code '%(code)s'.") % {"code": province_code})
            )
        return province, None
    if required:
        errors.append(("regency", required))
    return None, None


def region_of_code(code) -> dict:
    """A single region picker's value as {"province", "regency"} codes: the kind is read
    from the region tables, never guessed from the code's length."""
    code = clean_text(code)
    regions = apps.get_app_config("directory")
    if code and regions.get_model("Regency").objects.filter(code=code).exists():
        return {"province": "", "regency": code}
    return {"province": code, "regency": ""}
