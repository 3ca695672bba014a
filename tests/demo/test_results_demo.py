"""The demo's UKG results: every teacher tested, around the real averages, varying by
province, with the maps computed."""

import pytest

from gugus.competency.models import Result, Rollup
from gugus.demo.competency import ResultGenerator
from gugus.demo.generator import Generator, Scale
from gugus.directory.models import Person


@pytest.mark.django_db
def test_results_around_the_real_figures_by_province():
    Generator(
        Scale("test", regencies=("34.71", "75.71"), fraction=0.3), seed=2, log=lambda _m: None
    ).run()
    assert ResultGenerator(seed=2).run() > 0
    teachers = Person.objects.filter(position__in=["guru", "kepala"]).count()
    tested = Result.objects.filter(event__code="ukg-2015").values("person").distinct().count()
    assert 0.85 * teachers <= tested <= teachers

    def mean(province, code="ukg-2015", component="total"):
        return Rollup.objects.get(
            event__code=code,
            level="provinsi",
            key=province,
            component=component,
            subject="",
            jenjang="",
        ).mean

    assert 59 <= mean("34") <= 66  # DI Yogyakarta, 62.58 in 2015
    assert 46 <= mean("75") <= 55  # Gorontalo, below the national 53.02
    assert mean("34", component="pedagogik") < mean("34", component="profesional")
    assert mean("34", code="ukg-2024") > mean("34")  # progress towards 70
    assert Result.objects.filter(event__code="ukg-2024", group_a__isnull=False).exists()
