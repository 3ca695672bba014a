"""UKG results for the demo's teachers, around the real figures (DOMAIN.md §4): UKG 2015
averaged 53.02 (pedagogik 48.94, profesional 54.77) with DI Yogyakarta on top at 62.58; a
later test shows the progress towards the target of 70 and has scores per competency group
(modules A-J). Written with the bulk writer, then the maps are computed."""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction
from django.db.models import OuterRef, Subquery

from gugus.competency import rollups
from gugus.competency.models import GROUPS, Result, UkgEvent
from gugus.competency.services import PUBLISHED_WEIGHTS
from gugus.core.bulk import RowWriter
from gugus.directory.models import Person, Position

# Mean total per province relative to the national 53.02 (DIY 62.58; others drawn).
PROVINCE_SHIFT = {"34": 9.5, "75": -2.5, "19": -1.5, "33": 1.0, "35": 1.5, "31": 4.0}
EVENTS = [("ukg-2015", "UKG 2015", 2015, 0.0, False), ("ukg-2024", "UKG 2024", 2024, 6.5, True)]
CHUNK = 20_000


def _clamp(value: float) -> Decimal:
    return Decimal(str(round(min(max(value, 0.0), 100.0), 2)))


class ResultGenerator:
    def __init__(self, seed: int = 1):
        self.rng = random.Random(seed * 7907 + 5)
        self.writer = RowWriter()

    def _row(self, rid, event, person, shift, gain, modules):
        pid, province, regency, school, jenjang, subject, skill = person
        level = 53.02 + PROVINCE_SHIFT.get(province, self.rng.uniform(-4, 3)) + gain + skill
        prof = self.rng.gauss(level + 1.75, 9)
        ped = self.rng.gauss(level - 4.1, 9)
        total = 0.3 * ped + 0.7 * prof
        groups = [_clamp(self.rng.gauss(total, 11)) for _g in GROUPS] if modules else [None] * 10
        return (
            rid,
            event.pk,
            pid,
            subject,
            _clamp(total),
            _clamp(ped),
            _clamp(prof),
            *groups,
            province,
            regency or "",
            school,
            jenjang or "",
        )

    def run(self) -> int:
        # Streamed with each person's subject joined in: held in dictionaries, the
        # nation's 3.3 million people would cost gigabytes.
        first_subject = (
            Person.subjects.through.objects.filter(person_id=OuterRef("pk"))
            .order_by("subject_id")
            .values("subject_id")[:1]
        )
        people = (
            Person.objects.filter(position__in=[Position.GURU, Position.KEPALA])
            .order_by("id")
            .annotate(subject=Subquery(first_subject))
            .values_list(
                "id", "province_id", "regency_id", "school_id", "school__jenjang", "subject"
            )
        )
        fields = [
            "id",
            "event",
            "person",
            "subject",
            "total",
            "pedagogik",
            "profesional",
            *(f"group_{g}" for g in GROUPS),
            "province_id",
            "regency_id",
            "school_id",
            "jenjang",
        ]
        written = 0
        events = []
        for code, name, year, gain, modules in EVENTS:
            weights = PUBLISHED_WEIGHTS.get(year, (None, None))
            event, _new = UkgEvent.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "year": year,
                    "pedagogik_weight": weights[0],
                    "profesional_weight": weights[1],
                },
            )
            events.append((event, gain, modules))
        with transaction.atomic():
            batch: list[tuple] = []
            for person in people.iterator(chunk_size=CHUNK):
                row = (*person, self.rng.gauss(0, 6))
                for event, gain, modules in events:
                    if self.rng.random() < 0.08:  # did not sit this test
                        continue
                    rid = self.writer.take_ids(Result, 1)[0]
                    batch.append(self._row(rid, event, row, 0, gain, modules))
                if len(batch) >= CHUNK:
                    self.writer.insert(Result, fields, batch)
                    written += len(batch)
                    batch = []
            self.writer.insert(Result, fields, batch)
            written += len(batch)
            self.writer.finish()
        for event, _gain, _modules in events:
            rollups.refresh(event)
        return written
