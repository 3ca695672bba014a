"""A semester from plan to predikat: the 32 points, the windows and their extension, the
five stages in order, the observation against the cycle's own rubric version, the rating
and the assessment, and no save lost to another's."""

import datetime

import pytest

from gugus.core.access import visible
from gugus.core.errors import Conflict, DomainError, FieldErrors, Forbidden, NotFound
from gugus.core.models import AuditEntry
from gugus.performance import selectors, services
from gugus.performance.models import Plan, Rubric, RubricIndicator, Stage
from tests.performance.conftest import FULL_PLAN, agreed_plan

pytestmark = pytest.mark.usefixtures("indonesian")


def test_a_plan_needs_a_practice_indicator_and_32_points(people):
    teacher = people["teacher_user"]
    plan = services.plan_open(actor=teacher, person=people["guru"])
    assert (plan.role, plan.status, str(plan.period)) == ("guru", "draft", "2026/1")
    services.plan_save(
        actor=teacher, plan=plan, data={"items": [{"item": "in-on-in"}, {"item": "narasumber"}]}
    )
    with pytest.raises(FieldErrors) as refused:
        services.plan_submit(actor=teacher, plan=plan)
    assert refused.value.details == [
        {"field": "practice", "message": "Pilih indikator praktik."},
        {
            "field": "items",
            "message": "Pengembangan kompetensi berjumlah 24 poin; satu semester perlu 32.",
        },
    ]
    with pytest.raises(FieldErrors):
        services.plan_save(actor=teacher, plan=plan, data={"items": [{"item": "tidak-ada"}]})
    services.plan_save(actor=teacher, plan=plan, data=FULL_PLAN)
    assert services.plan_points(plan) == 40
    plan = services.plan_submit(actor=teacher, plan=plan)
    assert plan.status == "submitted"
    with pytest.raises(DomainError) as refused:
        services.plan_save(actor=teacher, plan=plan, data={"duties": "x"})
    assert refused.value.code == "plan_locked"


def test_the_head_agrees_or_returns_and_the_teacher_cannot_agree_their_own(people):
    teacher, head = people["teacher_user"], people["head_user"]
    plan = services.plan_open(actor=teacher, person=people["guru"])
    services.plan_save(actor=teacher, plan=plan, data=FULL_PLAN)
    services.plan_submit(actor=teacher, plan=plan)
    with pytest.raises(Forbidden):
        services.plan_review(actor=teacher, plan=plan, agree=True)
    with pytest.raises(NotFound):
        services.plan_review(actor=people["other_head_user"], plan=plan, agree=True)
    with pytest.raises(FieldErrors):
        services.plan_review(actor=head, plan=plan, agree=False)
    plan = services.plan_review(actor=head, plan=plan, agree=False, comments="Tambah JP")
    assert (plan.status, plan.comments) == ("returned", "Tambah JP")
    services.plan_submit(actor=teacher, plan=plan)
    plan = services.plan_review(actor=head, plan=plan, agree=True)
    assert plan.status == "agreed" and plan.agreed_by == head
    assert list(plan.cycle.stages.values_list("kind", flat=True)) == [1, 2, 3, 4, 5]
    assert plan.cycle.ratings.count() == 8


def test_a_head_s_plan_is_agreed_by_a_supervisor_of_the_school_s_ministry(people):
    head = people["head_user"]
    plan = services.plan_open(actor=head, person=people["head"])
    assert plan.role == "kepala"
    services.plan_save(actor=head, plan=plan, data=FULL_PLAN)
    services.plan_submit(actor=head, plan=plan)
    with pytest.raises(Forbidden):
        services.plan_review(actor=head, plan=plan, agree=True)
    with pytest.raises(NotFound):
        services.plan_review(actor=people["pengawas_kemenag"], plan=plan, agree=True)
    plan = services.plan_review(actor=people["pengawas"], plan=plan, agree=True)
    assert plan.status == "agreed"


