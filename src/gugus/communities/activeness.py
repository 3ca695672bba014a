"""Measured activeness of a working group ("aktif dan terukur", seed 000).

For a month M the rule looks at the `window_months` months ending with M and measures:

- frequency: held activities per month, against `target_activities_per_month`;
- attendance: the median share of members present at the held activities, against
  `target_attendance_rate`;
- members: the share of current members present at least once, against
  `target_member_share`;
- follow-through: the share of held On sessions followed within `reflection_days` by a held
  session that reflects on them (In-On-In); when there was no On session it does not count
  and its weight goes to the others;
- continuity: the share of months in the window with at least one held activity.

Each measure is scaled to 0..1 (reaching the target counts as 1), weighted by `weights` and
summed to a score of 0..100. A score of `active_from` or more is *aktif*, of
`less_active_from` or more *kurang aktif*, below that *tidak aktif*; a group that held fewer
than `active_needs_frequency` of its target activities is at most *kurang aktif*, however
well those few were attended. Every measure below its
target gives a reason the group page shows. The thresholds are settings
(`GUGUS_ACTIVENESS`), this module is the only place that applies them.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gugus.communities.models import (
    ActivenessSnapshot,
    Activity,
    Attendance,
    Membership,
    WorkingGroup,
)
from gugus.core import clock
from gugus.core.changes import mark_rows

ACTIVE, LESS_ACTIVE, INACTIVE = "aktif", "kurang_aktif", "tidak_aktif"
LEVEL_LABELS = {
    ACTIVE: gettext_lazy("Active"),
    LESS_ACTIVE: gettext_lazy("Less active"),
    INACTIVE: gettext_lazy("Inactive"),
}


def config() -> dict:
    return settings.GUGUS_ACTIVENESS


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass
class GroupFacts:
    """What the rule needs to know about one group's held activities and members."""

    members: int = 0
    member_ids: set[int] = field(default_factory=set)
    # (date, kind, activity id, reflects_on id, present person ids)
    activities: list[tuple] = field(default_factory=list)


@dataclass
class Measurement:
    score: int
    level: str
    metrics: dict
    reasons: list[str]


def measure(facts: GroupFacts, month: datetime.date) -> Measurement:
    cfg = config()
    window = cfg["window_months"]
    first = add_months(month, -(window - 1))
    after = add_months(month, 1)
    held = [a for a in facts.activities if first <= a[0] < after]
    reasons: list[str] = []
    metrics: dict[str, float | None] = {}

    per_month = len(held) / window
    metrics["activities"] = len(held)
    metrics["frequency"] = min(per_month / cfg["target_activities_per_month"], 1.0)
    if metrics["frequency"] < 1:
        reasons.append(
            _("%(n)d activities held in the last %(months)d months; the target is %(target)d.")
            % {
                "n": len(held),
                "months": window,
                "target": round(cfg["target_activities_per_month"] * window),
            }
        )
    rates = [len(a[4] & facts.member_ids) / facts.members for a in held] if facts.members else []
    median_rate = statistics.median(rates) if rates else 0.0
    metrics["attendance_rate"] = round(median_rate, 3)
    metrics["attendance"] = min(median_rate / cfg["target_attendance_rate"], 1.0)
    if metrics["attendance"] < 1 and held:
        reasons.append(
            _("Median attendance is %(rate)d%%; the target is %(target)d%%.")
            % {
                "rate": round(median_rate * 100),
                "target": round(cfg["target_attendance_rate"] * 100),
            }
        )
    present = set().union(*(a[4] for a in held)) & facts.member_ids if held else set()
    share = len(present) / facts.members if facts.members else 0.0
    metrics["member_share"] = round(share, 3)
    metrics["members"] = min(share / cfg["target_member_share"], 1.0)
    if metrics["members"] < 1:
        reasons.append(
            _("%(active)d of %(n)d members took part; the target is %(target)d%% of members.")
            % {
                "active": len(present),
                "n": facts.members,
                "target": round(cfg["target_member_share"] * 100),
            }
        )
    ons = [a for a in held if a[1] == "on"]
    if ons:
        limit = datetime.timedelta(days=cfg["reflection_days"])
        reflections = [a for a in facts.activities if a[3] is not None]
        followed = [
            o
            for o in ons
            if any(
                r[3] == o[2] and datetime.timedelta(0) <= r[0] - o[0] <= limit for r in reflections
            )
        ]
        metrics["follow_through"] = len(followed) / len(ons)
        if len(followed) < len(ons):
            reasons.append(
                _("%(n)d On session(s) were not followed by a reflection in the group.")
                % {"n": len(ons) - len(followed)}
            )
    else:
        metrics["follow_through"] = None
    months_with = {month_start(a[0]) for a in held}
    metrics["continuity"] = len(months_with) / window
    if metrics["continuity"] < 1:
        reasons.append(
            _("Activities in %(n)d of the last %(months)d months.")
            % {"n": len(months_with), "months": window}
        )

    weights = dict(cfg["weights"])
    if metrics["follow_through"] is None:
        weights.pop("follow_through")
    total = sum(weights.values())
    score = round(100 * sum(metrics[k] * w for k, w in weights.items()) / total)
    if not facts.members:
        score = 0
        reasons.insert(0, _("The group has no members."))
    level = (
        ACTIVE
        if score >= cfg["active_from"]
        else (LESS_ACTIVE if score >= cfg["less_active_from"] else INACTIVE)
    )
    if level == ACTIVE and metrics["frequency"] < cfg["active_needs_frequency"]:
        level = LESS_ACTIVE
        reasons.insert(0, _("Too few activities to count as active, however well attended."))
    for key in ("frequency", "attendance", "members", "continuity"):
        metrics[key] = round(metrics[key], 3)
    if metrics["follow_through"] is not None:
        metrics["follow_through"] = round(metrics["follow_through"], 3)
    return Measurement(score=score, level=level, metrics=metrics, reasons=reasons)


