"""The figures a dashboard shows, made from the tallies (`measures`): a count or sum, or a
share, mean or rate of two of them. Each names the period it reads (none, the year, the
semester or the UKG sitting) and, if it can colour the map, the class breaks its legend
states. The same list drives every level's dashboard, the map and the reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gugus.core.formats import rupiah
from gugus.core.roles import Ministry

# Sections in the order the page shows them.
SECTIONS = {
    "directory": _("Schools and educators"),
    "groups": _("Working groups"),
    "grants": _("Working-group grants"),
    "ukg": _("Competency (UKG)"),
    "partnership": _("Partnership programme"),
    "performance": _("Performance management"),
    "training": _("Training and cascading"),
}

SHARE_BREAKS = (Decimal("0.2"), Decimal("0.4"), Decimal("0.6"), Decimal("0.8"))


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    section: str
    measure: str  # the numerator, and the records a number links to
    per: str = ""  # the denominator; a share, mean or rate when given
    kind: str = "count"  # count, rupiah, share, score, rate
    period: str = ""  # "", "year", "semester" or "ukg": which tallies it reads
    per_period: str | None = None  # the denominator's period when it differs
    breaks: tuple = ()  # class bounds for the map; empty when it is not mapped
    hundredths: bool = False  # the numerator is kept in hundredths (UKG scores)

    @property
    def mapped(self) -> bool:
        return bool(self.breaks)

    def value(self, numbers: dict, periods: dict, ministry: str | None) -> Decimal | None:
        """The figure for one ministry (None: both together), or None without data."""
        top = _get(numbers, self.measure, periods[self.period], ministry)
        if self.hundredths:
            top = top / 100
        if not self.per:
            return Decimal(top)
        period = periods[self.per_period if self.per_period is not None else self.period]
        bottom = _get(numbers, self.per, period, ministry)
        if not bottom:
            return None
        return (Decimal(top) / Decimal(bottom)).quantize(Decimal("0.0001"), ROUND_HALF_UP)

    def css_class(self, value: Decimal | None) -> str:
        """The map class of a value: c0 (lowest) to c4, or "none" without data."""
        if value is None:
            return "none"
        return f"c{sum(1 for b in self.breaks if value >= b)}"

    def classes(self) -> list[tuple[str, str]]:
        """(class, label) of each map class, lowest first, stating its bounds."""
        bounds = [format_value(b, self.kind) for b in self.breaks]
        labels = [gettext("under %(high)s") % {"high": bounds[0]}]
        labels += [
            gettext("%(low)s to under %(high)s") % {"low": a, "high": b}
            for a, b in pairwise(bounds)
        ]
        labels.append(gettext("%(low)s or more") % {"low": bounds[-1]})
        return [(f"c{i}", label) for i, label in enumerate(labels)]


def _get(numbers: dict, measure: str, period: str, ministry: str | None) -> int:
    by_ministry = numbers.get((measure, period), {})
    if ministry is None:
        return sum(by_ministry.values())
    return by_ministry.get(ministry, 0)


def format_value(value: Decimal | None, kind: str) -> str:
    """A figure in the reader's language: 1.234, Rp1.234.567, 45,6%, 67,89 in Indonesian."""
    if value is None:
        return "—"
    if kind == "share":
        return _decimal(value * 100, 1) + "%"
    if kind == "rupiah":
        return rupiah(value)
    if kind == "score":
        return _decimal(value, 2)
    if kind == "rate":
        return _decimal(value, 1)
    return _decimal(value, 0)


def _decimal(value: Decimal, places: int) -> str:
    q = Decimal(1).scaleb(-places)
    return number_format(Decimal(value).quantize(q, ROUND_HALF_UP), places, force_grouping=True)


