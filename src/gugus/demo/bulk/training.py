"""Training run by each province's BBGP: last semester's heads' training (3 seats per
level group and kab/kota) closed with check-ins, tests, evaluations and certificates,
its follow-up mentoring and cascading to nearby schools; and this semester's teachers'
training, in turn open for nominations, running or still a draft."""

from __future__ import annotations

import datetime
import json
import secrets
from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from gugus.core.roles import OfficeKind
from gugus.demo.bulk.base import DAY, BulkGenerator
from gugus.directory.models import Person, Position, Province, School
from gugus.directory.offices import standard_office
from gugus.training.models import (
    Cascade,
    Certificate,
    CertificateSeries,
    CheckIn,
    Evaluation,
    Event,
    Mentoring,
    MentoringVisit,
    Participant,
    Quota,
    Session,
    Venue,
)
from gugus.training.rules import LEVEL_GROUP_OF_JENJANG

HEADS_SEATS = 3
POOL = 50  # schools, and candidates, read per kab/kota and level group
TEACHER_SEATS = 5
HEADS_GROUPS = ["sd", "smp", "sma"]
TEACHER_GROUPS = ["sd"]
CURRENT = [("nominating", -20), ("running", 1), ("draft", -60)]  # state, days since start
EVENT_COLUMNS = [
    "id",
    "kind",
    "title",
    "topic",
    "phase",
    "ministry",
    "office",
    "group",
    "province",
    "regency",
    "starts_on",
    "ends_on",
    "mode",
    "capacity",
    "jp",
    "positions",
    "level_groups",
    "nominations_close",
    "min_attendance",
    "pass_score",
    "certificate_prefix",
    "follows",
    "status",
    "created_by",
    "created_at",
    "version",
]
PARTICIPANT_COLUMNS = [
    "id",
    "event",
    "person",
    "regency",
    "level_group",
    "school",
    "venue",
    "status",
    "replaces",
    "reason",
    "late",
    "nominated_by",
    "nominated_at",
    "checkin_token",
    "registered_at",
    "pre_score",
    "post_score",
]


