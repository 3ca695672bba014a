"""A partnership cohort per province (Kemendikbud's SMP teachers): tiers from the latest
UKG, Guru Mitra 1 paired with two Guru Mitra 2 each, the On Job Learning week and the
return visits with their rundowns and attendance, and the partners' action plans; the
cohorts stand in turn at draft, pairs made, On Job Learning and closed."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.db import transaction

from gugus.competency.models import Result, UkgEvent
from gugus.demo.bulk.base import DAY, BulkGenerator
from gugus.partnership.models import (
    ActionPlan,
    Cohort,
    Pair,
    Participant,
    RundownItem,
    Tier,
    Visit,
    VisitAttendance,
)
from gugus.partnership.rundown import template_for

SUBJECTS = ("matematika", "bahasa-indonesia", "ipa", "bahasa-inggris")
HOSTS_PER_REGENCY = 6
# Days before today that On Job Learning starts, by the cohort's state.
STATES = [("running", 4), ("matched", -30), ("closed", 120), ("draft", -60)]
COHORT_COLUMNS = [
    "id",
    "name",
    "year",
    "ministry",
    "province",
    "regency",
    "event",
    "levels",
    "host_regions",
    "partner_regions",
    "gap_weight",
    "travel_weight",
    "ojl_start",
    "ojl_days",
    "status",
    "matched_at",
    "created_by",
    "created_at",
]
PARTICIPANT_COLUMNS = [
    "id",
    "cohort",
    "tier",
    "person",
    "subject",
    "jenjang",
    "regency",
    "school",
    "score",
    "status",
    "note",
    "unmatched",
]


class CohortGenerator(BulkGenerator):
    salt = 23

    def run(self, regency_codes: list[str]) -> dict[str, int]:
        event = UkgEvent.objects.order_by("-year", "-id").first()
        if event is None:
            return {}
        for n, (province, regencies) in enumerate(self.by_province(regency_codes)):
            with transaction.atomic():
                self._cohort(province, regencies, event, *STATES[n % len(STATES)])
        self.writer.finish()
        return dict(self.counts)

    def _scores(self, regencies, event):
        """Each SMP teacher of the subjects with their latest total, per kab/kota."""
        rows = (
            Result.objects.filter(
                event=event,
                person__regency__in=regencies,
                person__school__jenjang="smp",
                subject_id__in=SUBJECTS,
            )
            .order_by("person__regency_id", "person_id")
            .values_list(
                "person_id", "subject_id", "total", "person__regency_id", "person__school_id"
            )
        )
        by_regency: dict[str, list] = {}
        for row in rows.iterator(chunk_size=5000):
            by_regency.setdefault(row[3], []).append(row)
        return by_regency

    def _cohort(self, province, regencies, event, state, ojl_before):
        by_regency = self._scores(regencies, event)
        if not by_regency:
            return
        cohort = self.ids(Cohort, 1)[0]
        ojl_start = self.day(ojl_before)
        name = f"Kemitraan Guru SMP {regencies[0].province.name} {ojl_start.year}"
        self.write(
            Cohort,
            COHORT_COLUMNS,
            [
                (
                    cohort,
                    name,
                    ojl_start.year,
                    "kemendikbud",
                    province,
                    None,
                    event.pk,
                    '["smp"]',
                    f'["{province}"]',
                    f'["{province}"]',
                    Decimal(1),
                    Decimal("0.02"),
                    ojl_start,
                    7,
                    state,
                    None if state == "draft" else self.at(ojl_start - 20 * DAY),
                    None,
                    self.at(ojl_start - 40 * DAY),
                )
            ],
        )
        self.write(
            Cohort.subjects.through,
            ["cohort", "subject"],
            [(cohort, subject) for subject in SUBJECTS],
        )
        host_tier, partner_tier = self.ids(Tier, 2)
        self.write(
            Tier,
            ["id", "cohort", "rank", "name", "min_score", "max_score", "mentees", "share"],
            [
                (host_tier, cohort, 1, "Guru Mitra 1", Decimal(72), None, 2, None),
                (partner_tier, cohort, 2, "Guru Mitra 2", None, Decimal(45), 1, None),
            ],
        )
        people, pairs, visits, rundown, attendance, plans = [], [], [], [], [], []
        hosts_all, partners_all = [], []
        for _regency, rows in sorted(by_regency.items()):
            hosts = [r for r in rows if r[2] >= 72][:HOSTS_PER_REGENCY]
            partners = [r for r in rows if r[2] <= 45][: 2 * len(hosts)]
            hosts_all += [(h, host_tier) for h in hosts]
            partners_all += [(p, partner_tier) for p in partners]
        ids = {}
        for (person, subject, total, regency, school), tier in hosts_all + partners_all:
            pid = self.ids(Participant, 1)[0]
            ids[person] = pid
            people.append(
                (
                    pid,
                    cohort,
                    tier,
                    person,
                    subject,
                    "smp",
                    regency,
                    school,
                    total,
                    "selected",
                    "",
                    "",
                )
            )
        self.write(Participant, PARTICIPANT_COLUMNS, people)
        if state == "draft":
            return
        partners = iter(partners_all)
        for (host, _subject, h_score, h_regency, h_school), _tier in hosts_all:
            mine = [p for p, _t in itertools.islice(partners, 2)]
            for person, _subject, p_score, p_regency, _school in mine:
                km = Decimal(0) if p_regency == h_regency else Decimal(self.rng.randint(15, 240))
                gap = h_score - p_score
                pairs.append(
                    (
                        cohort,
                        ids[host],
                        ids[person],
                        gap,
                        km,
                        int(gap * 100 + km * 2),
                        False,
                        self.at(ojl_start - 20 * DAY),
                    )
                )
            if state == "matched" or not mine:
                continue
            self._visit(
                visits,
                rundown,
                attendance,
                cohort,
                "ojl",
                ids[host],
                None,
                h_school,
                h_regency,
                ojl_start,
                [ids[host]] + [ids[p[0]] for p in mine],
                state,
            )
            for person, _subject, _score, p_regency, p_school in mine:
                self._visit(
                    visits,
                    rundown,
                    attendance,
                    cohort,
                    "return",
                    ids[host],
                    ids[person],
                    p_school,
                    p_regency,
                    ojl_start + 21 * DAY,
                    [ids[host], ids[person]],
                    state,
                )
                plans.append(
                    (
                        ids[person],
                        "Murid belajar lewat diskusi kelompok dengan pertanyaan pemantik",
                        "1. Menyusun modul ajar\n2. Mencoba di dua kelas\n"
                        "3. Refleksi bersama guru tuan rumah",
                        "70% murid mencapai tujuan pembelajaran",
                        ojl_start + 60 * DAY,
                        self.at(ojl_start + 6 * DAY),
                        "Diskusi kelompok berjalan di dua kelas." if state == "closed" else "",
                        self.at(ojl_start + 60 * DAY) if state == "closed" else None,
                    )
                )
        self.write(
            Pair,
            ["cohort", "host", "partner", "gap", "km", "cost", "locked", "created_at"],
            pairs,
        )
        self.write(
            Visit,
            [
                "id",
                "cohort",
                "direction",
                "host",
                "partner",
                "school",
                "regency",
                "start",
                "days",
                "summary",
                "created_at",
            ],
            visits,
        )
        self.write(
            RundownItem, ["visit", "day", "starts", "ends", "activity", "detail", "place"], rundown
        )
        self.write(
            VisitAttendance,
            ["visit", "day", "participant", "status", "recorded_by", "recorded_at"],
            attendance,
        )
        self.write(
            ActionPlan,
            [
                "participant",
                "goal",
                "steps",
                "indicator",
                "due",
                "written_at",
                "report",
                "reported_at",
            ],
            plans,
        )

    def _visit(
        self,
        visits,
        rundown,
        attendance,
        cohort,
        direction,
        host,
        partner,
        school,
        regency,
        start: datetime.date,
        present,
        state,
    ):
        vid = self.ids(Visit, 1)[0]
        days = 7 if direction == "ojl" else 2
        visits.append(
            (
                vid,
                cohort,
                direction,
                host,
                partner,
                school,
                regency,
                start,
                days,
                "Praktik baik diimbaskan ke rekan sejawat." if state == "closed" else "",
                self.at(start - 10 * DAY),
            )
        )
        for session in template_for(direction, days):
            rundown.append(
                (
                    vid,
                    session.day,
                    session.starts.isoformat(),
                    session.ends.isoformat(),
                    session.activity,
                    "",
                    "",
                )
            )
        for day in range(1, days + 1):
            if start + (day - 1) * DAY > self.today:
                break
            attendance += [
                (vid, day, p, "hadir", None, self.at(start + (day - 1) * DAY)) for p in present
            ]