INDICATORS = [
    Indicator("schools", _("Schools"), "directory", "schools"),
    Indicator("teachers", _("Teachers"), "directory", "teachers"),
    Indicator("heads", _("School heads"), "directory", "heads"),
    Indicator("supervisors", _("Supervisors"), "directory", "supervisors"),
    Indicator("groups", _("Registered groups"), "groups", "groups"),
    Indicator("groups_active", _("Active groups"), "groups", "groups_active"),
    Indicator(
        "active_share",
        _("Share of groups active"),
        "groups",
        "groups_active",
        per="groups",
        kind="share",
        breaks=SHARE_BREAKS,
    ),
    Indicator("groups_waiting", _("Groups waiting for verification"), "groups", "groups_waiting"),
    Indicator("activities", _("Activities held"), "groups", "activities", period="year"),
    Indicator("proposals", _("Proposals sent"), "grants", "proposals", period="year"),
    Indicator("funded", _("Proposals funded"), "grants", "funded", period="year"),
    Indicator("committed", _("Funds committed"), "grants", "committed", "", "rupiah", "year"),
    Indicator("disbursed", _("Funds disbursed"), "grants", "disbursed", "", "rupiah", "year"),
    Indicator("accounted", _("Funds accounted for"), "grants", "accounted", "", "rupiah", "year"),
    Indicator(
        "accounted_share",
        _("Share of disbursed funds accounted for"),
        "grants",
        "accounted",
        per="disbursed",
        kind="share",
        period="year",
        breaks=SHARE_BREAKS,
    ),
    Indicator(
        "inoni_share",
        _("Funded groups that held their whole In-On-In"),
        "grants",
        "inoni_complete",
        per="funded",
        kind="share",
        period="year",
        breaks=SHARE_BREAKS,
    ),
    Indicator("ukg_results", _("UKG results"), "ukg", "ukg_results", period="ukg"),
    Indicator(
        "ukg_mean",
        _("UKG average"),
        "ukg",
        "ukg_sum",
        per="ukg_results",
        kind="score",
        period="ukg",
        breaks=(Decimal(50), Decimal(55), Decimal(60), Decimal(70)),
        hundredths=True,
    ),
    Indicator(
        "ukg_below_share",
        _("Share below the target"),
        "ukg",
        "ukg_below",
        per="ukg_results",
        kind="share",
        period="ukg",
        breaks=SHARE_BREAKS,
    ),
    Indicator(
        "partners", _("Teachers in the partnership"), "partnership", "partners", "", "count", "year"
    ),
    Indicator(
        "paired_share",
        _("Share paired"),
        "partnership",
        "partners_paired",
        per="partners",
        kind="share",
        period="year",
        breaks=SHARE_BREAKS,
    ),
    Indicator("visits", _("On Job Learning visits"), "partnership", "visits", period="year"),
    Indicator("visit_days", _("Visit days attended"), "partnership", "visit_days", period="year"),
    Indicator("plans", _("Performance plans"), "performance", "plans", period="semester"),
    *[
        Indicator(
            f"stage_{k}",
            _("Stage %(n)s done") % {"n": k},
            "performance",
            f"stage_{k}",
            per="plans",
            kind="share",
            period="semester",
        )
        for k in range(1, 6)
    ],
    Indicator(
        "assessed_share",
        _("Share assessed"),
        "performance",
        "plans_assessed",
        per="plans",
        kind="share",
        period="semester",
        breaks=SHARE_BREAKS,
    ),
    Indicator("seats", _("Training seats"), "training", "seats", period="year"),
    Indicator(
        "quota_fill",
        _("Seats filled"),
        "training",
        "nominated",
        per="seats",
        kind="share",
        period="year",
        breaks=SHARE_BREAKS,
    ),
    Indicator(
        "completion",
        _("Participants completed"),
        "training",
        "certified",
        per="nominated",
        kind="share",
        period="year",
        breaks=SHARE_BREAKS,
    ),
    Indicator(
        "cascade_reach",
        _("Schools reached by cascading"),
        "training",
        "cascade_schools",
        per="schools",
        kind="share",
        period="year",
        per_period="",
        breaks=(Decimal("0.05"), Decimal("0.1"), Decimal("0.2"), Decimal("0.4")),
    ),
    Indicator(
        "cascade_teachers",
        _("Teachers reached by cascading"),
        "training",
        "cascade_teachers",
        period="year",
    ),
    Indicator(
        "jp_per_teacher",
        _("JP per teacher"),
        "training",
        "jp",
        per="teachers",
        kind="rate",
        period="year",
        per_period="",
        breaks=(Decimal(2), Decimal(4), Decimal(8), Decimal(16)),
    ),
]
BY_KEY = {i.key: i for i in INDICATORS}
MAPPED = [i for i in INDICATORS if i.mapped]
# Which ministries a figure is shown for, side by side; None is both together.
COLUMNS = [Ministry.KEMENDIKBUD, Ministry.KEMENAG, None]
