"""Writes of the partnership programme: a cohort and its tiers, choosing its teachers from
UKG results, the office's exclusions and additions, the exact matching between tiers
(`partnership.matching`), locking or ruling out pairs, and On Job Learning: the visits
with their rundowns, attendance and observations, and the partners' action plans. Every
write is audited."""

from __future__ import annotations

import datetime
import itertools
import math
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gugus.communities.models import Attendance
from gugus.competency.models import Result, UkgEvent
from gugus.core import audit, clock
from gugus.core.access import CHANGE, CREATE, acting_ministry, actor_for, require, user_of
from gugus.core.changes import mark_places, mark_rows
from gugus.core.cleaning import clean_choice, clean_date, clean_region, clean_text
from gugus.core.errors import DomainError, FieldErrors, NotFound
from gugus.core.roles import Ministry
from gugus.directory.models import Jenjang, Province, Regency, Subject
from gugus.partnership import matching
from gugus.partnership.models import (
    ActionPlan,
    Cohort,
    ObservationNote,
    Pair,
    PairExclusion,
    Participant,
    RundownItem,
    Tier,
    Visit,
    VisitAttendance,
)
from gugus.partnership.policies import NOTE
from gugus.partnership.rundown import template_for
from gugus.partnership.selectors import visit_members

MAX_TIERS = 3