def collect_facts(group_ids: list[int], since: datetime.date) -> dict[int, GroupFacts]:
    """Facts for many groups in four queries, so recomputing every group stays cheap."""
    facts = {gid: GroupFacts() for gid in group_ids}
    for gid, pid in Membership.objects.filter(
        group_id__in=group_ids, ended_on__isnull=True
    ).values_list("group_id", "person_id"):
        facts[gid].member_ids.add(pid)
    for f in facts.values():
        f.members = len(f.member_ids)
    activities = {}
    for aid, gid, date, kind, reflects in Activity.objects.filter(
        group_id__in=group_ids, status=Activity.Status.HELD, date__gte=since
    ).values_list("id", "group_id", "date", "kind", "reflects_on_id"):
        activities[aid] = (gid, date, kind, reflects)
    present = defaultdict(set)
    for aid, pid in Attendance.objects.filter(
        activity_id__in=list(activities), status=Attendance.Status.PRESENT
    ).values_list("activity_id", "person_id"):
        present[aid].add(pid)
    for aid, (gid, date, kind, reflects) in activities.items():
        facts[gid].activities.append((date, kind, aid, reflects, present[aid]))
    return facts


def refresh(group_ids: list[int], months: int = 12, today: datetime.date | None = None) -> int:
    """Recompute the last `months` monthly snapshots of the given groups and store the
    current level on each group. Returns the number of snapshots written."""
    today = today or clock.today()
    current = month_start(today)
    first = add_months(current, -(months - 1))
    since = add_months(first, -(config()["window_months"] - 1))
    facts = collect_facts(group_ids, since)
    snapshots, latest = [], {}
    for gid, f in facts.items():
        for i in range(months):
            month = add_months(first, i)
            m = measure(f, month)
            snapshots.append(
                ActivenessSnapshot(
                    group_id=gid,
                    month=month,
                    score=m.score,
                    level=m.level,
                    metrics=m.metrics,
                    reasons=m.reasons,
                )
            )
        latest[gid] = m
    ActivenessSnapshot.objects.bulk_create(
        snapshots,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["group", "month"],
        update_fields=["score", "level", "metrics", "reasons", "computed_at"],
    )
    groups = list(WorkingGroup.objects.filter(pk__in=group_ids).only("pk"))
    for g in groups:
        g.activeness_level, g.activeness_score = latest[g.pk].level, latest[g.pk].score
    WorkingGroup.objects.bulk_update(
        groups, ["activeness_level", "activeness_score"], batch_size=1000
    )
    mark_rows(WorkingGroup.objects.filter(pk__in=group_ids), "province_id", "regency_id")
    return len(snapshots)


def refresh_group(group) -> None:
    refresh([group.pk])


def refresh_all(chunk: int = 500, months: int = 12) -> int:
    """Recompute every group, a chunk at a time (the nightly job and `make bench`)."""
    ids = list(WorkingGroup.objects.exclude(status="dissolved").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), chunk):
        written += refresh(ids[start : start + chunk], months=months)
    return written


def level_counts(queryset) -> dict[str, int]:
    """Groups per level for a region page."""
    rows = queryset.values("activeness_level").annotate(n=Count("id"))
    counts = {ACTIVE: 0, LESS_ACTIVE: 0, INACTIVE: 0}
    for row in rows:
        counts[row["activeness_level"] or INACTIVE] += row["n"]
    return counts
