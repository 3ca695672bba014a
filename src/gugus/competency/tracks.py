"""The Guru Pembelajar rule (DOMAIN.md §4): the number of competency groups (modules A-J)
scored below the pass mark chooses the development track.

    8-10 modules below 55  -> tatap muka (face-to-face)
    6-7                    -> daring kombinasi (blended)
    3-5                    -> daring (online)
    0-2                    -> calon instruktur nasional (candidate IN; becoming an IN also
                              needs a UKG score of 71 or more and the IN training)

It is a recommendation: an office plans training with the counts per track.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext_lazy as _

from gugus.competency.models import GROUPS

PASS_MARK = 55
TRACKS = {
    "tatap_muka": _("Face-to-face"),
    "kombinasi": _("Blended"),
    "daring": _("Online"),
    "calon_in": _("Candidate national instructor"),
}
IN_MIN_SCORE = 71


def track_for_count(below: int) -> str:
    if below >= 8:
        return "tatap_muka"
    if below >= 6:
        return "kombinasi"
    if below >= 3:
        return "daring"
    return "calon_in"


@dataclass(frozen=True)
class Recommendation:
    track: str | None
    modules_below: list[str]
    note: str = ""

    @property
    def label(self):
        return TRACKS.get(self.track, _("No module scores"))


def recommend(result) -> Recommendation:
    """The track for one result; None when the result has no module scores."""
    scores = {g.upper(): getattr(result, f"group_{g}") for g in GROUPS}
    if all(v is None for v in scores.values()):
        return Recommendation(None, [])
    below = [g for g, v in scores.items() if v is not None and v < PASS_MARK]
    track = track_for_count(len(below))
    note = ""
    if track == "calon_in" and result.total < IN_MIN_SCORE:
        note = str(
            _("A national instructor also needs a UKG score of %(min)d or more.")
            % {"min": IN_MIN_SCORE}
        )
    return Recommendation(track, below, note)


def _below_count_sql(alias: str = "r") -> str:
    return " + ".join(
        f"(CASE WHEN {alias}.group_{g} < {PASS_MARK} THEN 1 ELSE 0 END)" for g in GROUPS
    )


def counts(event, *, by: str, keys=None) -> dict[str, dict[str, int]]:
    """Teachers per track for each place or group: {key: {track: n}}. `by` is
    "province", "regency", "school" or "group"."""
    has_modules = " OR ".join(f"r.group_{g} IS NOT NULL" for g in GROUPS)
    key_column = {
        "province": "r.province_id",
        "regency": "r.regency_id",
        "school": "r.school_id",
        "group": "m.group_id",
    }[by]
    join = (
        "JOIN communities_membership m ON m.person_id = r.person_id AND m.ended_on IS NULL"
        if by == "group"
        else ""
    )
    sql = f"""SELECT {key_column}, {_below_count_sql()} AS below, COUNT(*)
              FROM competency_result r {join}
              WHERE r.event_id = %s AND ({has_modules})
              GROUP BY {key_column}, below"""
    out: dict[str, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [event.pk])
        for key, below, n in cursor.fetchall():
            if keys is not None and str(key) not in keys:
                continue
            bucket = out.setdefault(str(key), dict.fromkeys(TRACKS, 0))
            bucket[track_for_count(int(below))] += n
    return out
