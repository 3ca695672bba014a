"""Validation of the identifiers users know: NPSN, NUPTK, NIP (and NI PPPK) and region
codes (DOMAIN.md §8)."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NPSN_RE = re.compile(r"^(\d{8}|[PK]\d{7})$")
NUPTK_RE = re.compile(r"^\d{16}$")
NIP_RE = re.compile(r"^\d{18}$")


def validate_npsn(value: str) -> None:
    if not NPSN_RE.match(value or ""):
        raise ValidationError(
            _("NPSN must be 8 digits (or P/K followed by 7 digits for non-formal units)."),
            code="npsn",
        )


def validate_nuptk(value: str) -> None:
    if not NUPTK_RE.match(value or ""):
        raise ValidationError(_("NUPTK must be exactly 16 digits."), code="nuptk")


# Contract civil servants (PPPK) exist since 2021; their number has a contract code
# (21, 24, ...) where a NIP has the appointment month.
PPPK_SINCE = 2021


def nip_kind(value: str) -> str:
    """ "nip" for a civil servant's NIP, "ni_pppk" for a contract teacher's NI PPPK (both
    18 digits; digits 13-14 are a month in a NIP and a contract code above 12 in an NI
    PPPK appointed from 2021)."""
    code = int(value[12:14])
    return "ni_pppk" if code > 12 and int(value[8:12]) >= PPPK_SINCE else "nip"


def parse_nip(value: str) -> tuple[datetime.date, str]:
    """Birth date and gender ('L'/'P') encoded in a NIP or an NI PPPK; ValidationError
    when malformed.

    NIP layout: birth date YYYYMMDD, appointment YYYYMM, gender digit 1/2, serial NNN.
    NI PPPK: birth date YYYYMMDD, appointment year YYYY, contract code NN, gender, serial.
    """
    if not NIP_RE.match(value or ""):
        raise ValidationError(_("NIP must be exactly 18 digits."), code="nip")
    try:
        birth = datetime.date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise ValidationError(
            _("NIP digits 1-8 must be a valid birth date (YYYYMMDD)."), code="nip_birth"
        ) from None
    year, month = int(value[8:12]), int(value[12:14])
    valid_middle = 1 <= month <= 12 or nip_kind(value) == "ni_pppk"
    if not valid_middle or year < birth.year + 17:
        raise ValidationError(
            _(
                "NIP digits 9-14 must be an appointment year and month after the 17th birthday "
                "(for an NI PPPK: a year from 2021 and the contract code)."
            ),
            code="nip_appointment",
        )
    if value[14] not in "12":
        raise ValidationError(_("NIP digit 15 must be 1 (male) or 2 (female)."), code="nip_gender")
    return birth, "L" if value[14] == "1" else "P"


def validate_nip(value: str) -> None:
    parse_nip(value)