def _decimal(raw, field: str, errors, *, default: str | None = None, low=0, high=100):
    text = clean_text(raw).replace(",", ".") or (default or "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not low <= value <= high:
        errors.append((field, _("Give a number from %(low)s to %(high)s.") % locals()))
        return None
    return value


def _codes(raw, field: str, errors) -> list[str]:
    """Province or kab/kota codes ("34", "34.71"), each known."""
    codes = [c.strip() for c in (raw if isinstance(raw, list) else str(raw or "").split(","))]
    codes = [c for c in codes if c]
    known = set(Province.objects.filter(code__in=codes).values_list("code", flat=True)) | set(
        Regency.objects.filter(code__in=codes).values_list("code", flat=True)
    )
    unknown = [c for c in codes if c not in known]
    if unknown:
        errors.append(
            (field, _("Unknown region codes: %(codes)s.") % {"codes": ", ".join(unknown)})
        )
    return codes


def clean_cohort(raw: dict) -> tuple[dict, list[str]]:
    """Raw cohort input to model values and subject codes; FieldErrors naming each field."""
    errors: list[tuple[str, Any]] = []
    data: dict[str, Any] = {"name": clean_text(raw.get("name"))[:200]}
    if not data["name"]:
        errors.append(("name", _("The name is required.")))
    year = clean_text(raw.get("year"))
    data["year"] = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None
    if data["year"] is None:
        errors.append(("year", _("Give a year such as 2026.")))
    ministry = clean_text(raw.get("ministry"))
    data["ministry"] = clean_choice(ministry, Ministry, "ministry", errors) if ministry else ""
    data["province"], data["regency"] = clean_region(
        raw.get("province"), raw.get("regency"), errors
    )
    event = clean_text(raw.get("event")).lower()
    data["event"] = UkgEvent.objects.filter(code=event).first()
    if data["event"] is None:
        errors.append(("event", _("Unknown UKG event '%(code)s'.") % {"code": event}))
    subjects = [clean_text(s) for s in (raw.get("subjects") or []) if clean_text(s)]
    known = set(Subject.objects.filter(code__in=subjects).values_list("code", flat=True))
    if not subjects:
        errors.append(("subjects", _("Choose at least one subject.")))
    elif set(subjects) - known:
        unknown = ", ".join(sorted(set(subjects) - known))
        errors.append(("subjects", _("Unknown subjects: %(codes)s.") % {"codes": unknown}))
    levels = [clean_text(v).lower() for v in (raw.get("levels") or []) if clean_text(v)]
    if not levels or set(levels) - set(Jenjang.values):
        errors.append(("levels", _("Choose the levels (for example smp).")))
    data["levels"] = levels
    data["host_regions"] = _codes(raw.get("host_regions"), "host_regions", errors)
    data["partner_regions"] = _codes(raw.get("partner_regions"), "partner_regions", errors)
    data["gap_weight"] = _decimal(raw.get("gap_weight"), "gap_weight", errors, default="1", high=10)
    data["travel_weight"] = _decimal(
        raw.get("travel_weight"), "travel_weight", errors, default="0.02", high=10
    )
    data["ojl_start"] = clean_date(raw.get("ojl_start"), "ojl_start", errors)
    days = clean_text(raw.get("ojl_days")) or "7"
    data["ojl_days"] = int(days) if days.isdigit() and 1 <= int(days) <= 30 else None
    if data["ojl_days"] is None:
        errors.append(("ojl_days", _("On Job Learning lasts 1 to 30 days.")))
    if errors:
        raise FieldErrors(errors)
    return data, subjects


def clean_tiers(rows: list[dict]) -> list[dict]:
    """Two or three tiers, highest first: each with its score rule, and all but the last
    with the number of partners each of its teachers takes."""
    errors: list[tuple[str, Any]] = []
    if not 2 <= len(rows) <= MAX_TIERS:
        raise FieldErrors([("tiers", _("A cohort has two or three tiers."))])
    cleaned = []
    for rank, row in enumerate(rows, start=1):
        name = clean_text(row.get("name"))[:60] or _("Tier %(n)d") % {"n": rank}
        low = _decimal(row.get("min_score"), "tiers", errors)
        high = _decimal(row.get("max_score"), "tiers", errors)
        share = clean_text(row.get("share"))
        middle = 1 < rank < len(rows)
        if share and (middle or not (share.isdigit() and 1 <= int(share) <= 100)):
            errors.append(
                (
                    "tiers",
                    _("%(tier)s: a share is a whole percentage from 1 to 100.") % {"tier": name}
                    if not middle
                    else _("%(tier)s: only the highest and the last tier take a share.")
                    % {"tier": name},
                )
            )
        if low is None and high is None and not share:
            errors.append(
                (
                    "tiers",
                    _("%(tier)s: give its lowest or highest score, or its share.") % {"tier": name},
                )
            )
        if low is not None and high is not None and low > high:
            errors.append(
                ("tiers", _("%(tier)s: the lowest score is above the highest.") % {"tier": name})
            )
        mentees = clean_text(row.get("mentees"))
        last = rank == len(rows)
        if last and mentees:
            errors.append(
                ("tiers", _("%(tier)s is the last tier: it takes no partners.") % {"tier": name})
            )
        if not last and not (mentees.isdigit() and 1 <= int(mentees) <= 50):
            errors.append(
                (
                    "tiers",
                    _("%(tier)s: how many partners does each teacher take (1 to 50)?")
                    % {"tier": name},
                )
            )
        cleaned.append(
            {
                "rank": rank,
                "name": name,
                "min_score": low,
                "max_score": high,
                "mentees": None if last or not mentees.isdigit() else int(mentees),
                "share": int(share) if share.isdigit() and not middle else None,
            }
        )
    if errors:
        raise FieldErrors(errors)
    return cleaned


@transaction.atomic
def cohort_create(*, actor, data: dict, tiers: list[dict], source: str = "web") -> Cohort:
    """An office of one ministry opens a cohort for its region, as a draft."""
    cleaned, subjects = clean_cohort(data)
    cleaned["ministry"] = cleaned["ministry"] or acting_ministry(actor_for(actor)) or ""
    if not cleaned["ministry"]:
        raise FieldErrors([("ministry", _("Say which ministry runs the cohort."))])
    cohort = Cohort(**cleaned, created_by=user_of(actor), created_at=clock.now())
    require(actor, CREATE, cohort)
    rows = clean_tiers(tiers)
    cohort.save()
    cohort.subjects.set(subjects)
    Tier.objects.bulk_create(Tier(cohort=cohort, **row) for row in rows)
    audit.record(
        actor=actor,
        action="create",
        obj=cohort,
        source=source,
        changes={
            "name": [None, cohort.name],
            "subjects": [None, subjects],
            "tiers": [
                None,
                [
                    [r["name"], str(r["min_score"]), str(r["max_score"]), r["mentees"], r["share"]]
                    for r in rows
                ],
            ],
        },
        **cohort.audit_region,
    )
    return cohort


def _in_regions(codes: list[str]) -> Q:
    if not codes:
        return Q()
    return Q(regency_id__in=[c for c in codes if "." in c]) | Q(
        province_id__in=[c for c in codes if "." not in c]
    )


def _within_cohort(cohort: Cohort) -> Q:
    if cohort.regency_id:
        return Q(regency_id=cohort.regency_id)
    if cohort.province_id:
        return Q(province_id=cohort.province_id)
    return Q()


# A cohort's teachers and pairs change until On Job Learning is planned.
EDITABLE = (Cohort.Status.DRAFT, Cohort.Status.MATCHED)


def _editable(cohort: Cohort) -> None:
    if cohort.status not in EDITABLE:
        raise DomainError(
            _("A cohort in On Job Learning keeps its teachers and pairs."), code="cohort_running"
        )


def _by_share(results, tier: Tier):
    """The results a tier takes: all of them, or with a share the top (highest tier) or
    bottom (last tier) share of each subject and level, rounded up, ties by person."""
    if not tier.share:
        return results.order_by("person_id").iterator()
    groups: dict[tuple, list] = {}
    for r in results.order_by("person_id").iterator():
        groups.setdefault((r.subject_id, r.jenjang), []).append(r)
    top = tier.rank == 1
    chosen = []
    for rows in groups.values():
        rows.sort(key=lambda r: (-r.total if top else r.total, r.person_id))
        chosen += rows[: math.ceil(len(rows) * tier.share / 100)]
    return sorted(chosen, key=lambda r: r.person_id)


@transaction.atomic
def cohort_select(*, actor, cohort: Cohort, source: str = "web") -> dict[str, int]:
    """Choose the cohort's teachers by each tier's rule (scores, share, or both) from the
    cohort's UKG: the top tier from the host regions (inside the cohort's region), the
    others from the partner regions. A teacher qualifying for two tiers takes the higher.
    Teachers the office added or excluded stay so; the rule's earlier choice is replaced."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    require(actor, CHANGE, cohort)
    _editable(cohort)
    kept = set(
        cohort.participants.exclude(status=Participant.Status.SELECTED).values_list(
            "person_id", flat=True
        )
    )
    Pair.objects.filter(cohort=cohort, locked=False).delete()
    cohort.participants.filter(status=Participant.Status.SELECTED).exclude(
        pk__in=Pair.objects.filter(cohort=cohort).values("host")
    ).exclude(pk__in=Pair.objects.filter(cohort=cohort).values("partner")).delete()
    taken = kept | set(cohort.participants.values_list("person_id", flat=True))
    subjects = list(cohort.subjects.values_list("code", flat=True))
    elsewhere = set(
        Participant.objects.filter(
            cohort__status__in=[Cohort.Status.MATCHED, Cohort.Status.RUNNING]
        )
        .exclude(cohort=cohort)
        .values_list("person_id", flat=True)
    )
    counts = {}
    rows = []
    for tier in cohort.tiers.order_by("rank"):
        regions = (
            _within_cohort(cohort) & _in_regions(cohort.host_regions)
            if tier.rank == 1
            else _in_regions(cohort.partner_regions)
        )
        results = Result.objects.filter(
            regions,
            event=cohort.event,
            subject_id__in=subjects,
            jenjang__in=cohort.levels,
            regency_id__gt="",
        )
        if tier.min_score is not None:
            results = results.filter(total__gte=tier.min_score)
        if tier.max_score is not None:
            results = results.filter(total__lte=tier.max_score)
        chosen = 0
        for r in _by_share(results.exclude(person_id__in=taken), tier):
            taken.add(r.person_id)
            chosen += 1
            rows.append(
                Participant(
                    cohort=cohort,
                    tier=tier,
                    person_id=r.person_id,
                    subject_id=r.subject_id,
                    jenjang=r.jenjang,
                    regency_id=r.regency_id,
                    school_id=r.school_id,
                    score=r.total,
                    note=_("Also in another running cohort.") if r.person_id in elsewhere else "",
                )
            )
        counts[tier.name] = chosen
    Participant.objects.bulk_create(rows, batch_size=1000)
    mark_rows(Participant.objects.filter(cohort=cohort), "regency__province_id", "regency_id")
    audit.record(
        actor=actor,
        action="select",
        obj=cohort,
        source=source,
        changes={"selected": [None, counts]},
        **cohort.audit_region,
    )
    return counts


@transaction.atomic
def participant_exclude(*, actor, participant: Participant, reason: str, source: str = "web"):
    """Leave a teacher out of the cohort, with the reason on record."""
    participant = (
        Participant.objects.select_for_update().select_related("cohort").get(pk=participant.pk)
    )
    require(actor, CHANGE, participant)
    _editable(participant.cohort)
    reason = clean_text(reason)[:300]
    if not reason:
        raise FieldErrors([("reason", _("Say why the teacher is left out."))])
    pairs = Pair.objects.filter(Q(host=participant) | Q(partner=participant))
    if pairs.filter(locked=True).exists():
        raise DomainError(_("Unlock the teacher's pairs first."), code="locked")
    pairs.delete()
    before = participant.status
    participant.status = Participant.Status.EXCLUDED
    participant.note = reason
    participant.save(update_fields=["status", "note"])
    audit.record(
        actor=actor,
        action="exclude",
        obj=participant,
        source=source,
        changes={"status": [before, participant.status], "reason": [None, reason]},
        **participant.cohort.audit_region,
    )
    return participant


@transaction.atomic
def participant_add(*, actor, cohort: Cohort, person, rank: int, reason: str, source="web"):
    """Add a teacher the rule did not choose, by their result in the cohort's UKG."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    require(actor, CHANGE, cohort)
    _editable(cohort)
    reason = clean_text(reason)[:300]
    tier = cohort.tiers.filter(rank=rank).first()
    errors = []
    if tier is None:
        errors.append(("tier", _("The cohort has no such tier.")))
    if not reason:
        errors.append(("reason", _("Say why the teacher is added.")))
    result = Result.objects.filter(event=cohort.event, person=person).first()
    if result is None or not result.subject_id:
        errors.append(("person", _("This teacher has no result with a subject in this UKG.")))
    if errors:
        raise FieldErrors(errors)
    if cohort.participants.filter(person=person).exists():
        raise DomainError(_("This teacher is in the cohort already."), code="duplicate")
    participant = Participant.objects.create(
        cohort=cohort,
        tier=tier,
        person=person,
        subject_id=result.subject_id,
        jenjang=result.jenjang,
        regency_id=result.regency_id or person.regency_id,
        school_id=result.school_id,
        score=result.total,
        status=Participant.Status.ADDED,
        note=reason,
    )
    audit.record(
        actor=actor,
        action="add",
        obj=participant,
        source=source,
        changes={"tier": [None, tier.name], "reason": [None, reason]},
        **cohort.audit_region,
    )
    return participant


def _teacher(p: Participant) -> matching.Teacher:
    return matching.Teacher(
        key=p.pk,
        subject=p.subject_id,
        jenjang=p.jenjang,
        regency=p.regency_id,
        school=p.school_id,
        score=float(p.score),
    )


@transaction.atomic
def cohort_match(*, actor, cohort: Cohort, source: str = "web") -> dict[str, int]:
    """Pair each tier with the next, optimally (see `partnership.matching`); locked pairs
    stay, excluded pairs are never made, and each teacher left over records why."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    require(actor, CHANGE, cohort)
    _editable(cohort)
    weights = matching.Weights(gap=float(cohort.gap_weight), travel=float(cohort.travel_weight))
    active = cohort.participants.exclude(status=Participant.Status.EXCLUDED)
    locked = list(Pair.objects.filter(cohort=cohort, locked=True))
    Pair.objects.filter(cohort=cohort, locked=False).delete()
    excluded = set(PairExclusion.objects.filter(cohort=cohort).values_list("host_id", "partner_id"))
    tiers = list(cohort.tiers.order_by("rank"))
    summary = {"pairs": 0, "unmatched": 0}
    new_pairs, reasons = [], {}
    for upper, lower in itertools.pairwise(tiers):
        hosts = [_teacher(p) for p in active.filter(tier=upper)]
        partners = [_teacher(p) for p in active.filter(tier=lower)]
        host_keys = {h.key for h in hosts}
        result = matching.match(
            hosts,
            partners,
            capacity=upper.mentees,
            weights=weights,
            locked=[(p.host_id, p.partner_id) for p in locked if p.host_id in host_keys],
            excluded=excluded,
        )
        for pair in result.pairs:
            reasons[pair.partner.key] = ""
            if pair.locked:
                continue
            new_pairs.append(
                Pair(
                    cohort=cohort,
                    host_id=pair.host.key,
                    partner_id=pair.partner.key,
                    gap=Decimal(str(pair.terms.gap)),
                    km=Decimal(str(pair.terms.km)),
                    cost=pair.terms.cost,
                )
            )
        for u in result.unmatched:
            reasons[u.partner.key] = u.reason
        summary["pairs"] += len(result.pairs)
        summary["unmatched"] += len(result.unmatched)
    Pair.objects.bulk_create(new_pairs, batch_size=1000)
    mark_rows(Participant.objects.filter(cohort=cohort), "regency__province_id", "regency_id")
    for reason in (matching.NO_HOST, matching.FULL, ""):
        keys = [k for k, r in reasons.items() if r == reason]
        Participant.objects.filter(pk__in=keys).update(unmatched=reason)
    cohort.status = Cohort.Status.MATCHED
    cohort.matched_at = clock.now()
    cohort.save(update_fields=["status", "matched_at"])
    audit.record(
        actor=actor,
        action="match",
        obj=cohort,
        source=source,
        changes={"matching": [None, summary]},
        **cohort.audit_region,
    )
    return summary


@transaction.atomic
def pair_lock(*, actor, pair: Pair, locked: bool, source: str = "web") -> Pair:
    """Keep a pair through later matchings (or let it go again)."""
    pair = Pair.objects.select_for_update().select_related("cohort").get(pk=pair.pk)
    require(actor, CHANGE, pair)
    _editable(pair.cohort)
    if pair.locked != locked:
        audit.record(
            actor=actor,
            action="lock" if locked else "unlock",
            obj=pair,
            source=source,
            changes={"locked": [pair.locked, locked]},
            **pair.cohort.audit_region,
        )
        pair.locked = locked
        pair.save(update_fields=["locked"])
    return pair


@transaction.atomic
def pair_exclude(*, actor, pair: Pair, reason: str, source: str = "web") -> PairExclusion:
    """Rule a pair out: it is removed and never made again."""
    pair = Pair.objects.select_for_update().select_related("cohort").get(pk=pair.pk)
    require(actor, CHANGE, pair)
    _editable(pair.cohort)
    reason = clean_text(reason)[:300]
    if not reason:
        raise FieldErrors([("reason", _("Say why the pair is ruled out."))])
    if pair.locked:
        raise DomainError(_("Unlock the pair first."), code="locked")
    exclusion = PairExclusion.objects.create(
        cohort=pair.cohort,
        host=pair.host,
        partner=pair.partner,
        reason=reason,
        excluded_by=user_of(actor),
        excluded_at=clock.now(),
    )
    audit.record(
        actor=actor,
        action="exclude_pair",
        obj=pair.cohort,
        source=source,
        changes={"pair": [[pair.host_id, pair.partner_id], None], "reason": [None, reason]},
        **pair.cohort.audit_region,
    )
    pair.delete()
    return exclusion


# On Job Learning: the visits, their rundowns, attendance and observations, and the
# partners' action plans.

RETURN_DAYS = 2
MAX_VISIT_DAYS = 30
NOTE_LENGTH = 2000


def _days(raw, field: str, errors, *, default: int) -> int | None:
    text = clean_text(raw) or str(default)
    if text.isdigit() and 1 <= int(text) <= MAX_VISIT_DAYS:
        return int(text)
    errors.append((field, _("A visit lasts 1 to %(n)d days.") % {"n": MAX_VISIT_DAYS}))
    return None


@transaction.atomic
def visits_plan(*, actor, cohort: Cohort, return_start, return_days=RETURN_DAYS, source="web"):
    """Plan the On Job Learning of a paired cohort: each host receives their partners for
    the cohort's OJL days, then visits each partner's school in turn from `return_start`.
    Every visit starts from the standard rundown. The cohort is then running: its teachers
    and pairs stay."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    require(actor, CHANGE, cohort)
    if cohort.status != Cohort.Status.MATCHED or not cohort.pairs.exists():
        raise DomainError(
            _("Pair the teachers before planning the visits."), code="cohort_not_matched"
        )
    errors: list[tuple[str, Any]] = []
    if cohort.ojl_start is None:
        errors.append(("ojl_start", _("Set the first day of On Job Learning on the cohort.")))
    start = clean_date(
        return_start, "return_start", errors, required=_("Give the first day of the return visits.")
    )
    days = _days(return_days, "return_days", errors, default=RETURN_DAYS)
    if start and cohort.ojl_start:
        ojl_end = cohort.ojl_start + datetime.timedelta(days=cohort.ojl_days - 1)
        if start <= ojl_end:
            errors.append(
                (
                    "return_start",
                    _("The return visits start after On Job Learning ends (%(date)s).")
                    % {"date": date_format(ojl_end, "SHORT_DATE_FORMAT")},
                )
            )
    if errors:
        raise FieldErrors(errors)
    pairs = list(cohort.pairs.select_related("host", "partner").order_by("host_id", "partner_id"))
    visits = [
        Visit(
            cohort=cohort,
            direction=Visit.Direction.OJL,
            host=host,
            school_id=host.school_id,
            regency_id=host.regency_id,
            start=cohort.ojl_start,
            days=cohort.ojl_days,
        )
        for host in {p.host_id: p.host for p in pairs}.values()
    ]
    # A host visits their partners one after another, never two schools at once.
    visited: dict[int, int] = {}
    for p in pairs:
        order = visited[p.host_id] = visited.get(p.host_id, -1) + 1
        visits.append(
            Visit(
                cohort=cohort,
                direction=Visit.Direction.RETURN,
                host=p.host,
                partner=p.partner,
                school_id=p.partner.school_id,
                regency_id=p.partner.regency_id,
                start=start + datetime.timedelta(days=order * days),
                days=days,
            )
        )
    visits = Visit.objects.bulk_create(visits, batch_size=500)
    mark_places((v.regency_id[:2], v.regency_id) for v in visits)
    RundownItem.objects.bulk_create(
        (
            RundownItem(visit=v, day=s.day, starts=s.starts, ends=s.ends, activity=s.activity)
            for v in visits
            for s in template_for(v.direction, v.days)
        ),
        batch_size=1000,
    )
    cohort.status = Cohort.Status.RUNNING
    cohort.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="plan_visits",
        obj=cohort,
        source=source,
        changes={"visits": [None, len(visits)], "return_start": [None, str(start)]},
        **cohort.audit_region,
    )
    return len(visits)