def test_windows_refuse_outside_their_dates_and_an_extension_opens_them(people):
    teacher, clock = people["teacher_user"], people["clock"]
    plan = services.plan_open(actor=teacher, person=people["guru"])
    clock.set("2026-03-10")
    with pytest.raises(DomainError) as refused:
        services.plan_save(actor=teacher, plan=plan, data=FULL_PLAN)
    assert refused.value.message == "Jendela perencanaan ditutup pada 28-02-2026."
    with pytest.raises(Forbidden):
        services.period_extend(
            actor=people["office"], period=plan.period, window="plan", until="2026-03-31"
        )
    with pytest.raises(FieldErrors):
        services.period_extend(
            actor=people["pusat"], period=plan.period, window="plan", until="2026-02-01"
        )
    services.period_extend(
        actor=people["pusat"], period=plan.period, window="plan", until="2026-03-31"
    )
    services.plan_save(actor=teacher, plan=plan, data=FULL_PLAN)
    assert AuditEntry.objects.filter(action="extend", target_type="performance.period").exists()
    clock.set("2026-06-20")
    assert services.window_refusal(plan.period, "assess") is None
    assert services.window_refusal(plan.period, "run").code == "window_closed"


def test_the_five_stages_run_in_order_and_the_page_can_say_why(people):
    plan = agreed_plan(people)
    teacher, head = people["teacher_user"], people["head_user"]
    stages = {s.kind: s for s in plan.cycle.stages.all()}
    with pytest.raises(DomainError) as refused:
        services.stage_record(actor=head, stage=stages[2], data={"done": True})
    assert refused.value.code == "stage_order"
    assert "Diskusi persiapan" in refused.value.message
    services.stage_record(
        actor=teacher, stage=stages[1], data={"notes": "Tujuan: umpan balik", "done": True}
    )
    with pytest.raises(DomainError) as refused:
        services.stage_record(actor=head, stage=stages[2], data={"done": True})
    assert refused.value.code == "observation_incomplete"
    indicators = list(plan.cycle.rubric.indicators.values_list("pk", flat=True))
    services.observation_save(
        actor=head,
        cycle=plan.cycle,
        ratings={pk: {"rating": "efektif", "evidence": "Murid bertanya"} for pk in indicators},
        recommendation="Perbanyak pertanyaan terbuka",
    )
    with pytest.raises(Forbidden):
        services.observation_save(
            actor=teacher, cycle=plan.cycle, ratings={indicators[0]: {"rating": "belum"}}
        )
    for kind in (2, 3, 4, 5):
        services.stage_record(actor=head, stage=stages[kind], data={"done": True})
    assert not Stage.objects.filter(cycle=plan.cycle, done_at__isnull=True).exists()


def run_cycle(people, plan):
    head = people["head_user"]
    stages = {s.kind: s for s in plan.cycle.stages.all()}
    services.stage_record(actor=head, stage=stages[1], data={"done": True})
    services.observation_save(
        actor=head,
        cycle=plan.cycle,
        ratings={i.pk: {"rating": "efektif"} for i in plan.cycle.rubric.indicators.all()},
    )
    for kind in (2, 3, 4, 5):
        services.stage_record(actor=head, stage=stages[kind], data={"done": True})
    return services.cycle_rate(actor=head, cycle=plan.cycle, reflect=3, learn=2, change="2")


def test_a_cycle_keeps_the_rubric_version_it_started_with(people):
    first = agreed_plan(people)
    old = first.cycle.rubric
    newer = Rubric.objects.create(version="2027.1", name="Rubrik baru")
    RubricIndicator.objects.create(rubric=newer, position=1, area="pembelajaran", name="Baru")
    first.cycle.refresh_from_db()
    assert first.cycle.rubric == old and first.cycle.ratings.count() == 8
    services.stage_record(
        actor=people["head_user"], stage=first.cycle.stages.get(kind=1), data={"done": True}
    )
    with pytest.raises(FieldErrors) as refused:
        services.observation_save(
            actor=people["head_user"],
            cycle=first.cycle,
            ratings={newer.indicators.get().pk: {"rating": "efektif"}},
        )
    assert refused.value.code == "invalid"
    head_plan = services.plan_open(actor=people["head_user"], person=people["head"])
    services.plan_save(actor=people["head_user"], plan=head_plan, data=FULL_PLAN)
    services.plan_submit(actor=people["head_user"], plan=head_plan)
    head_plan = services.plan_review(actor=people["pengawas"], plan=head_plan, agree=True)
    assert head_plan.cycle.rubric == newer and head_plan.cycle.ratings.count() == 1


