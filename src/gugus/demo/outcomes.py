"""Rapor Pendidikan outcomes for the demo's schools (2024 to 2026): literacy, numeracy and
quality of learning around a level per school, drifting up slowly, and a little higher
where the school's teachers belong to a group measured active (so the impact page has a
finding to show, with its interval). Written in bulk, then the places are marked."""

from __future__ import annotations

import random
from decimal import Decimal

from gugus.communities import activeness
from gugus.communities.models import Membership
from gugus.core.changes import mark_everything
from gugus.directory.models import School
from gugus.insights.models import SchoolOutcome

YEARS = (2024, 2025, 2026)
ACTIVE_GAIN = 2.0  # points a year where teachers meet in an active group


def _index(value: float) -> Decimal:
    return Decimal(str(round(min(max(value, 0.0), 100.0), 2)))


def create_demo_outcomes(seed: int = 1) -> int:
    if SchoolOutcome.objects.exists():
        return 0
    rng = random.Random(seed * 104729 + 11)
    active = set(
        Membership.objects.filter(
            group__activeness_level=activeness.ACTIVE, ended_on__isnull=True
        ).values_list("person__school_id", flat=True)
    )
    rows = []
    for school_id, jenjang in School.objects.order_by("pk").values_list("pk", "jenjang"):
        if jenjang in ("paud_tk", "ra"):
            continue  # Rapor Pendidikan does not test the early years
        level = rng.gauss(58, 9)
        gain = ACTIVE_GAIN if school_id in active else 0.0
        for step, year in enumerate(YEARS):
            drift = step * (0.8 + gain) + rng.gauss(0, 2.5)
            rows.append(
                SchoolOutcome(
                    school_id=school_id,
                    year=year,
                    literacy=_index(level + drift),
                    numeracy=_index(level - 6 + drift + rng.gauss(0, 3)),
                    learning_quality=_index(level + 4 + drift / 2 + rng.gauss(0, 3)),
                )
            )
    SchoolOutcome.objects.bulk_create(rows, batch_size=5000)
    mark_everything()
    return len(rows)