@transaction.atomic
def visit_update(*, actor, visit: Visit, data: dict, source: str = "web") -> Visit:
    """Move a visit or write its conclusion (shown in the visit report)."""
    visit = Visit.objects.select_for_update().select_related("cohort").get(pk=visit.pk)
    require(actor, CHANGE, visit)
    errors: list[tuple[str, Any]] = []
    before = {"start": str(visit.start), "summary": visit.summary}
    if "start" in data:
        visit.start = clean_date(
            data["start"], "start", errors, required=_("Give the visit's first day.")
        )
    if "summary" in data:
        visit.summary = clean_text(data["summary"])[: NOTE_LENGTH * 2]
    if errors:
        raise FieldErrors(errors)
    visit.save(update_fields=["start", "summary"])
    after = {"start": str(visit.start), "summary": visit.summary}
    audit.record(
        actor=actor,
        action="update",
        obj=visit,
        source=source,
        changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
        **visit.cohort.audit_region,
    )
    return visit


def _time(raw, field: str, errors) -> datetime.time | None:
    if isinstance(raw, datetime.time):
        return raw.replace(tzinfo=None)
    try:
        return datetime.time.fromisoformat(clean_text(raw)).replace(tzinfo=None)
    except ValueError:
        errors.append((field, _("Give a time such as 08:00.")))
        return None


