"""The demo's grant programmes: one in every state, replayed through the real services."""

import pytest

from gugus.accounts.models import RoleAssignment
from gugus.demo.accounts import create_demo_accounts
from gugus.demo.generator import Generator, Scale
from gugus.demo.grants import create_demo_grants
from gugus.demo.groups import GroupGenerator
from gugus.grants import checks, money, selectors
from gugus.grants.eligibility import refusals
from gugus.grants.models import GrantProgramme, Proposal, Review


@pytest.fixture
def demo(db):
    Generator(Scale("test", regencies=("34.71",), fraction=0.5), seed=1, log=lambda _m: None).run()
    GroupGenerator(seed=1).run(["34.71"])
    create_demo_accounts()
    assert create_demo_grants() == 6
    assert create_demo_grants() == 0  # idempotent


def test_a_programme_in_every_state_whose_records_obey_the_rules(demo):
    assert set(GrantProgramme.objects.values_list("status", flat=True)) == {
        "open",
        "review",
        "running",
        "reporting",
        "closed",
    }
    closed = GrantProgramme.objects.get(status="closed")
    for grant in closed.proposals.filter(status="closed"):
        assert money.totals(grant).balance == 0
        grant.status = "funded"  # what the report check reads is complete
        assert checks.report_gaps(grant) == []
    assert set(closed.proposals.values_list("status", flat=True)) == {"closed", "not_selected"}
    reporting = GrantProgramme.objects.get(status="reporting", ministry="kemendikbud")
    assert set(reporting.proposals.values_list("status", flat=True)) >= {
        "closed",
        "report_verified",
        "reported",
    }
    review = GrantProgramme.objects.get(status="review")
    assert set(review.proposals.values_list("status", flat=True)) == {
        "submitted",
        "verified",
        "returned",
    }
    funded = Proposal.objects.filter(status="funded")
    assert funded.exists() and all(money.totals(p).spent > 0 for p in funded)
    rows = selectors.sustainability(closed)
    assert (
        rows[1].measured
        and rows[1].funded.groups == closed.proposals.filter(status="closed").count()
    )


def test_the_demo_ketua_can_apply_to_the_open_programme(demo):
    group = RoleAssignment.objects.get(user__username="ketua.kkg").group
    programme = GrantProgramme.objects.get(status="open")
    assert refusals(group, programme) == []
    assert not programme.proposals.filter(group=group).exists()


def test_both_ministries_fund_their_own_groups_side_by_side(demo):
    """The Dinas programmes fund school groups; the Kankemenag's funds KKG MI and MGMP MTs,
    reviewed by the Kankemenag and its LPJ verified by the madrasah supervisor."""
    kemenag = GrantProgramme.objects.get(ministry="kemenag")
    assert kemenag.regency_id == "34.71"
    for programme in GrantProgramme.objects.all():
        groups = programme.proposals.values_list("group__ministry", flat=True)
        assert set(groups) == {programme.ministry}, programme.name
    levels = set(kemenag.proposals.values_list("group__jenjang", flat=True))
    assert levels and levels <= {"mi", "mts"}
    reviewers = set(
        Review.objects.filter(proposal__programme=kemenag).values_list(
            "level", "reviewer__username"
        )
    )
    assert reviewers == {
        ("kabkota", "admin.kemenag.kotayogya"),
        ("pengawas", "pengawas.madrasah"),
        ("kantor", "admin.kemenag.kotayogya"),
    }
