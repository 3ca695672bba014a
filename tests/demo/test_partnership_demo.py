"""The demo's partnership cohorts: seed 003's two tiers and the three-tier cascade, paired
through the real services."""

import pytest

from gugus.demo.accounts import create_demo_accounts
from gugus.demo.competency import ResultGenerator
from gugus.demo.generator import Generator, Scale
from gugus.demo.groups import GroupGenerator
from gugus.demo.partnership import create_demo_cohorts
from gugus.partnership.models import Cohort, Pair


@pytest.fixture
def demo(db):
    regencies = ("34.71", "34.04", "75.71", "19.71")
    Generator(Scale("test", regencies=regencies, fraction=0.5), seed=1, log=lambda _m: None).run()
    GroupGenerator(seed=1).run(list(regencies))
    ResultGenerator(seed=1).run()
    create_demo_accounts()
    assert create_demo_cohorts() == 2
    assert create_demo_cohorts() == 0  # idempotent


def test_both_forms_of_the_partnership_are_paired_by_their_rules(demo):
    seed, cascade = Cohort.objects.order_by("pk")
    assert [t.mentees for t in seed.tiers.all()] == [2, None]
    assert [t.mentees for t in cascade.tiers.all()] == [3, 10, None]
    for cohort in (seed, cascade):
        assert cohort.status == "matched" and cohort.pairs.exists()
        for pair in Pair.objects.filter(cohort=cohort).select_related(
            "host__tier", "partner__tier"
        ):
            assert pair.host.subject_id == pair.partner.subject_id
            assert pair.partner.tier.rank == pair.host.tier.rank + 1
            assert pair.host.school_id != pair.partner.school_id
    hosts = {p.host.regency_id for p in Pair.objects.filter(cohort=seed).select_related("host")}
    partners = {
        p.partner.regency_id[:2] for p in Pair.objects.filter(cohort=seed).select_related("partner")
    }
    assert hosts == {"34.71"} and partners <= {"75", "19"}