def clean_rundown_item(raw: dict, visit: Visit) -> dict:
    errors: list[tuple[str, Any]] = []
    day = clean_text(raw.get("day"))
    if not (day.isdigit() and 1 <= int(day) <= visit.days):
        errors.append(("day", _("Choose a day from 1 to %(n)d.") % {"n": visit.days}))
    starts = _time(raw.get("starts"), "starts", errors)
    ends = _time(raw.get("ends"), "ends", errors)
    if starts and ends and ends <= starts:
        errors.append(("ends", _("The session ends after it starts.")))
    activity = clean_choice(raw.get("activity"), RundownItem.Activity, "activity", errors)
    if errors:
        raise FieldErrors(errors)
    return {
        "day": int(day),
        "starts": starts,
        "ends": ends,
        "activity": activity,
        "detail": clean_text(raw.get("detail"))[:200],
        "place": clean_text(raw.get("place"))[:120],
    }


@transaction.atomic
def rundown_item_save(*, actor, visit: Visit, data: dict, item: RundownItem | None = None):
    """Add a session to a visit's rundown, or change one."""
    require(actor, CHANGE, visit)
    values = clean_rundown_item(data, visit)
    item = item or RundownItem(visit=visit)
    if item.visit_id != visit.pk:
        raise NotFound()
    for name, value in values.items():
        setattr(item, name, value)
    item.save()
    return item


