"""Demo performance management, written by replaying each step through the real services
`as_of` the day it would have happened: the demo school's teachers spread over every step
of the current semester (draft to assessed, as far as the calendar allows), the whole
previous semester assessed (so the e-Kinerja export has rows), and the demo head's own
plan agreed by the demo pengawas."""

from __future__ import annotations

import datetime
import itertools

from django.db import transaction

from gugus.accounts.models import User
from gugus.core import clock
from gugus.demo.accounts import person_account
from gugus.directory.models import Person, Position
from gugus.performance import services
from gugus.performance.models import Period, Plan

DAY = datetime.timedelta(days=1)
ITEMS = [
    {"item": "in-on-in", "detail": "KKG gugus"},
    {"item": "kemitraan"},
    {"item": "berbagi-praktik"},
]
PRACTICES = ["umpan-balik", "disiplin-positif", "keterlibatan", "instruksi", "literasi"]
# Where each teacher of the current semester stops, in turn.
STEPS = ["draft", "submitted", "returned", 1, 2, 3, 4, 5, "rated", "assessed"]
EXPECTATIONS = [
    ("sesuai", "sesuai"),
    ("di_atas", "sesuai"),
    ("di_atas", "di_atas"),
    ("sesuai", "di_bawah"),
]


def _on(day: datetime.date) -> datetime.date:
    return min(day, clock.today())


def _replay(person, superior, period: Period, step, n: int) -> None:
    """One person's semester up to `step`, each action on its own day."""
    user = User.objects.filter(person=person).first() or superior
    owner = user if user.person_id == person.pk else None
    with clock.as_of(_on(period.plan_opens + (3 + n % 10) * DAY)):
        plan = services.plan_open(
            actor=owner or person_account(person), person=person, period=period
        )
        services.plan_save(
            actor=owner or person_account(person),
            plan=plan,
            data={
                "practice": PRACTICES[n % len(PRACTICES)],
                "items": ITEMS,
                "duties": "Wali kelas",
            },
            source="demo",
        )
        if step == "draft":
            return
        services.plan_submit(actor=owner or person_account(person), plan=plan, source="demo")
    with clock.as_of(_on(period.plan_opens + (15 + n % 10) * DAY)):
        if step == "submitted":
            return
        if step == "returned":
            services.plan_review(
                actor=superior,
                plan=plan,
                agree=False,
                comments="Lengkapi bukti pengembangan kompetensi",
                source="demo",
            )
            return
        plan = services.plan_review(actor=superior, plan=plan, agree=True, source="demo")
    stages = {s.kind: s for s in plan.cycle.stages.all()}
    last = step if isinstance(step, int) else 6
    for kind in range(1, last):
        with clock.as_of(_on(period.run_opens + (30 + 14 * kind + n % 5) * DAY)):
            if kind == 2:
                services.observation_save(
                    actor=superior,
                    cycle=plan.cycle,
                    ratings={
                        r.indicator_id: {
                            "rating": "efektif" if (r.indicator_id + n) % 3 else "belum_efektif",
                            "evidence": "Murid aktif berdiskusi"
                            if (r.indicator_id + n) % 3
                            else "Pertanyaan masih tertutup",
                        }
                        for r in plan.cycle.ratings.all()
                    },
                    recommendation="Perbanyak pertanyaan pemantik terbuka",
                    source="demo",
                )
            services.stage_record(
                actor=superior,
                stage=stages[kind],
                data={"notes": f"Catatan {stages[kind].get_kind_display().lower()}", "done": True},
                source="demo",
            )
    if step not in ("rated", "assessed"):
        return
    with clock.as_of(_on(period.run_closes - 5 * DAY)):
        services.cycle_rate(
            actor=superior, cycle=plan.cycle, reflect=3, learn=2 + n % 2, change=2, source="demo"
        )
    if step == "assessed" and period.assess_opens <= clock.today():
        results, behaviour = EXPECTATIONS[n % len(EXPECTATIONS)]
        with clock.as_of(_on(period.assess_opens + 3 * DAY)):
            services.plan_assess(
                actor=superior,
                plan=plan,
                work_results=results,
                work_behaviour=behaviour,
                source="demo",
            )


@transaction.atomic
def create_demo_performance() -> int:
    """Idempotent: nothing happens when plans exist already. Returns the plans made."""
    if Plan.objects.exists() or not User.objects.filter(username="kepala").exists():
        return 0
    head_user = User.objects.get(username="kepala")
    head = head_user.person
    school = head.school
    teachers = list(
        Person.objects.filter(school=school, position=Position.GURU).order_by("pk")[:20]
    )
    current = services.period_for()
    previous = services.period_for(current.plan_opens - DAY)
    for n, person in enumerate(teachers):
        _replay(person, head_user, previous, "assessed", n)
    for n, (person, step) in enumerate(zip(teachers, itertools.cycle(STEPS))):
        _replay(person, head_user, current, step, n)
    pengawas = User.objects.get(username="pengawas")
    _replay(head, pengawas, current, 3, 0)
    return Plan.objects.count()
