"""The demo's performance management: the demo school's teachers over every step of the
semester, the previous one assessed, and the head's plan with the pengawas."""

import pytest

from gugus.demo.accounts import create_demo_accounts
from gugus.demo.generator import Generator, Scale
from gugus.demo.groups import GroupGenerator
from gugus.demo.performance import create_demo_performance
from gugus.performance import selectors, services
from gugus.performance.models import Plan


@pytest.fixture
def demo(db, clock):
    clock.set("2026-11-26")
    regencies = ("34.71",)
    Generator(Scale("test", regencies=regencies, fraction=1.0), seed=1, log=lambda _m: None).run()
    GroupGenerator(seed=1).run(list(regencies))
    create_demo_accounts()
    assert create_demo_performance() > 0
    assert create_demo_performance() == 0  # idempotent


def test_the_demo_school_shows_every_step_and_an_assessed_semester(demo):
    current = services.period_for()
    plans = list(Plan.objects.filter(period=current, role="guru"))
    positions = {selectors.position_of(p) for p in plans}
    assert {"draft", "submitted", "returned", "stage1", "stage2", "stage5"} <= positions
    assert len(plans) >= 8
    previous = Plan.objects.exclude(period=current)
    assert previous.exists() and all(p.status == "assessed" and p.predikat for p in previous)
    head_plan = Plan.objects.get(period=current, role="kepala")
    assert head_plan.agreed_by.username == "pengawas"
    assert selectors.position_of(head_plan) == "stage3"