@transaction.atomic
def rundown_item_delete(*, actor, item: RundownItem) -> None:
    require(actor, CHANGE, item.visit)
    item.delete()


def _visit_day(raw, visit: Visit, errors) -> int | None:
    text = clean_text(raw)
    if text.isdigit() and 1 <= int(text) <= visit.days:
        return int(text)
    errors.append(("day", _("Choose a day from 1 to %(n)d.") % {"n": visit.days}))
    return None


def attendance_too_early(visit: Visit, day: int) -> DomainError | None:
    """Attendance of a day is taken on that day or later, never ahead."""
    if visit.date_of(day) <= clock.today():
        return None
    return DomainError(
        _("Attendance for day %(day)d is taken from %(date)s on.")
        % {"day": day, "date": date_format(visit.date_of(day), "SHORT_DATE_FORMAT")},
        code="too_early",
    )


@transaction.atomic
def visit_attendance_record(*, actor, visit: Visit, day, statuses: dict, source: str = "web"):
    """One day's attendance of the visit's teachers (participant id → hadir/izin/absen);
    teachers left out of `statuses` keep what they had."""
    require(actor, CHANGE, visit)
    errors: list[tuple[str, Any]] = []
    day = _visit_day(day, visit, errors)
    members = {p.pk: p for p in visit_members(visit)}
    cleaned = {}
    for key, raw in statuses.items():
        pk = int(key) if str(key).isdigit() else None
        if pk not in members:
            errors.append(("statuses", _("%(key)s is not a teacher of this visit.") % {"key": key}))
            continue
        cleaned[pk] = clean_choice(raw, Attendance.Status, "statuses", errors)
    if errors:
        raise FieldErrors(errors)
    refusal = attendance_too_early(visit, day)
    if refusal:
        raise refusal
    VisitAttendance.objects.filter(visit=visit, day=day, participant_id__in=cleaned).delete()
    VisitAttendance.objects.bulk_create(
        VisitAttendance(
            visit=visit,
            day=day,
            participant_id=pk,
            status=status,
            recorded_by=user_of(actor),
            recorded_at=clock.now(),
        )
        for pk, status in cleaned.items()
    )
    mark_rows(Participant.objects.filter(pk__in=cleaned), "regency__province_id", "regency_id")
    audit.record(
        actor=actor,
        action="attendance",
        obj=visit,
        source=source,
        changes={"day": [None, day], "statuses": [None, {str(k): v for k, v in cleaned.items()}]},
        **visit.cohort.audit_region,
    )
    return len(cleaned)