class TrainingGenerator(BulkGenerator):
    salt = 41

    def run(self, regency_codes: list[str]) -> dict[str, int]:
        for n, (province, regencies) in enumerate(self.by_province(regency_codes)):
            with transaction.atomic():
                self._province(Province.objects.get(code=province), regencies, n)
        self.writer.finish()
        return dict(self.counts)

    def _people(self, regencies, position, groups) -> dict:
        """Candidates per kab/kota and level group: the people of its first schools of
        that level, read through the schools (an index away) rather than by scanning the
        province's people."""
        found = {}
        for regency in regencies:
            for group in groups:
                jenjangs = [j for j, g in LEVEL_GROUP_OF_JENJANG.items() if g == group]
                schools = School.objects.filter(regency=regency, jenjang__in=jenjangs).order_by(
                    "id"
                )
                people = Person.objects.filter(
                    school_id__in=list(schools.values_list("id", flat=True)[:POOL]),
                    position=position,
                ).values_list("id", "school_id")
                found[(regency.code, group)] = [
                    (person, regency.code, school, group)
                    for person, school in sorted(people)[:POOL]
                ]
        return found

    def _province(self, province, regencies, n) -> None:
        bbgp = standard_office(OfficeKind.BBGP, province=province)
        heads = self._people(regencies, Position.KEPALA, HEADS_GROUPS)
        start = self.day(240)
        heads_event = self._event(
            bbgp,
            province,
            regencies,
            "pelatihan",
            2,
            f"Pelatihan Pengelolaan Kinerja Kepala Sekolah {province.name}",
            ["kepala"],
            HEADS_GROUPS,
            start,
            4,
            "closed",
            HEADS_SEATS,
            heads,
            None,
        )
        self._follow_up(heads_event, regencies, start + 60 * DAY)
        state, since = CURRENT[n % len(CURRENT)]
        teachers = self._people(regencies, Position.GURU, TEACHER_GROUPS)
        self._event(
            bbgp,
            province,
            regencies,
            "pelatihan",
            None,
            f"Pelatihan Pembelajaran Mendalam Guru SD {province.name}",
            ["guru"],
            TEACHER_GROUPS,
            self.day(since),
            3,
            state,
            TEACHER_SEATS,
            teachers,
            None,
        )

    def _event(
        self,
        bbgp,
        province,
        regencies,
        kind,
        phase,
        title,
        positions,
        groups,
        start,
        days,
        state,
        seats,
        people,
        follows,
    ):
        event = self.ids(Event, 1)[0]
        prefix = f"BBGP-{province.code}-{event}"
        chosen = []
        quotas = []
        for regency in regencies:
            for group in groups:
                pool = people.get((regency.code, group), [])
                quotas.append((event, regency.code, group, seats))
                if state != "draft":
                    chosen += self.rng.sample(pool, min(seats, len(pool)))
        capacity = seats * len(groups) * len(regencies)
        self.write(
            Event,
            EVENT_COLUMNS,
            [
                (
                    event,
                    kind,
                    title,
                    "Pengelolaan kinerja" if phase else "Pembelajaran mendalam",
                    phase,
                    "kemendikbud",
                    bbgp.pk,
                    None,
                    province.code,
                    None,
                    start,
                    start + (days - 1) * DAY,
                    "luring",
                    capacity,
                    8 * days,
                    json.dumps(positions),
                    json.dumps(groups),
                    start - 10 * DAY,
                    75,
                    Decimal(70),
                    prefix,
                    follows,
                    state,
                    None,
                    self.at(start - 40 * DAY),
                    1,
                )
            ],
        )
        venue = self.ids(Venue, 1)[0]
        self.write(
            Venue,
            ["id", "event", "name", "address", "capacity"],
            [(venue, event, f"Aula BBGP {province.name}", "", capacity)],
        )
        self.write(Quota, ["event", "regency", "level_group", "seats"], quotas)
        sessions = list(self.ids(Session, days))
        self.write(
            Session,
            ["id", "event", "date", "title", "starts", "ends"],
            [
                (sid, event, start + d * DAY, f"Hari {d + 1}", "08:00:00", "16:00:00")
                for d, sid in enumerate(sessions)
            ],
        )
        participants, checkins, evaluations, certificates = [], [], [], []
        number = 0
        for person, regency, school, group in chosen:
            pid = self.ids(Participant, 1)[0]
            held = [s for d, s in enumerate(sessions) if start + d * DAY <= self.today]
            came = held if self.rng.random() < 0.9 else held[: len(held) // 2]
            closed = state == "closed"
            pre = Decimal(self.rng.randint(40, 70)) if held else None
            post = Decimal(self.rng.randint(60, 95)) if closed else None
            participants.append(
                (
                    pid,
                    event,
                    person,
                    regency,
                    group,
                    school,
                    venue,
                    "nominated",
                    None,
                    "",
                    False,
                    None,
                    self.at(start - 15 * DAY),
                    secrets.token_urlsafe(18),
                    self.at(start) if held else None,
                    pre,
                    post,
                )
            )
            checkins += [(pid, s, "list", self.at(start), None) for s in came]
            if closed:
                evaluations.append((pid, 4, 5, 4, 5, "", self.at(start + (days - 1) * DAY)))
                if len(came) * 100 >= 75 * len(sessions) and post >= 70:
                    number += 1
                    certificates.append(
                        (
                            pid,
                            f"{prefix}/{start.year}/{number:05d}",
                            secrets.token_urlsafe(18),
                            self.at(start + days * DAY),
                            "",
                            None,
                            "",
                            None,
                        )
                    )
        self.write(Participant, PARTICIPANT_COLUMNS, participants)
        self.write(CheckIn, ["participant", "session", "method", "at", "by"], checkins)
        self.write(
            Evaluation,
            [
                "participant",
                "content",
                "facilitators",
                "organisation",
                "usefulness",
                "comment",
                "submitted_at",
            ],
            evaluations,
        )
        self.write(
            Certificate,
            [
                "participant",
                "number",
                "token",
                "issued_at",
                "file",
                "revoked_at",
                "revoked_reason",
                "revoked_by",
            ],
            certificates,
        )
        if number:
            self.write(
                CertificateSeries, ["prefix", "year", "last"], [(prefix, start.year, number)]
            )
        return event, participants

    def _follow_up(self, heads_event, regencies, day: datetime.date) -> None:
        """The heads' mentoring by pengawas of their kab/kota, and their cascading."""
        _event, participants = heads_event
        pengawas = defaultdict(list)
        for person, regency in Person.objects.filter(
            regency__in=regencies, position=Position.PENGAWAS
        ).values_list("id", "regency_id"):
            pengawas[regency].append(person)
        schools = defaultdict(list)
        for school, regency in School.objects.filter(regency__in=regencies).values_list(
            "id", "regency_id"
        ):
            if len(schools[regency]) < 50:
                schools[regency].append(school)
        mentorings, visits, cascades, reached = [], [], [], []
        for pid, _event, _person, regency, *_rest in participants:
            if pengawas[regency]:
                mid = self.ids(Mentoring, 1)[0]
                mentorings.append((mid, pid, self.rng.choice(pengawas[regency])))
                visits += [
                    (
                        mid,
                        day + k * 14 * DAY,
                        90,
                        "Pendampingan penyusunan RHK dan observasi.",
                        "Siklus observasi berjalan di sekolah.",
                        None,
                    )
                    for k in range(2)
                ]
            if schools[regency]:
                cid = self.ids(Cascade, 1)[0]
                cascades.append(
                    (
                        cid,
                        pid,
                        day + 30 * DAY,
                        "Pengimbasan pengelolaan kinerja",
                        12,
                        "",
                        self.at(day + 30 * DAY),
                    )
                )
                reached += [
                    (cid, s)
                    for s in self.rng.sample(schools[regency], min(2, len(schools[regency])))
                ]
        self.write(Mentoring, ["id", "participant", "mentor"], mentorings)
        self.write(
            MentoringVisit,
            ["mentoring", "date", "minutes", "notes", "applied", "recorded_by"],
            visits,
        )
        self.write(
            Cascade,
            ["id", "participant", "date", "title", "teachers", "evidence", "recorded_at"],
            cascades,
        )
        self.write(Cascade.schools.through, ["cascade", "school"], reached)
