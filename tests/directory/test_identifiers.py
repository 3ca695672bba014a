"""NUPTK and NIP: their formats, and what a NIP says about its holder."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from gugus.directory.identifiers import nip_kind, parse_nip, validate_npsn, validate_nuptk


@pytest.mark.parametrize("value", ["20401234", "P9912345", "K1234567"])
def test_npsn_accepts_school_and_non_formal_forms(value):
    validate_npsn(value)


@pytest.mark.parametrize("value", ["2040123", "204012345", "X1234567", "2040123a", ""])
def test_npsn_refuses_malformed(value):
    with pytest.raises(ValidationError):
        validate_npsn(value)


def test_nuptk_needs_sixteen_digits():
    validate_nuptk("1234567890123456")
    for bad in ("123456789012345", "12345678901234567", "12345678901234ab"):
        with pytest.raises(ValidationError):
            validate_nuptk(bad)


@pytest.mark.parametrize(
    ("value", "kind", "birth", "gender"),
    [
        ("198503152010012003", "nip", datetime.date(1985, 3, 15), "P"),
        ("197001012000031001", "nip", datetime.date(1970, 1, 1), "L"),
        # NI PPPK: appointed 2021 and 2024 under contract codes 21 and 24.
        ("199204172021212005", "ni_pppk", datetime.date(1992, 4, 17), "P"),
        ("198811092024241012", "ni_pppk", datetime.date(1988, 11, 9), "L"),
    ],
)
def test_civil_servant_and_contract_numbers_both_read(value, kind, birth, gender):
    assert (nip_kind(value), parse_nip(value)) == (kind, (birth, gender))


def test_nip_yields_birth_date_and_gender():
    assert parse_nip("198503152010012003") == (datetime.date(1985, 3, 15), "P")
    assert parse_nip("197001012000031001") == (datetime.date(1970, 1, 1), "L")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("19850315201001200", "nip"),  # 17 digits
        ("198502302010012003", "nip_birth"),  # 30 February
        ("198503152010132003", "nip_appointment"),  # month 13 before PPPK existed
        ("199204172019212005", "nip_appointment"),  # a contract code in 2019
        ("198503151995012003", "nip_appointment"),  # appointed aged 9
        ("198503152010013003", "nip_gender"),  # gender digit 3
    ],
)
def test_nip_rules_each_have_their_own_message(value, code):
    with pytest.raises(ValidationError) as info:
        parse_nip(value)
    assert info.value.error_list[0].code == code