@transaction.atomic
def observation_add(*, actor, visit: Visit, day, observed, text, source: str = "web"):
    """A note on a lesson seen during the visit, by one of its teachers or the office."""
    require(actor, NOTE, visit)
    errors: list[tuple[str, Any]] = []
    day = _visit_day(day, visit, errors)
    members = {p.pk for p in visit_members(visit)}
    observed = int(observed) if str(observed or "").isdigit() else None
    if observed not in members:
        errors.append(("observed", _("Choose a teacher of this visit.")))
    text = clean_text(text)
    if not text:
        errors.append(("text", _("Write what was observed.")))
    if len(text) > NOTE_LENGTH:
        errors.append(("text", _("Keep the note under %(n)d characters.") % {"n": NOTE_LENGTH}))
    if errors:
        raise FieldErrors(errors)
    return ObservationNote.objects.create(
        visit=visit,
        day=day,
        observed_id=observed,
        text=text,
        author=user_of(actor),
        created_at=clock.now(),
    )


def _ojl_visit(participant: Participant, direction: str) -> Visit | None:
    pair = Pair.objects.filter(partner=participant).first()
    if pair is None:
        return None
    visits = Visit.objects.filter(cohort_id=participant.cohort_id, direction=direction)
    if direction == Visit.Direction.OJL:
        return visits.filter(host_id=pair.host_id).first()
    return visits.filter(partner=participant).first()


