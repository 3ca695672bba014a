"""Reads of the partnership pages, always through the scoping layer."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from gugus.competency.models import UkgEvent
from gugus.core import charts, clock
from gugus.core.access import CHANGE, can, visible
from gugus.core.pagination import Page, paginate
from gugus.directory.geo import centroids
from gugus.directory.models import Province, Regency
from gugus.partnership.matching import FULL, NO_HOST
from gugus.partnership.models import (
    ActionPlan,
    Cohort,
    Pair,
    Participant,
    RundownItem,
    Visit,
    VisitAttendance,
)

UNMATCHED_LABELS = {
    NO_HOST: _(
        "no teacher of the tier above teaches this subject at this level, "
        "outside the teacher's own school"
    ),
    FULL: _("every teacher of the tier above who could host is full"),
}


def masker(user, cohort: Cohort):
    """What a reader may read of a participant or a pair: the offices running the cohort
    read every score; a teacher reads their own score only, and no pair's gap or cost
    (which would give the other teacher's score away). Used by the page and the API."""
    offices = can(user, CHANGE, cohort)
    person = getattr(user, "person_id", None)

    def mask(row):
        if offices:
            return row
        if isinstance(row, Participant) and row.person_id != person:
            row.score = None  # read out only, never saved
        if isinstance(row, Pair):
            row.gap = row.cost = None
        return row

    return mask


def later_events(cohort: Cohort) -> list[UkgEvent]:
    """The UKG sittings after the one the cohort chose its teachers by, oldest first."""
    return list(UkgEvent.objects.filter(year__gt=cohort.event.year).order_by("year", "code"))


def region_names(codes: list[str]) -> str:
    """'Kota Yogyakarta, Gorontalo' for ['34.71', '75']."""
    names = dict(Province.objects.filter(code__in=codes).values_list("code", "name"))
    names |= dict(Regency.objects.filter(code__in=codes).values_list("code", "name"))
    return ", ".join(names.get(c, c) for c in codes)


TEACHERS_PER_PAGE = 50
PAIRS_PER_PAGE = 50
VISITS_PER_PAGE = 50


def selection_counts(cohort: Cohort) -> list[dict]:
    """How many teachers each tier holds per subject and kab/kota (left-out ones aside)."""
    rows = (
        Participant.objects.filter(cohort=cohort)
        .exclude(status=Participant.Status.EXCLUDED)
        .order_by()
        .values("tier__rank", "tier__name", "subject_id", "subject__name", "regency_id")
        .annotate(teachers=Count("pk"))
    )
    names = dict(
        Regency.objects.filter(code__in={r["regency_id"] for r in rows}).values_list("code", "name")
    )
    return sorted(
        (
            {
                "tier": r["tier__rank"],
                "tier_name": r["tier__name"],
                "subject": r["subject_id"],
                "subject_name": r["subject__name"],
                "regency_code": r["regency_id"],
                "regency_name": names.get(r["regency_id"], r["regency_id"]),
                "teachers": r["teachers"],
            }
            for r in rows
        ),
        key=lambda r: (r["tier"], r["subject_name"], r["regency_name"]),
    )


def cohort_page(
    user, cohort: Cohort, *, teachers: str = "", page_number=1, pairs_page_number=1
) -> dict:
    """What the cohort page shows: tiers with their counts, one page of the pairs with
    their cost terms, who waits and why, and one page of the teachers by tier (those
    taking part, or with `teachers="excluded"` those the office left out). A province's
    cohort holds hundreds of pairs: the page shows them by pages, the API and the
    workbook whole."""
    participants = (
        visible(user, Participant)
        .filter(cohort=cohort)
        .select_related("person", "tier", "subject", "regency", "school")
    )
    counts = {
        row["tier"]: row["n"]
        for row in participants.exclude(status=Participant.Status.EXCLUDED)
        .order_by()
        .values("tier")
        .annotate(n=Count("pk"))
    }
    tiers = [(t, counts.get(t.pk, 0)) for t in cohort.tiers.order_by("rank")]
    pairs = (
        visible(user, Pair)
        .filter(cohort=cohort)
        .select_related(
            "host__person",
            "host__school",
            "partner__person",
            "partner__school",
            "partner__regency",
            "host__subject",
        )
        .order_by("host__tier__rank", "host__person__name", "partner__person__name")
    )
    mask = masker(user, cohort)
    pairs = paginate(pairs, pairs_page_number, PAIRS_PER_PAGE)
    pairs.items = [mask(p) for p in pairs.items]
    waiting = [
        (p, UNMATCHED_LABELS.get(p.unmatched, "")) for p in participants.exclude(unmatched="")
    ]
    teachers = "excluded" if teachers == "excluded" else ""
    listed = (
        participants.filter(status=Participant.Status.EXCLUDED)
        if teachers
        else participants.exclude(status=Participant.Status.EXCLUDED)
    )
    page = paginate(
        listed.order_by("tier__rank", "subject_id", "-score", "pk"),
        page_number,
        TEACHERS_PER_PAGE,
    )
    page.items = [mask(p) for p in page.items]
    return {
        "host_places": region_names(cohort.host_regions),
        "partner_places": region_names(cohort.partner_regions),
        "weights": {
            "gap": number_format(cohort.gap_weight.normalize(), use_l10n=True),
            "travel": number_format(cohort.travel_weight.normalize(), use_l10n=True),
        },
        "tiers": tiers,
        "pairs_page": pairs,
        "waiting": waiting,
        "teachers": teachers,
        "teachers_page": page,
        "excluded_count": participants.filter(status=Participant.Status.EXCLUDED).count(),
    }


# A host's pairs as `visit_members` reads them; prefetch it for a list of visits.
HOST_PAIRS = Prefetch(
    "host__partners",
    queryset=Pair.objects.select_related(
        "partner__person", "partner__school", "partner__regency", "partner__tier"
    ).order_by("partner__person__name", "partner_id"),
)


def visit_members(visit: Visit) -> list[Participant]:
    """The host first, then the partners of the visit (all the host's partners for the OJL
    week, the one visited for a return visit). A host takes part in one cohort, so their
    pairs are the cohort's."""
    if visit.partner_id:
        partners = [visit.partner]
    elif "partners" in getattr(visit.host, "_prefetched_objects_cache", {}):
        partners = [p.partner for p in visit.host.partners.all()]
    else:
        partners = [
            p.partner
            for p in Pair.objects.filter(cohort_id=visit.cohort_id, host_id=visit.host_id)
            .select_related("partner__person", "partner__school", "partner__regency")
            .order_by("partner__person__name", "partner_id")
        ]
    return [visit.host, *partners]


def _calendar(user, cohort: Cohort) -> QuerySet[Visit]:
    return (
        visible(user, Visit)
        .filter(cohort=cohort)
        .select_related("host__person", "partner__person", "school", "regency")
        .order_by("start", "direction", "host__person__name", "pk")
    )


def _visit_counts() -> dict:
    return {
        "days_taken": Count("attendance__day", distinct=True),
        "notes": Count("observations", distinct=True),
    }


def cohort_visits(user, cohort: Cohort) -> list[Visit]:
    """The visit calendar: each visit the reader may see, with how many of its days have
    attendance and how many observation notes it holds."""
    return list(_calendar(user, cohort).annotate(**_visit_counts()))


def visit_calendar(user, cohort: Cohort, page_number=1) -> Page:
    """One page of the visit calendar. The counts are taken for that page's visits only:
    a province's On Job Learning has hundreds of visits and thousands of marks."""
    page = paginate(_calendar(user, cohort), page_number, VISITS_PER_PAGE)
    counts = {
        row["pk"]: row
        for row in Visit.objects.filter(pk__in=[v.pk for v in page.items])
        .order_by()
        .values("pk")
        .annotate(**_visit_counts())
    }
    for visit in page.items:
        visit.days_taken = counts[visit.pk]["days_taken"]
        visit.notes = counts[visit.pk]["notes"]
    return page


def action_plan_progress(cohort: Cohort) -> dict[str, int]:
    """Of the paired partners: how many wrote their action plan and reported on it."""
    partners = Participant.objects.filter(cohort=cohort, host_pair__isnull=False)
    plans = ActionPlan.objects.filter(participant__in=partners)
    return {
        "partners": partners.count(),
        "written": plans.count(),
        "reported": plans.filter(reported_at__isnull=False).count(),
    }


def pair_flows(user, cohort: Cohort) -> Counter:
    """(host kab/kota, partner kab/kota) → number of pairs the reader may see."""
    return Counter(
        visible(user, Pair)
        .filter(cohort=cohort)
        .values_list("host__regency_id", "partner__regency_id")
        .order_by()
    )


def pair_map(user, cohort: Cohort) -> charts.Chart | None:
    """The pairs between kab/kota as a map: a dot per kab/kota of a host or a partner, a
    line per host kab/kota and partner kab/kota as thick as its number of pairs."""
    flows = pair_flows(user, cohort)
    if not flows:
        return None
    where = centroids()
    codes = sorted({c for flow in flows for c in flow} & where.keys())
    names = dict(Regency.objects.filter(code__in=codes).values_list("code", "name"))
    places = [(c, names.get(c, c), *where[c]) for c in codes]
    return charts.flow_map(
        places,
        [(a, b, n) for (a, b), n in sorted(flows.items())],
        label=str(_("Pairs between districts and cities")),
    )


def visit_page(user, visit: Visit) -> dict:
    """A visit with its teachers, its rundown day by day with each day's attendance, and
    its observation notes."""
    members = visit_members(visit)
    items = defaultdict(list)
    for item in visit.rundown.order_by("day", "starts", "pk"):
        items[item.day].append(item)
    marks = defaultdict(dict)
    for a in VisitAttendance.objects.filter(visit=visit):
        marks[a.day][a.participant_id] = a.status
    today = clock.today()
    days = [
        {
            "n": n,
            "date": visit.date_of(n),
            "items": items[n],
            "present": sum(1 for s in marks[n].values() if s == "hadir"),
            "taken": bool(marks[n]),
            "open": visit.date_of(n) <= today,
        }
        for n in range(1, visit.days + 1)
    ]
    plans = {
        p.participant_id: p
        for p in visible(user, ActionPlan).filter(participant__in=[m.pk for m in members[1:]])
    }
    return {
        "members": members,
        "days": days,
        "attendance": marks,
        "observations": list(
            visit.observations.select_related("observed__person", "author").order_by(
                "day", "created_at", "pk"
            )
        ),
        "plans": [(m, plans.get(m.pk)) for m in members[1:]],
        "activities": RundownItem.Activity.choices,
    }


def visit_attendance_rows(visit: Visit, day: int) -> list[tuple[Participant, str]]:
    marks = dict(
        VisitAttendance.objects.filter(visit=visit, day=day).values_list("participant_id", "status")
    )
    return [(m, marks.get(m.pk, "")) for m in visit_members(visit)]


def my_partnerships(user) -> list[dict]:
    """What a teacher sees of their own partnership: per cohort, their tier, their host
    or their partners, their visits and, for a partner, their action plan."""
    person = getattr(user, "person_id", None)
    if not person:
        return []
    rows = []
    for me in (
        Participant.objects.filter(person_id=person)
        .exclude(status=Participant.Status.EXCLUDED)
        .select_related("cohort", "tier", "subject")
        .order_by("-cohort__year", "cohort__name")
    ):
        pair = (
            Pair.objects.filter(partner=me)
            .select_related("host__person", "host__school", "host__regency")
            .first()
        )
        partners = [
            p.partner
            for p in Pair.objects.filter(host=me)
            .select_related("partner__person", "partner__school", "partner__regency")
            .order_by("partner__person__name")
        ]
        visits = Visit.objects.filter(cohort_id=me.cohort_id).filter(
            Q(host=me)
            | Q(partner=me)
            | Q(direction=Visit.Direction.OJL, host_id=pair.host_id if pair else None)
        )
        rows.append(
            {
                "me": me,
                "host": pair.host if pair else None,
                "partners": partners,
                "visits": list(
                    visits.select_related("school", "regency", "host__person", "partner__person")
                    .prefetch_related("rundown")
                    .order_by("start", "pk")
                ),
                "plan": ActionPlan.objects.filter(participant=me).first() if pair else None,
            }
        )
    return rows
