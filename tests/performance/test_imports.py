"""The national office keeps the catalogues by importing them; every row is checked, and
nothing is written unless every row is valid."""

import io

import pytest

from gugus.core.imports import import_file
from gugus.performance.models import PointItem, PracticeIndicator

pytestmark = pytest.mark.usefixtures("indonesian")


def upload(text: str):
    return io.BytesIO(text.encode())


def test_the_national_office_imports_practice_indicators_and_points(people):
    csv = (
        "kode,nama,rapor_pendidikan\n"
        "iklim-inklusif,Menciptakan iklim kelas inklusif,D.8 Iklim inklusivitas\n"
        "umpan-balik,Memberikan umpan balik konstruktif,D.1 Kualitas pembelajaran\n"
    )
    run = import_file(actor=people["pusat"], kind="practices", file=upload(csv), filename="i.csv")
    assert (run.status, run.created, run.updated) == ("done", 1, 1)
    assert (
        PracticeIndicator.objects.get(code="iklim-inklusif").rapor_item == "D.8 Iklim inklusivitas"
    )
    again = import_file(actor=people["pusat"], kind="practices", file=upload(csv), filename="i.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_bad_row_rejects_the_whole_file_with_row_and_column(people):
    csv = "kode,nama,poin\nmooc,Kursus daring,12\nrapat,Rapat dinas,seratus\n"
    run = import_file(actor=people["pusat"], kind="points", file=upload(csv), filename="p.csv")
    assert run.status == "rejected"
    assert run.errors == [
        {"row": 3, "column": "poin", "message": "Isi poin bulat dari 1 sampai 100."}
    ]
    assert not PointItem.objects.filter(code="mooc").exists()


def test_only_the_national_office_keeps_the_catalogue(people):
    csv = "kode,nama,poin\nmooc,Kursus daring,12\n"
    run = import_file(actor=people["office"], kind="points", file=upload(csv), filename="p.csv")
    assert run.status == "rejected"
    assert run.errors[0]["message"] == "Hanya kantor pusat yang memelihara katalog ini."
