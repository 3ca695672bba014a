"""The Rapor Pendidikan import: the documented sample loads; bad rows are named by row and
column in Indonesian and nothing is written; the office keeps to its schools; a second
import of the same file changes nothing; the impact page states its method and says when
there is not enough data."""

import io
from pathlib import Path

import pytest

from gugus.core.imports import import_file
from gugus.core.models import AuditEntry, ChangedPlace
from gugus.core.roles import Role
from gugus.demo.outcomes import YEARS, create_demo_outcomes
from gugus.directory.models import Province, Regency
from gugus.insights.models import SchoolOutcome
from tests.factories import SchoolFactory, user_with_role

pytestmark = pytest.mark.usefixtures("indonesian")
SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "rapor-pendidikan.csv"


def _run(user, text: str, name="rapor.csv"):
    return import_file(actor=user, kind="outcomes", file=io.BytesIO(text.encode()), filename=name)


@pytest.fixture
def office(db):
    return user_with_role(Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.71"))


def test_the_documented_sample_loads(office):
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    for npsn in {line.split(";")[0] for line in lines[1:]}:
        SchoolFactory(npsn=npsn)
    run = _run(office, "\n".join(lines))
    assert (run.status, run.created, run.error_count) == ("done", len(lines) - 1, 0)
    first = lines[1].split(";")
    outcome = SchoolOutcome.objects.get(school__npsn=first[0], year=int(first[1]))
    assert str(outcome.literacy) == first[2].replace(",", ".")
    assert (
        AuditEntry.objects.filter(source="import", target_type="directory.school").count()
        == len(lines) - 1
    )
    assert ChangedPlace.objects.filter(scope="K:34.71").exists()
    again = _run(office, "\n".join(lines))
    assert (again.created, again.updated) == (0, len(lines) - 1)
    assert SchoolOutcome.objects.count() == len(lines) - 1


def test_bad_rows_are_named_and_nothing_is_written(office):
    school = SchoolFactory()
    text = (
        "NPSN;Tahun;Literasi;Numerasi\n"
        f"{school.npsn};2025;61,5;50\n"
        f"{school.npsn};2026;120;50\n"
        "1234;2026;50;50\n"
        f"{school.npsn};1990;;\n"
        f"{school.npsn};2025;60;60\n"
    )
    run = _run(office, text)
    assert run.status == "rejected"
    errors = {(e["row"], e["column"]): e["message"] for e in run.errors}
    assert errors[(3, "Literasi")] == "Indeks berupa angka 0 sampai 100."
    assert errors[(4, "NPSN")] == "NPSN terdiri dari 8 angka."
    assert errors[(5, "Tahun")] == "Tahun harus antara 2015 dan 2100."
    assert errors[(5, "Literasi")] == "Baris ini tidak berisi indeks apa pun."
    assert errors[(6, "NPSN")] == "Sekolah dan tahun ini muncul lebih dari sekali dalam berkas."
    assert not SchoolOutcome.objects.exists()


def test_an_office_writes_only_its_own_schools(office, sleman_school):
    run = _run(office, f"npsn,tahun,literasi\n{sleman_school.npsn},2025,60\n")
    assert run.status == "rejected"
    assert "di luar wilayah Anda" in run.errors[0]["message"]
    madrasah = SchoolFactory(jenjang="mi", ministry="kemenag")
    run = _run(office, f"npsn,tahun,literasi\n{madrasah.npsn},2025,60\n")
    assert "kementerian lain" in run.errors[0]["message"]
    assert not SchoolOutcome.objects.exists()


def test_the_impact_page_states_its_method_and_when_data_is_short(client, office):
    schools = SchoolFactory.create_batch(4)
    for school in schools:
        SchoolOutcome.objects.create(school=school, year=2024, literacy=50)
        SchoolOutcome.objects.create(school=school, year=2026, literacy=55)
    province = user_with_role(Role.ADMIN_PROVINSI, province=Province.objects.get(code="34"))
    client.force_login(province)
    html = client.get("/dasbor/P:34/dampak/?program=training&indeks=literacy").content.decode()
    assert "Data tidak cukup" in html
    assert "Selisih dari selisih" in html and "interval kepercayaan 95%" in html
    assert '<option value="2024" selected>' in html and '<option value="2026" selected>' in html
    client.force_login(office)
    assert client.get("/dasbor/P:34/dampak/").status_code == 404


def test_the_demo_outcomes_cover_every_tested_school_for_three_years(db, yogya_school):
    SchoolFactory(jenjang="paud_tk")
    assert create_demo_outcomes() == len(YEARS)  # the kindergarten is not tested
    assert set(SchoolOutcome.objects.values_list("year", flat=True)) == set(YEARS)
    assert ChangedPlace.objects.filter(scope="*").exists()
    assert create_demo_outcomes() == 0
