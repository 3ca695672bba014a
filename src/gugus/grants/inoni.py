"""The In-On-In pattern of the working-group grant (DOMAIN.md §3, seed 000), in one place.

*In* is learning together in the group, *On* is practising it in one's own classroom, and
the *In* after an On reflects on it. A plan (or its realisation) is a list of items; the
rules below are checked on both, and every violation names the activity and the rule.

Rules:
1. the plan has exactly the template's number of In and On activities;
2. the first activity is an In (there is nothing to practise before learning it);
3. every On names the In whose material it practises, held before it;
4. every On is followed by an In that reflects on it (a reflection reflects on one On);
5. dates are in order and inside the programme's period;
6. In and On alternate: in date order, no On follows another On without an In between
   (a 5 In + 2 On plan is In, In, In, On, In, On, In).

When realised, an On needs evidence from classrooms and an In needs attendance and
materials (`realisation_violations`).
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from gugus.communities.models import Evidence

IN, ON = "in", "on"

# Activities the grant funds, per group type: (In, On). Heads' and supervisors' groups
# (KKM, KKKS, Pokjawas, KKPS) get 5 In + 2 On; teachers' groups 3 In + 2 On.
TEMPLATE_COUNTS = {
    "kkg": (3, 2),
    "mgmp": (3, 2),
    "mgbk": (3, 2),
    "kombel": (3, 2),
    "kkm": (5, 2),
    "kkks": (5, 2),
    "pokjawas": (5, 2),
    "kkps": (5, 2),
}
CLASSROOM_EVIDENCE = Evidence.CLASSROOM


@dataclass
class PlanItem:
    ref: str  # how the user knows it: "Kegiatan 3" or a topic
    kind: str  # IN or ON
    date: datetime.date | None
    practises: str | None = None  # for an On: ref of the In it practises
    reflects_on: str | None = None  # for an In: ref of the On it reflects on
    evidence_kinds: set[str] = field(default_factory=set)
    attendance: int = 0
    materials: int = 0


@dataclass(frozen=True)
class Violation:
    ref: str
    rule: str
    message: str


def template_errors(in_count: int, on_count: int) -> list[str]:
    """Why a programme's template for one group type is impossible, if it is."""
    errors = []
    if on_count < 1:
        errors.append(_("The pattern needs at least one On activity."))
    if in_count < on_count + 1:
        errors.append(
            _(
                "Every On needs an In before it and a reflecting In after it: with "
                "%(on)d On activities at least %(min)d In activities are needed."
            )
            % {"on": on_count, "min": on_count + 1}
        )
    return errors


def skeleton(in_count: int, on_count: int) -> list[tuple[str, str | None, str | None]]:
    """The default sequence for a template as (kind, practises, reflects_on) with refs
    "Kegiatan N": extra In activities first, then On, reflecting In, On, reflecting In..."""
    items: list[tuple[str, str | None, str | None]] = []
    extra = in_count - (on_count + 1)
    for _i in range(extra + 1):
        items.append((IN, None, None))
    for _i in range(on_count):
        last_in = f"Kegiatan {len(items)}"
        items.append((ON, last_in, None))
        items.append((IN, None, f"Kegiatan {len(items)}"))
    return items


def alternation_violations(items: list[PlanItem]) -> list[Violation]:
    """Rule 6: two On activities in a row (in date order, or in the plan's order where a
    date is missing) break the pattern."""
    ordered = sorted(enumerate(items), key=lambda p: (p[1].date or datetime.date.max, p[0]))
    found = []
    for (_a, before), (_b, item) in itertools.pairwise(ordered):
        if before.kind == ON and item.kind == ON:
            found.append(
                Violation(
                    item.ref,
                    "alternates",
                    _("%(ref)s is an On right after %(before)s: an In must come between them.")
                    % {"ref": item.ref, "before": before.ref},
                )
            )
    return found


