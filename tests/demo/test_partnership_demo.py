"""The demo's partnership cohorts: seed 003's two tiers and the three-tier cascade, paired
through the real services."""

import pytest
from django.urls import reverse

from gugus.accounts.models import User
from gugus.demo.accounts import create_demo_accounts
from gugus.demo.competency import ResultGenerator
from gugus.demo.generator import Generator, Scale
from gugus.demo.groups import GroupGenerator
from gugus.demo.partnership import create_demo_cohorts
from gugus.partnership.models import ActionPlan, Cohort, Pair, Visit, VisitAttendance


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
    assert (seed.status, cascade.status) == ("running", "matched")
    for cohort in (seed, cascade):
        assert cohort.pairs.exists()
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


def test_the_seed_cohort_reproduces_seed_003_with_its_ojl_held(demo, client):
    seed = Cohort.objects.order_by("pk").first()
    pairs = Pair.objects.filter(cohort=seed).select_related("host", "partner")
    hosts = {p.host for p in pairs}
    assert len(hosts) == 8 and len({h.school_id for h in hosts}) == 5
    assert pairs.count() == 16 and {h.regency_id for h in hosts} == {"34.71"}
    assert all(p.partner.regency_id[:2] in {"75", "19"} for p in pairs)
    assert seed.status == "running" and seed.ojl_days == 7
    ojl = Visit.objects.filter(cohort=seed, direction="ojl")
    assert ojl.count() == 8 and Visit.objects.filter(cohort=seed, direction="return").count() == 16
    assert VisitAttendance.objects.filter(visit__in=ojl).values("day").distinct().count() == 7
    assert ActionPlan.objects.filter(participant__cohort=seed).count() == 16
    mitra2 = User.objects.get(username="guru.mitra2")
    client.force_login(mitra2)
    page = client.get(reverse("my_partnership")).content.decode()
    host = Pair.objects.get(partner__person=mitra2.person).host
    assert host.person.name in page and 'id="no-visits"' not in page
