"""Performance management in the schools that use Gugus for it (one in ten): every
teacher's and head's plan last semester agreed, observed through the five stages and
assessed; this semester's spread over draft, waiting, returned and each stage of the
cycle, as far as the calendar allows."""

from __future__ import annotations

from django.db import transaction
from django.db.models.functions import Mod

from gugus.demo.bulk.base import DAY, BulkGenerator
from gugus.directory.models import Person, Position
from gugus.performance import rules, services
from gugus.performance.models import (
    Cycle,
    ObservationRating,
    Plan,
    PlanItem,
    PointItem,
    Rubric,
    Stage,
)

ADOPTION = 10  # one school in ten
ITEMS = [("in-on-in", "KKG gugus"), ("kemitraan", ""), ("berbagi-praktik", "")]
PRACTICES = ["umpan-balik", "disiplin-positif", "keterlibatan", "instruksi", "literasi"]
# Where each person of the current semester stops, in turn (a number: stages done).
STEPS = ["draft", "submitted", "returned", 0, 1, 2, 3, 4, 5, 5]
EXPECTATIONS = [
    ("sesuai", "sesuai"),
    ("di_atas", "sesuai"),
    ("di_atas", "di_atas"),
    ("sesuai", "di_bawah"),
]
NOTES = {
    1: "Catatan diskusi persiapan",
    2: "Catatan observasi kinerja",
    3: "Catatan diskusi tindak lanjut",
    4: "Catatan upaya tindak lanjut",
    5: "Catatan refleksi tindak lanjut",
}
PLAN_COLUMNS = [
    "id",
    "period",
    "person",
    "role",
    "school",
    "province",
    "regency",
    "ministry",
    "status",
    "practice",
    "duties",
    "behaviour",
    "comments",
    "submitted_at",
    "agreed_by",
    "agreed_at",
    "work_results",
    "work_behaviour",
    "predikat",
    "assessed_by",
    "assessed_at",
    "version",
]


class PerformanceGenerator(BulkGenerator):
    salt = 37

    def run(self, regency_codes: list[str]) -> dict[str, int]:
        self.current = services.period_for(self.today)
        self.previous = services.period_for(self.current.plan_opens - DAY)
        self.rubric = Rubric.objects.order_by("-published_at").first()
        self.indicators = list(self.rubric.indicators.values_list("id", flat=True))
        self.points = dict(PointItem.objects.values_list("code", "points"))
        for _province, regencies in self.by_province(regency_codes):
            for regency in regencies:
                with transaction.atomic():
                    self._regency(regency)
        self.writer.finish()
        return dict(self.counts)

    def _regency(self, regency) -> None:
        people = list(
            Person.objects.filter(
                regency=regency,
                school__isnull=False,
                position__in=[Position.GURU, Position.GURU_BK, Position.KEPALA],
            )
            .annotate(adopted=Mod("school_id", ADOPTION))
            .filter(adopted=0)
            .order_by("school_id", "id")
            .values_list("id", "position", "school_id", "ministry")
        )
        rows = _Rows()
        for n, (person, position, school, ministry) in enumerate(people):
            base = (
                person,
                "kepala" if position == Position.KEPALA else "guru",
                school,
                regency.province_id,
                regency.code,
                ministry,
            )
            self._plan(rows, self.previous, base, "assessed", n)
            step = STEPS[n % len(STEPS)]
            if step == 5 and self.current.assess_opens <= self.today:
                step = "assessed"
            self._plan(rows, self.current, base, step, n)
        rows.write(self)

    def _plan(self, rows, period, base, step, n) -> None:
        plan = self.ids(Plan, 1)[0]
        opened = period.plan_opens + (3 + n % 10) * DAY
        submitted = None if step == "draft" else self.at(opened + 2 * DAY)
        agreed = step not in ("draft", "submitted", "returned")
        assessed = step == "assessed"
        results, behaviour = EXPECTATIONS[n % len(EXPECTATIONS)] if assessed else ("", "")
        rows.plans.append(
            (
                plan,
                period.pk,
                *base[:2],
                base[2],
                base[3],
                base[4],
                base[5],
                "assessed" if assessed else ("agreed" if agreed else step),
                PRACTICES[n % len(PRACTICES)],
                "Wali kelas",
                "",
                "Lengkapi bukti pengembangan kompetensi" if step == "returned" else "",
                submitted,
                None,
                self.at(opened + 12 * DAY) if agreed else None,
                results,
                behaviour,
                rules.predikat(results, behaviour) if assessed else "",
                None,
                self.at(period.assess_opens + 3 * DAY) if assessed else None,
                1 + (step if isinstance(step, int) else 6 if assessed else 2),
            )
        )
        rows.items += [(plan, code, self.points[code], detail, "") for code, detail in ITEMS]
        if not agreed:
            return
        cycle = self.ids(Cycle, 1)[0]
        done = 5 if assessed else step
        rows.cycles.append(
            (
                cycle,
                plan,
                self.rubric.pk,
                "Perbanyak pertanyaan pemantik terbuka" if done >= 2 else "",
                3 if assessed else None,
                2 + n % 2 if assessed else None,
                2 if assessed else None,
                1 + done,
                self.at(opened + 12 * DAY),
            )
        )
        for kind in range(1, 6):
            day = period.run_opens + (30 + 14 * kind + n % 5) * DAY
            finished = kind <= done
            rows.stages.append(
                (
                    cycle,
                    kind,
                    day if finished else None,
                    "",
                    NOTES[kind] if finished else "",
                    self.at(day) if finished else None,
                )
            )
        for indicator in self.indicators:
            rating = ""
            if done >= 2:
                rating = "efektif" if (indicator + n) % 3 else "belum_efektif"
            rows.ratings.append(
                (cycle, indicator, rating, "Murid aktif berdiskusi" if rating else "")
            )


class _Rows:
    def __init__(self):
        self.plans, self.items, self.cycles, self.stages, self.ratings = [], [], [], [], []

    def write(self, gen: BulkGenerator) -> None:
        gen.write(Plan, PLAN_COLUMNS, self.plans)
        gen.write(PlanItem, ["plan", "item", "points", "detail", "evidence"], self.items)
        gen.write(
            Cycle,
            [
                "id",
                "plan",
                "rubric",
                "recommendation",
                "reflect",
                "learn",
                "change",
                "version",
                "started_at",
            ],
            self.cycles,
        )
        gen.write(Stage, ["cycle", "kind", "date", "participants", "notes", "done_at"], self.stages)
        gen.write(ObservationRating, ["cycle", "indicator", "rating", "evidence"], self.ratings)
