"""The predikat matrix of PermenPANRB 6/2022, cell by cell, and the stage order."""

import pytest

from gugus.performance import rules

MATRIX = """
            di_bawah       sesuai           di_atas
di_atas     kurang         baik             sangat_baik
sesuai      kurang         baik             baik
di_bawah    sangat_kurang  butuh_perbaikan  butuh_perbaikan
"""
HEADER, *ROWS = [line.split() for line in MATRIX.strip().splitlines()]
CELLS = [(row[0], behaviour, row[1 + n]) for row in ROWS for n, behaviour in enumerate(HEADER)]


@pytest.mark.parametrize(("results", "behaviour", "expected"), CELLS)
def test_the_predikat_of_each_of_the_nine_cells(results, behaviour, expected):
    assert rules.predikat(results, behaviour) == expected


def test_the_table_has_nine_cells_and_every_predikat():
    assert len(CELLS) == 9
    assert {c[2] for c in CELLS} == {
        "sangat_baik",
        "baik",
        "butuh_perbaikan",
        "kurang",
        "sangat_kurang",
    }


def test_each_stage_follows_the_one_before():
    assert [rules.previous_stage(k) for k in rules.STAGES] == [None, 1, 2, 3, 4]