def test_a_stale_save_is_a_conflict_showing_both_versions(people):
    plan = agreed_plan(people)
    head = people["head_user"]
    cycle = plan.cycle
    indicator = cycle.rubric.indicators.first().pk
    seen = cycle.version
    services.stage_record(
        actor=head, stage=cycle.stages.get(kind=1), data={"done": True}, version=seen
    )
    with pytest.raises(Conflict) as clash:
        services.observation_save(
            actor=head, cycle=cycle, ratings={indicator: {"rating": "belum"}}, version=seen
        )
    assert clash.value.status == 409
    assert clash.value.details[0]["yours"] == "belum"
    assert cycle.ratings.get(indicator_id=indicator).rating == ""  # nothing overwritten
    cycle.refresh_from_db()
    services.observation_save(
        actor=head, cycle=cycle, ratings={indicator: {"rating": "belum"}}, version=cycle.version
    )
    draft = services.plan_open(actor=people["head_user"], person=people["head"])
    services.plan_save(actor=people["head_user"], plan=draft, data={"duties": "A"}, version=1)
    with pytest.raises(Conflict) as clash:
        services.plan_save(actor=people["head_user"], plan=draft, data={"duties": "B"}, version=1)
    assert clash.value.details == [
        {
            "field": "duties",
            "message": clash.value.details[0]["message"],
            "saved": "A",
            "yours": "B",
        }
    ]


def test_the_assessment_gives_the_predikat_once_the_cycle_is_rated(people):
    plan = agreed_plan(people)
    head, clock = people["head_user"], people["clock"]
    clock.set("2026-06-10")
    with pytest.raises(DomainError) as refused:
        services.plan_assess(actor=head, plan=plan, work_results="sesuai", work_behaviour="di_atas")
    assert refused.value.code == "cycle_unrated"
    clock.set("2026-05-10")
    run_cycle(people, plan)
    with pytest.raises(DomainError) as refused:
        services.plan_assess(actor=head, plan=plan, work_results="sesuai", work_behaviour="di_atas")
    assert refused.value.code == "window_closed"
    clock.set("2026-06-10")
    with pytest.raises(Forbidden):
        services.plan_assess(
            actor=people["teacher_user"],
            plan=plan,
            work_results="di_atas",
            work_behaviour="di_atas",
        )
    plan = services.plan_assess(
        actor=head, plan=plan, work_results="sesuai", work_behaviour="di_atas"
    )
    assert (plan.predikat, plan.status) == ("baik", "assessed")
    entry = AuditEntry.objects.get(action="assess")
    assert entry.changes["predikat"] == [None, "baik"]


def test_each_sees_only_their_own_plans(people):
    agreed_plan(people)
    head_plan = services.plan_open(actor=people["head_user"], person=people["head"])
    seen = {
        name: set(visible(people[name], Plan).values_list("role", flat=True))
        for name in (
            "teacher_user",
            "head_user",
            "other_head_user",
            "pengawas",
            "pengawas_kemenag",
            "office",
            "pusat",
        )
    }
    assert seen == {
        "teacher_user": {"guru"},
        "head_user": {"guru", "kepala"},
        "other_head_user": set(),
        "pengawas": {"guru", "kepala"},
        "pengawas_kemenag": set(),
        "office": {"guru", "kepala"},
        "pusat": {"guru", "kepala"},
    }
    assert head_plan.person_id != people["guru"].pk


def test_a_step_left_undone_after_its_window_is_late(people):
    plan = agreed_plan(people)
    draft = services.plan_open(actor=people["head_user"], person=people["head"])
    march, july = datetime.date(2026, 3, 10), datetime.date(2026, 7, 2)
    assert not selectors.is_late(plan, march)  # agreed in time, the cycle has until June
    assert selectors.is_late(draft, march)  # never sent while planning was open
    assert selectors.is_late(plan, datetime.date(2026, 6, 20))  # cycle unfinished
    assert selectors.is_late(plan, july)
