"""`gugus seed` at scale fills every domain with rows that obey the same rules the
services enforce, and the offices' pages open on them."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import F, Sum
from django.urls import reverse

from gugus.core.roles import Ministry, Role
from gugus.grants.checks import report_gaps
from gugus.grants.models import BudgetLine, GrantProgramme, Proposal, Spending
from gugus.partnership.models import Cohort, Pair, Visit
from gugus.performance import rules
from gugus.performance.models import Plan, Stage
from gugus.training import selectors as training
from gugus.training.models import Certificate, Event
from tests.factories import user_with_role

PEKALONGAN = "33.75"


@pytest.fixture
def seeded(db, clock):
    clock.set("2026-11-26")
    call_command("seed", "--scale", "kabupaten", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_grants_stand_in_many_states_and_every_grant_accounts_for_its_money(seeded):
    states = Counter(GrantProgramme.objects.values_list("status", flat=True))
    # One kab/kota, two offices (Dinas and Kemenag), three programmes each.
    assert sum(states.values()) == 6 and len(states) >= 4
    assert set(GrantProgramme.objects.values_list("ministry", flat=True)) == set(Ministry)
    proposals = Counter(Proposal.objects.values_list("status", flat=True))
    for status in ("draft", "submitted", "verified", "funded", "reported", "closed"):
        assert proposals[status] > 0, status
    for proposal in Proposal.objects.filter(status__in=["reported", "report_verified", "closed"]):
        assert report_gaps(proposal) == [], proposal
    for proposal in Proposal.objects.filter(status__in=["funded", "reported", "closed"]):
        lines = BudgetLine.objects.filter(proposal=proposal)
        assert lines.aggregate(s=Sum("amount"))["s"] == proposal.amount
        for line in lines:
            spent = Spending.objects.filter(line=line).aggregate(s=Sum("amount"))["s"] or 0
            assert line.spent == spent <= line.amount
    # Ranked by score, the quota's best selected, the rest not.
    for programme in GrantProgramme.objects.filter(status__in=["running", "reporting", "closed"]):
        ranked = list(programme.proposals.order_by("rank"))
        assert [p.score for p in ranked] == sorted((p.score for p in ranked), reverse=True)
        assert {p.status == "not_selected" for p in ranked[: programme.quota]} == {False}
        assert {p.status for p in ranked[programme.quota :]} <= {"not_selected"}
    # A proposal's group is governed by the programme's ministry.
    assert not Proposal.objects.exclude(group__ministry=F("programme__ministry")).exists()


def test_pairs_visits_cycles_and_certificates_follow_their_rules(seeded):
    cohort = Cohort.objects.get()
    for pair in Pair.objects.select_related("host", "partner"):
        assert pair.host.score >= 72 and pair.partner.score <= 45
        assert pair.gap == pair.host.score - pair.partner.score
    if cohort.status in ("running", "closed"):
        assert Visit.objects.filter(cohort=cohort, direction="ojl").count() == (
            Pair.objects.values("host").distinct().count()
        )
    plans = Plan.objects.select_related("cycle")
    assert Counter(p.status for p in plans).keys() >= {"draft", "submitted", "agreed", "assessed"}
    for plan in plans.filter(status="assessed"):
        assert plan.predikat == rules.predikat(plan.work_results, plan.work_behaviour)
        assert Stage.objects.filter(cycle=plan.cycle, done_at__isnull=False).count() == 5
    for plan in plans.filter(status__in=["agreed", "assessed"]):
        assert plan.cycle.ratings.count() == plan.cycle.rubric.indicators.count()
    closed = Event.objects.get(status="closed")
    completed = {pk for pk, r in training.completions(closed).items() if r.completed}
    issued = set(
        Certificate.objects.filter(participant__event=closed).values_list("participant", flat=True)
    )
    assert issued == completed and issued


def test_the_offices_pages_open_on_the_seeded_rows(seeded, client):
    pages = [
        (user_with_role(Role.ADMIN_KABKOTA, regency_id=PEKALONGAN), "programme_detail",
         GrantProgramme.objects.filter(ministry="kemendikbud")),
        (user_with_role(Role.ADMIN_KABKOTA, regency_id=PEKALONGAN), "proposal_detail",
         Proposal.objects.filter(status="closed", programme__ministry="kemendikbud")),
        (user_with_role(Role.ADMIN_PROVINSI, province_id="33"), "cohort_detail",
         Cohort.objects.all()),
        (user_with_role(Role.ADMIN_PROVINSI, province_id="33"), "training_detail",
         Event.objects.all()),
        (user_with_role(Role.ADMIN_KABKOTA, regency_id=PEKALONGAN), "plan_detail",
         Plan.objects.filter(status="assessed")),
    ]  # fmt: skip
    for user, name, rows in pages:
        client.force_login(user)
        for pk in rows.values_list("pk", flat=True)[:3]:
            response = client.get(reverse(name, args=[pk]))
            assert response.status_code == 200, (name, pk)