def plan_violations(
    items: list[PlanItem],
    *,
    in_count: int,
    on_count: int,
    period_start: datetime.date,
    period_end: datetime.date,
) -> list[Violation]:
    """Every broken rule of a plan, in the order a reader meets them."""
    found: list[Violation] = []
    by_ref = {i.ref: i for i in items}
    ins = [i for i in items if i.kind == IN]
    ons = [i for i in items if i.kind == ON]
    if len(ins) != in_count or len(ons) != on_count:
        found.append(
            Violation(
                "",
                "counts",
                _(
                    "The plan has %(ins)d In and %(ons)d On activities; this group type needs "
                    "%(in_count)d In and %(on_count)d On."
                )
                % {"ins": len(ins), "ons": len(ons), "in_count": in_count, "on_count": on_count},
            )
        )
    dated = [i for i in items if i.date]
    if dated and min(dated, key=lambda i: i.date).kind != IN:
        first = min(dated, key=lambda i: i.date)
        found.append(
            Violation(
                first.ref,
                "starts_with_in",
                _("%(ref)s: the pattern starts with an In activity, not an On.")
                % {"ref": first.ref},
            )
        )
    for item in items:
        if item.date is None:
            found.append(
                Violation(item.ref, "dates", _("%(ref)s has no date.") % {"ref": item.ref})
            )
        elif not period_start <= item.date <= period_end:
            found.append(
                Violation(
                    item.ref,
                    "period",
                    _("%(ref)s (%(date)s) is outside the programme period, %(start)s to %(end)s.")
                    % {
                        "ref": item.ref,
                        "date": item.date.strftime("%d-%m-%Y"),
                        "start": period_start.strftime("%d-%m-%Y"),
                        "end": period_end.strftime("%d-%m-%Y"),
                    },
                )
            )
    for on in ons:
        source = by_ref.get(on.practises or "")
        if source is None or source.kind != IN:
            found.append(
                Violation(
                    on.ref,
                    "on_practises_in",
                    _(
                        "%(ref)s is an On activity but does not name the In whose material it "
                        "practises."
                    )
                    % {"ref": on.ref},
                )
            )
        elif source.date and on.date and source.date >= on.date:
            found.append(
                Violation(
                    on.ref,
                    "on_practises_in",
                    _("%(ref)s practises %(source)s, which is not held before it.")
                    % {"ref": on.ref, "source": source.ref},
                )
            )
        reflections = [i for i in ins if i.reflects_on == on.ref]
        if not reflections:
            found.append(
                Violation(
                    on.ref,
                    "on_reflected",
                    _("%(ref)s is not followed by an In activity that reflects on it.")
                    % {"ref": on.ref},
                )
            )
        for r in reflections:
            if r.date and on.date and r.date <= on.date:
                found.append(
                    Violation(
                        r.ref,
                        "on_reflected",
                        _("%(ref)s reflects on %(on)s but is not held after it.")
                        % {"ref": r.ref, "on": on.ref},
                    )
                )
    found += alternation_violations(items)
    for item in ins:
        target = by_ref.get(item.reflects_on or "")
        if item.reflects_on and (target is None or target.kind != ON):
            found.append(
                Violation(
                    item.ref,
                    "on_reflected",
                    _("%(ref)s reflects on something that is not an On activity of this plan.")
                    % {"ref": item.ref},
                )
            )
    return found


def realisation_violations(items: list[PlanItem]) -> list[Violation]:
    """What a held activity still lacks: classroom evidence for an On; attendance and
    materials for an In."""
    found = []
    for item in items:
        if item.kind == ON and not item.evidence_kinds & CLASSROOM_EVIDENCE:
            found.append(
                Violation(
                    item.ref,
                    "on_evidence",
                    _(
                        "%(ref)s is an On activity and needs evidence from classrooms (observation "
                        "notes, student work or photos)."
                    )
                    % {"ref": item.ref},
                )
            )
        if item.kind == IN and item.attendance == 0:
            found.append(
                Violation(
                    item.ref,
                    "in_attendance",
                    _("%(ref)s is an In activity and needs its attendance.") % {"ref": item.ref},
                )
            )
        if item.kind == IN and item.materials == 0:
            found.append(
                Violation(
                    item.ref,
                    "in_materials",
                    _("%(ref)s is an In activity and needs its materials.") % {"ref": item.ref},
                )
            )
    return found
