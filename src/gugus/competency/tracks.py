"""The Guru Pembelajar rule (DOMAIN.md §4): the number of competency groups (modules A-J)
scored below the test event's pass mark chooses the development track.

    8-10 modules below the mark -> tatap muka (face-to-face)
    6-7                         -> daring kombinasi (blended)
    3-5                         -> daring (online)
    0-2                         -> mandiri: the modules below the mark studied online on
                                   one's own; a candidate national instructor (calon IN)
                                   only with a UKG total of 71 or more and every module
                                   scored

A module without a score is unknown, never counted as passed: it keeps a teacher from the
candidate-instructor track, and the recommendation names it. It is a recommendation: an
office plans training with the counts per track.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext_lazy as _

from gugus.competency.models import GROUPS

TRACKS = {
    "tatap_muka": _("Face-to-face"),
    "kombinasi": _("Blended"),
    "daring": _("Online"),
    "mandiri": _("Self-study online"),
    "calon_in": _("Candidate national instructor"),
}
IN_MIN_SCORE = 71


def track_for(below: int, *, instructor_ready: bool) -> str:
    """The track for `below` modules under the mark; `instructor_ready` when the total is
    71 or more and every module has a score."""
    if below >= 8:
        return "tatap_muka"
    if below >= 6:
        return "kombinasi"
    if below >= 3:
        return "daring"
    return "calon_in" if instructor_ready else "mandiri"


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
    mark = result.event.pass_mark
    below = [g for g, v in scores.items() if v is not None and v < mark]
    missing = [g for g, v in scores.items() if v is None]
    ready = result.total >= IN_MIN_SCORE and not missing
    track = track_for(len(below), instructor_ready=ready)
    notes = []
    if missing:
        notes.append(
            _("Modules %(modules)s have no score: unknown, not passed.")
            % {"modules": ", ".join(missing)}
        )
    if track == "mandiri" and result.total < IN_MIN_SCORE:
        notes.append(
            _("A national instructor also needs a UKG score of %(min)d or more.")
            % {"min": IN_MIN_SCORE}
        )
    return Recommendation(track, below, " ".join(str(n) for n in notes))


def _below_count_sql(alias: str = "r") -> str:
    """Modules under the pass mark (a query parameter per module, in GROUPS order)."""
    return " + ".join(f"(CASE WHEN {alias}.group_{g} < %s THEN 1 ELSE 0 END)" for g in GROUPS)


def counts(event, *, by: str, keys=None) -> dict[str, dict[str, int]]:
    """Teachers per track for each place or group: {key: {track: n}}. `by` is
    "province", "regency", "school" or "group"."""
    has_modules = " OR ".join(f"r.group_{g} IS NOT NULL" for g in GROUPS)
    all_modules = " AND ".join(f"r.group_{g} IS NOT NULL" for g in GROUPS)
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
    ready = f"CASE WHEN r.total >= %s AND {all_modules} THEN 1 ELSE 0 END"
    sql = f"""SELECT {key_column}, {_below_count_sql()} AS below, {ready} AS ready, COUNT(*)
              FROM competency_result r {join}
              WHERE r.event_id = %s AND ({has_modules})
              GROUP BY {key_column}, below, ready"""
    params = [event.pass_mark] * len(GROUPS) + [IN_MIN_SCORE, event.pk]
    out: dict[str, dict[str, int]] = {}
    # Streamed (a server-side cursor on PostgreSQL): by school, the nation's counts are
    # millions of rows, which fetched at once held gigabytes.
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(5000):
            for key, below, is_ready, n in rows:
                if keys is not None and str(key) not in keys:
                    continue
                bucket = out.setdefault(str(key), dict.fromkeys(TRACKS, 0))
                bucket[track_for(int(below), instructor_ready=bool(is_ready))] += n
    return out
