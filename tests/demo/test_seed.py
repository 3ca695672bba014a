"""The generator: deterministic, proportional to population, valid identifiers."""

import pytest
from django.core.management import call_command

from gugus.demo.generator import Generator, Scale
from gugus.directory.identifiers import parse_nip, validate_npsn
from gugus.directory.models import Person, Regency, School

SLICE = Scale("test", regencies=("34.71", "34.04"), fraction=0.05)


def _fingerprint():
    return (
        list(School.objects.order_by("npsn").values_list("npsn", "name", "jenjang")[:50]),
        list(Person.objects.order_by("nuptk").values_list("name", "nuptk", "nip")[:50]),
        School.objects.count(),
        Person.objects.count(),
    )


def _wipe():
    Person.subjects.through.objects.all().delete()
    Person.objects.all().delete()
    School.objects.all().delete()


@pytest.mark.django_db
def test_same_seed_gives_the_same_data_and_another_seed_other_data():
    Generator(SLICE, seed=7, log=lambda _m: None).run()
    first = _fingerprint()
    _wipe()
    Generator(SLICE, seed=7, log=lambda _m: None).run()
    assert _fingerprint() == first
    _wipe()
    Generator(SLICE, seed=8, log=lambda _m: None).run()
    assert _fingerprint() != first


@pytest.mark.django_db
def test_people_follow_population_and_identifiers_are_valid():
    Generator(
        Scale("test", regencies=("34.71", "34.04"), fraction=0.2), seed=1, log=lambda _m: None
    ).run()
    city, sleman = (Regency.objects.get(code=c) for c in ("34.71", "34.04"))
    ratio = (
        Person.objects.filter(regency=sleman).count() / Person.objects.filter(regency=city).count()
    )
    assert ratio == pytest.approx(sleman.population / city.population, rel=0.25)
    assert set(School.objects.values_list("ministry", flat=True)) == {"kemendikbud", "kemenag"}
    for npsn in School.objects.values_list("npsn", flat=True):
        validate_npsn(npsn)
    for nip, gender, birth in Person.objects.exclude(nip=None).values_list(
        "nip", "gender", "birth_date"
    ):
        assert parse_nip(nip) == (birth, gender)
    assert all(
        len(n) == 16 for n in Person.objects.exclude(nuptk=None).values_list("nuptk", flat=True)
    )
    assert Person.objects.filter(position="kepala").count() == School.objects.count()
    assert Person.objects.filter(position="pengawas", school=None).exists()


@pytest.mark.django_db
def test_seed_command_refuses_a_filled_database_unless_asked_to_skip(capsys):
    School.objects.create(
        npsn="20400001",
        name="X",
        jenjang="sd",
        ministry="kemendikbud",
        status="negeri",
        district_id="34.71.01",
        regency_id="34.71",
        province_id="34",
    )
    call_command("seed", "--scale", "demo", "--if-empty")
    assert "already loaded" in capsys.readouterr().out
    with pytest.raises(Exception, match="already holds schools"):
        call_command("seed", "--scale", "demo")
