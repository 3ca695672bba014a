"""A small generated world for the dashboards: three kab/kota in two provinces, both
ministries, with records in every domain."""

import secrets

import pytest

from gugus.communities.models import WorkingGroup
from gugus.competency.models import UkgEvent
from gugus.core.models import ChangedPlace
from gugus.demo.competency import ResultGenerator
from gugus.demo.generator import Generator, Scale
from gugus.demo.groups import GroupGenerator
from gugus.directory.models import Office, Person, School
from gugus.grants.models import (
    BudgetLine,
    GrantProgramme,
    PlannedActivity,
    ProgrammeKind,
    Proposal,
    Spending,
)
from gugus.insights import rollups
from gugus.partnership.models import Cohort, Pair, Tier, Visit, VisitAttendance
from gugus.partnership.models import Participant as Partner
from gugus.performance.models import Cycle, Period, Plan, Rubric, Stage
from gugus.training.models import Cascade, Certificate, Event, Quota
from gugus.training.models import Participant as Trainee

REGENCIES = ("34.71", "34.04", "75.71")
FUNDED = ("funded", "reported", "report_verified", "closed")


@pytest.fixture
def world(db, clock):
    clock.set("2026-11-26")
    Generator(
        Scale("rollups", regencies=REGENCIES, fraction=0.03), seed=3, log=lambda *a: None
    ).run()
    GroupGenerator(seed=3).run(list(REGENCIES))
    ResultGenerator(seed=3).run()
    _grants()
    _partnership()
    _performance()
    _training()
    rollups.refresh(everything=True)
    assert not ChangedPlace.objects.exists()


def _grants():
    for ministry in ("kemendikbud", "kemenag"):
        programme = GrantProgramme.objects.create(
            name=f"Bantuan {ministry}",
            year=2026,
            ministry=ministry,
            province_id="34",
            apply_from="2026-01-01",
            apply_until="2026-02-01",
            period_start="2026-02-01",
            period_end="2026-10-01",
            budget_ceiling=100_000_000,
            quota=5,
        )
        ProgrammeKind.objects.create(
            programme=programme, kind="kkg", amount=15_000_000, in_count=1, on_count=1
        )
        groups = WorkingGroup.objects.filter(ministry=ministry, kind="kkg", province_id="34")
        for i, group in enumerate(groups[:4]):
            status = ("funded", "submitted", "closed", "draft")[i]
            proposal = Proposal.objects.create(
                programme=programme,
                group=group,
                amount=15_000_000,
                status=status,
                disbursed_amount=15_000_000 if status in FUNDED else 0,
            )
            line = BudgetLine.objects.create(
                proposal=proposal,
                category="konsumsi",
                description="Konsumsi",
                planned_amount=5_000_000,
                amount=5_000_000,
                spent=1_000_000 * (i + 1),
            )
            Spending.objects.create(
                line=line, date=f"2026-0{i + 3}-15", description="Konsumsi", amount=1_000_000
            )
            for seq, activity in enumerate(group.activities.filter(status="held")[: i + 1]):
                PlannedActivity.objects.create(
                    proposal=proposal, seq=seq + 1, kind=("in", "on")[seq % 2], activity=activity
                )


def _partnership():
    event = UkgEvent.objects.order_by("year").first()
    cohort = Cohort.objects.create(
        name="Kemitraan", year=2026, ministry="kemendikbud", province_id="34", event=event
    )
    high = Tier.objects.create(cohort=cohort, rank=1, name="Guru Mitra 1")
    low = Tier.objects.create(cohort=cohort, rank=2, name="Guru Mitra 2")
    teachers = list(
        Person.objects.filter(position="guru", province_id="34", ministry="kemendikbud")
        .exclude(regency__isnull=True)
        .order_by("pk")[:7]
    )
    made = [
        Partner.objects.create(
            cohort=cohort,
            tier=high if i < 2 else low,
            person=t,
            subject_id="guru-kelas",
            jenjang="sd",
            regency_id=t.regency_id,
            school=t.school,
            score=70,
            status="excluded" if i == 6 else "selected",
        )
        for i, t in enumerate(teachers)
    ]
    for host, partner in ((made[0], made[2]), (made[0], made[3]), (made[1], made[4])):
        Pair.objects.create(cohort=cohort, host=host, partner=partner, gap=5, km=3, cost=10)
        visit = Visit.objects.create(
            cohort=cohort,
            direction="ojl",
            host=host,
            partner=partner,
            school=host.school,
            regency_id=host.regency_id,
            start="2026-03-02",
            days=2,
        )
        for day, status in ((1, "hadir"), (2, "absen")):
            VisitAttendance.objects.create(visit=visit, day=day, participant=partner, status=status)


def _performance():
    rubric = Rubric.objects.create(version=1, name="Rubrik")
    periods = [
        Period.objects.create(
            year=2026,
            half=half,
            plan_opens="2026-01-01",
            plan_closes="2026-01-31",
            run_opens="2026-02-01",
            run_closes="2026-05-31",
            assess_opens="2026-06-01",
            assess_closes="2026-06-30",
        )
        for half in (1, 2)
    ]
    staff = Person.objects.filter(position__in=("guru", "kepala")).exclude(school=None)
    for i, person in enumerate(staff.order_by("pk")[:12]):
        plan = Plan.objects.create(
            period=periods[i % 2],
            person=person,
            role="kepala" if person.position == "kepala" else "guru",
            school=person.school,
            province_id=person.province_id,
            regency_id=person.regency_id,
            ministry=person.ministry,
            status=("draft", "submitted", "agreed", "assessed")[i % 4],
            predikat="baik" if i % 4 == 3 else "",
        )
        cycle = Cycle.objects.create(plan=plan, rubric=rubric)
        for kind in range(1, 6):
            Stage.objects.create(
                cycle=cycle, kind=kind, done_at="2026-03-01T08:00+07:00" if kind <= i % 6 else None
            )


def _training():
    people = list(Person.objects.filter(position="kepala").exclude(regency=None).order_by("pk"))
    for year, ministry, kind in ((2025, "kemendikbud", "bbgp"), (2026, "kemenag", "kanwil")):
        office = Office.objects.create(kind=kind, name=f"Kantor {kind}", province_id="34")
        event = Event.objects.create(
            office=office,
            kind="pelatihan",
            title=f"Pelatihan {year}",
            ministry=ministry,
            province_id="34",
            starts_on=f"{year}-05-04",
            ends_on=f"{year}-05-07",
            capacity=100,
            jp=32,
            certificate_prefix="T",
            status="closed",
        )
        for code in REGENCIES:
            Quota.objects.create(event=event, regency_id=code, level_group="sd", seats=3)
        for i, person in enumerate(people[:8]):
            trainee = Trainee.objects.create(
                event=event,
                person=person,
                regency_id=person.regency_id,
                school=person.school,
                checkin_token=secrets.token_hex(8),
                status="withdrawn" if i == 7 else "nominated",
            )
            if i < 5:
                Certificate.objects.create(
                    participant=trainee,
                    number=f"T/{year}/{i}",
                    token=secrets.token_hex(8),
                    revoked_at="2026-06-01T08:00+07:00" if i == 4 else None,
                )
            if i < 3:
                cascade = Cascade.objects.create(
                    participant=trainee, date=f"{year}-06-01", title="Imbas", teachers=10 + i
                )
                cascade.schools.set(School.objects.order_by("pk")[i * 2 : i * 2 + 3])