def action_plan_refusal(participant: Participant, *, report: bool = False) -> DomainError | None:
    """Why the partner cannot write (or report on) the action plan yet, or None: it is
    written from the last day of On Job Learning, and reported on from the last day of
    the host's return visit."""
    if not Pair.objects.filter(partner=participant).exists():
        return DomainError(
            _("Only a teacher paired with a host writes an action plan."), code="not_partner"
        )
    visit = _ojl_visit(participant, Visit.Direction.RETURN if report else Visit.Direction.OJL)
    if visit is None:
        return DomainError(_("The visits are not planned yet."), code="not_planned")
    if visit.end > clock.today():
        message = (
            _("The action plan is reported on after the return visit, from %(date)s.")
            if report
            else _("The action plan is written at the end of On Job Learning, from %(date)s.")
        )
        return DomainError(
            message % {"date": date_format(visit.end, "SHORT_DATE_FORMAT")}, code="too_early"
        )
    return None


@transaction.atomic
def action_plan_save(*, actor, participant: Participant, data: dict, source: str = "web"):
    """The partner writes (or rewrites, until reported on) their rencana aksi."""
    participant = Participant.objects.select_related("cohort").get(pk=participant.pk)
    plan = ActionPlan.objects.filter(participant=participant).first()
    if plan:
        require(actor, CHANGE, plan)
    else:
        require(actor, CREATE, ActionPlan(participant=participant))
    refusal = action_plan_refusal(participant)
    if refusal:
        raise refusal
    errors: list[tuple[str, Any]] = []
    values = {
        "goal": clean_text(data.get("goal"))[:NOTE_LENGTH],
        "steps": clean_text(data.get("steps"))[:NOTE_LENGTH],
        "indicator": clean_text(data.get("indicator"))[:300],
    }
    for field, message in (
        ("goal", _("Say what will change in your classroom.")),
        ("steps", _("List the steps.")),
        ("indicator", _("Say how you will know it worked.")),
    ):
        if not values[field]:
            errors.append((field, message))
    values["due"] = clean_date(data.get("due"), "due", errors)
    if errors:
        raise FieldErrors(errors)
    if plan and plan.reported_at:
        raise DomainError(
            _("The action plan has been reported on and stays as written."), code="reported"
        )
    before = {k: getattr(plan, k) for k in values} if plan else {}
    plan = plan or ActionPlan(participant=participant)
    for name, value in values.items():
        setattr(plan, name, value)
    plan.written_at = clock.now()
    plan.save()
    audit.record(
        actor=actor,
        action="update" if before else "create",
        obj=plan,
        source=source,
        changes={k: [str(before.get(k) or "") or None, str(v or "")] for k, v in values.items()},
        **participant.cohort.audit_region,
    )
    return plan


@transaction.atomic
def action_plan_report(*, actor, plan: ActionPlan, report, source: str = "web") -> ActionPlan:
    """After the host's return visit the partner says what came of the plan."""
    plan = ActionPlan.objects.select_related("participant__cohort").get(pk=plan.pk)
    require(actor, CHANGE, plan)
    refusal = action_plan_refusal(plan.participant, report=True)
    if refusal:
        raise refusal
    report = clean_text(report)[:NOTE_LENGTH]
    if not report:
        raise FieldErrors([("report", _("Say what came of the plan."))])
    before = plan.report
    plan.report = report
    plan.reported_at = clock.now()
    plan.save(update_fields=["report", "reported_at"])
    audit.record(
        actor=actor,
        action="report",
        obj=plan,
        source=source,
        changes={"report": [before or None, report]},
        **plan.participant.cohort.audit_region,
    )
    return plan
