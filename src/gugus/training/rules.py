"""The rules of training events, as data and small functions.

- Level groups: quotas are set per kab/kota and per level group (DOMAIN.md §7: PAUD/SLB,
  SD, SMP, SMA); a school's level decides its head's or teacher's group, madrasah levels
  included (RA with PAUD, MI with SD, MTs with SMP, MA/MAK with SMA/SMK).
- Completion: a participant completes an event when they attended at least the event's
  share of its sessions (`min_attendance`, percent) and, when the event sets a pass
  score, their post-test reached it. An event without sessions cannot be completed.
- JP: one JP is 45 minutes (DOMAIN.md §3); an On day of a working group counts 2 JP.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models

JP_MINUTES = 45
ON_DAY_JP = 2


class LevelGroup(models.TextChoices):
    PAUD_SLB = "paud_slb", "PAUD/SLB"
    SD = "sd", "SD/MI"
    SMP = "smp", "SMP/MTs"
    SMA = "sma", "SMA/SMK/MA"


LEVEL_GROUP_OF_JENJANG = {
    "paud_tk": LevelGroup.PAUD_SLB,
    "slb": LevelGroup.PAUD_SLB,
    "ra": LevelGroup.PAUD_SLB,
    "sd": LevelGroup.SD,
    "mi": LevelGroup.SD,
    "smp": LevelGroup.SMP,
    "mts": LevelGroup.SMP,
    "sma": LevelGroup.SMA,
    "smk": LevelGroup.SMA,
    "ma": LevelGroup.SMA,
    "mak": LevelGroup.SMA,
}


def level_group_of(jenjang: str | None) -> str | None:
    return LEVEL_GROUP_OF_JENJANG.get(jenjang or "")


@dataclass(frozen=True)
class Completion:
    attended: int
    sessions: int
    post_score: Decimal | None
    attendance_met: bool
    test_met: bool

    @property
    def completed(self) -> bool:
        return self.attendance_met and self.test_met

    @property
    def attendance_pct(self) -> int:
        return round(100 * self.attended / self.sessions) if self.sessions else 0


def completion(
    *, attended: int, sessions: int, post_score, min_attendance: int, pass_score
) -> Completion:
    attendance_met = sessions > 0 and 100 * attended >= min_attendance * sessions
    test_met = pass_score is None or (post_score is not None and post_score >= pass_score)
    return Completion(attended, sessions, post_score, attendance_met, test_met)


def minutes_to_jp(minutes: int) -> Decimal:
    """Whole JP only: a started JP does not count (a 60-minute visit is 1 JP)."""
    return Decimal(minutes // JP_MINUTES)


EVALUATION_ASPECTS = ("content", "facilitators", "organisation", "usefulness")
