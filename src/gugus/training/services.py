"""Writes of training and mentoring: an event with its venues, sessions, facilitators and
materials; quotas per kab/kota and level group and the nominations that fill them (under a
lock on the quota row, so two offices never overfill one); check-in, scores and the
evaluation; mentors and their visits; cascading; certificates with their numbers and
revocation. Every write checks the scoping layer and is audited."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from gugus.communities.models import WorkingGroup
from gugus.core import audit, clock
from gugus.core.access import (
    CHANGE,
    CREATE,
    VIEW,
    acting_ministry,
    actor_for,
    can,
    require,
    user_of,
)
from gugus.core.changes import mark_places
from gugus.core.cleaning import clean_choice, clean_date, clean_region, clean_text, normalize_name
from gugus.core.errors import Conflict, DomainError, FieldErrors, Forbidden
from gugus.core.roles import Ministry, OfficeKind
from gugus.core.uploads import check_upload
from gugus.directory.models import Office, Person, Position, Regency, School
from gugus.training import rules
from gugus.training.models import (
    Cascade,
    CheckIn,
    Evaluation,
    Event,
    Facilitator,
    Material,
    Mentoring,
    MentoringVisit,
    Participant,
    Quota,
    Session,
    Venue,
)
from gugus.training.policies import CHECK_IN, NOMINATE, can_nominate
from gugus.training.workflow import EVENT

DAY_STARTS, DAY_ENDS = datetime.time(8, 0), datetime.time(16, 0)


def _token() -> str:
    return secrets.token_urlsafe(18)


def _number(raw, field: str, errors, *, low: int, high: int, required: bool = True):
    text = clean_text(raw)
    if not text and not required:
        return None
    if text.isdigit() and low <= int(text) <= high:
        return int(text)
    errors.append((field, _("Give a whole number from %(low)d to %(high)d.") % locals()))
    return None


def _score(raw, field: str, errors) -> Decimal | None:
    text = clean_text(raw).replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not 0 <= value <= 100:
        errors.append((field, _("Give a score from 0 to 100.")))
        return None
    return value.quantize(Decimal("0.01"))


def _choices(raw, choices, field: str, errors, *, required: str | None = None) -> list[str]:
    values = raw if isinstance(raw, list) else str(raw or "").split(",")
    chosen = []
    for value in values:
        if clean_text(value):
            code = clean_choice(value, choices, field, errors)
            if code and code not in chosen:
                chosen.append(code)
    if not chosen and required:
        errors.append((field, required))
    return chosen


def clean_event(raw: dict) -> dict:
    """Raw event input to model values; FieldErrors naming each field."""
    errors: list[tuple[str, Any]] = []
    data: dict[str, Any] = {
        "title": normalize_name(clean_text(raw.get("title")))[:200],
        "topic": normalize_name(clean_text(raw.get("topic")))[:200],
    }
    if not data["title"]:
        errors.append(("title", _("The title is required.")))
    data["kind"] = clean_choice(raw.get("kind") or "", Event.Kind, "kind", errors)
    data["mode"] = clean_choice(raw.get("mode") or "luring", Event.Mode, "mode", errors)
    data["phase"] = _number(raw.get("phase"), "phase", errors, low=1, high=20, required=False)
    ministry = clean_text(raw.get("ministry"))
    data["ministry"] = clean_choice(ministry, Ministry, "ministry", errors) if ministry else ""
    data["province"], data["regency"] = clean_region(
        raw.get("province"), raw.get("regency"), errors
    )
    data["starts_on"] = clean_date(
        raw.get("starts_on"), "starts_on", errors, required=_("Give the first day.")
    )
    data["ends_on"] = clean_date(
        raw.get("ends_on"), "ends_on", errors, required=_("Give the last day.")
    )
    if data["starts_on"] and data["ends_on"]:
        if data["ends_on"] < data["starts_on"]:
            errors.append(("ends_on", _("The last day comes before the first.")))
        elif (data["ends_on"] - data["starts_on"]).days > 60:
            errors.append(("ends_on", _("An event lasts at most 61 days.")))
    data["nominations_close"] = clean_date(
        raw.get("nominations_close"), "nominations_close", errors
    )
    if (
        data["nominations_close"]
        and data["starts_on"]
        and data["nominations_close"] > data["starts_on"]
    ):
        errors.append(("nominations_close", _("Nominations close before the event starts.")))
    data["capacity"] = _number(raw.get("capacity"), "capacity", errors, low=1, high=100_000)
    data["jp"] = _number(raw.get("jp"), "jp", errors, low=1, high=500)
    data["positions"] = _choices(
        raw.get("positions"),
        Position,
        "positions",
        errors,
        required=_("Say who may take part (for example kepala)."),
    )
    data["level_groups"] = _choices(
        raw.get("level_groups"), rules.LevelGroup, "level_groups", errors
    )
    data["min_attendance"] = _number(
        raw.get("min_attendance") or "80", "min_attendance", errors, low=1, high=100
    )
    data["pass_score"] = _score(raw.get("pass_score"), "pass_score", errors)
    prefix = clean_text(raw.get("certificate_prefix")).upper()
    if not prefix or len(prefix) > 30 or not all(c.isalnum() or c in "-." for c in prefix):
        errors.append(
            (
                "certificate_prefix",
                _("Give a short prefix of letters, digits, '-' or '.' such as BBGP-JATIM."),
            )
        )
    data["certificate_prefix"] = prefix
    follows = clean_text(raw.get("follows"))
    data["follows"] = Event.objects.filter(pk=int(follows) if follows.isdigit() else 0).first()
    if follows and data["follows"] is None:
        errors.append(("follows", _("Unknown event.")))
    if errors:
        raise FieldErrors(errors)
    return data


def _organising_group(raw: dict) -> WorkingGroup | None:
    """A group's own event names the group; otherwise the actor's office organises."""
    group = clean_text(raw.get("group"))
    if not group:
        return None
    found = WorkingGroup.objects.filter(pk=int(group) if group.isdigit() else 0).first()
    if found is None:
        raise FieldErrors([("group", _("Unknown working group."))])
    return found


def event_create(*, actor, data: dict, venues: list[dict] | None = None, source="web") -> Event:
    """The organiser opens an event as a draft, with a session per day and its venues."""
    cleaned = clean_event(data)
    group = _organising_group(data)
    if group is not None:
        cleaned["ministry"] = group.ministry
        cleaned["province"], cleaned["regency"] = group.province, group.regency
    cleaned["ministry"] = cleaned["ministry"] or acting_ministry(actor_for(actor)) or ""
    if not cleaned["ministry"]:
        raise FieldErrors([("ministry", _("Say which ministry the event belongs to."))])
    office = None if group else _office_of(actor, cleaned)
    event = Event(
        **cleaned, office=office, group=group, created_by=user_of(actor), created_at=clock.now()
    )
    require(actor, CREATE, event)
    if event.follows is not None and not can(actor, CHANGE, event.follows):
        raise FieldErrors([("follows", _("A follow-up belongs to an event you organise."))])
    venue_rows = [clean_venue(v) for v in venues or []]
    event.save()
    Venue.objects.bulk_create(Venue(event=event, **v) for v in venue_rows)
    Session.objects.bulk_create(
        Session(
            event=event, date=day, title=_("Day %(n)d") % {"n": n}, starts=DAY_STARTS, ends=DAY_ENDS
        )
        for n, day in enumerate(_days(event), start=1)
    )
    audit.record(
        actor=actor,
        action="create",
        obj=event,
        source=source,
        changes={
            "title": [None, event.title],
            "capacity": [None, event.capacity],
            "jp": [None, event.jp],
            "venues": [None, [v["name"] for v in venue_rows]],
        },
        **event.audit_region,
    )
    return event


def _days(event: Event):
    return [event.starts_on + datetime.timedelta(days=n) for n in range(event.days)]


def _office_of(actor, cleaned: dict) -> Office | None:
    """The office the organiser acts for: the one of its assignments that covers the
    event's region for its ministry (a BBGP before a Dinas, as it is the training centre)."""
    user = user_of(actor)
    if not getattr(user, "pk", None):
        return None
    offices = Office.objects.filter(
        role_assignments__user=user, role_assignments__revoked_at__isnull=True
    ).distinct()
    candidates = [o for o in offices if o.ministry == cleaned["ministry"]]
    candidates.sort(key=lambda o: (o.kind != OfficeKind.BBGP, o.pk))
    return candidates[0] if candidates else None


EVENT_FIELDS = (
    "kind",
    "title",
    "topic",
    "phase",
    "mode",
    "starts_on",
    "ends_on",
    "nominations_close",
    "capacity",
    "jp",
    "positions",
    "level_groups",
    "min_attendance",
    "pass_score",
    "certificate_prefix",
)


def event_update(*, actor, event: Event, data: dict, version: int | None = None, source="web"):
    """Changes the event's particulars; its ministry, organiser and region stay."""
    require(actor, CHANGE, event)
    merged = {f: getattr(event, f) for f in EVENT_FIELDS}
    merged.update({k: v for k, v in data.items() if k in EVENT_FIELDS})
    merged.update(
        ministry=event.ministry,
        province=event.province_id,
        regency=event.regency_id,
        follows=event.follows_id or "",
    )
    cleaned = clean_event(merged)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if version is not None and int(version) != locked.version:
            sent = [f for f in EVENT_FIELDS if f in data]
            raise Conflict(
                theirs={f: audit.snapshot(locked, [f])[f] for f in sent},
                yours={f: audit.snapshot(Event(**{f: cleaned[f]}), [f])[f] for f in sent},
            )
        if locked.status == Event.Status.CLOSED:
            raise DomainError(_("A closed event keeps its particulars."), code="event_closed")
        before = audit.snapshot(locked, EVENT_FIELDS)
        for f in EVENT_FIELDS:
            setattr(locked, f, cleaned[f])
        locked.version += 1
        locked.save()
        _days_changed(locked)
        changes = audit.diff(before, audit.snapshot(locked, EVENT_FIELDS))
        if changes:
            audit.record(
                actor=actor,
                action="update",
                obj=locked,
                changes=changes,
                source=source,
                **locked.audit_region,
            )
    return locked


def _days_changed(event: Event) -> None:
    """Sessions follow the event's days: a new day gets its session; a day no longer in
    the event loses its sessions unless someone checked in to them."""
    days = set(_days(event))
    stale = event.sessions.exclude(date__in=days)
    if CheckIn.objects.filter(session__in=stale).exists():
        raise DomainError(
            _("Participants checked in on a day the new dates leave out."), code="sessions_used"
        )
    stale.delete()
    have = set(event.sessions.values_list("date", flat=True))
    Session.objects.bulk_create(
        Session(
            event=event, date=d, title=_("Day %(n)d") % {"n": n}, starts=DAY_STARTS, ends=DAY_ENDS
        )
        for n, d in enumerate(sorted(days), start=1)
        if d not in have
    )


def event_step(*, actor, event: Event, step: str, source="web") -> Event:
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        transition = EVENT.step(step)
        require(actor, transition.permission, locked)
        EVENT.check(locked, step)
        if step == "open" and locked.level_groups and not locked.quotas.exists():
            raise DomainError(_("Set the quotas before opening nominations."), code="no_quotas")
        before = locked.status
        locked.status = transition.target
        locked.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action=step,
            obj=locked,
            source=source,
            changes={"status": [before, locked.status]},
            **locked.audit_region,
        )
    return locked


def clean_venue(raw: dict) -> dict:
    errors: list[tuple[str, Any]] = []
    name = normalize_name(clean_text(raw.get("name")))[:200]
    if not name:
        errors.append(("name", _("The venue's name is required.")))
    capacity = _number(raw.get("capacity"), "capacity", errors, low=1, high=100_000)
    if errors:
        raise FieldErrors(errors)
    return {"name": name, "address": clean_text(raw.get("address"))[:255], "capacity": capacity}


def venue_add(*, actor, event: Event, data: dict, source="web") -> Venue:
    require(actor, CHANGE, event)
    venue = Venue.objects.create(event=event, **clean_venue(data))
    audit.record(
        actor=actor,
        action="venue_add",
        obj=event,
        source=source,
        changes={"venue": [None, venue.name]},
        **event.audit_region,
    )
    return venue


def session_save(
    *, actor, event: Event, data: dict, session: Session | None = None, source="web"
) -> Session:
    """A session inside the event's days, ending after it starts."""
    require(actor, CHANGE, event)
    errors: list[tuple[str, Any]] = []
    date = clean_date(data.get("date"), "date", errors, required=_("Give the date."))
    if date and not event.starts_on <= date <= event.ends_on:
        errors.append(("date", _("The session falls outside the event's days.")))
    title = normalize_name(clean_text(data.get("title")))[:200]
    if not title:
        errors.append(("title", _("The title is required.")))
    times = {}
    for field in ("starts", "ends"):
        try:
            times[field] = datetime.time.fromisoformat(clean_text(data.get(field))).replace(
                tzinfo=None
            )
        except ValueError:
            errors.append((field, _("Use the time format HH:MM.")))
    if len(times) == 2 and times["ends"] <= times["starts"]:
        errors.append(("ends", _("The session ends before it starts.")))
    if errors:
        raise FieldErrors(errors)
    session = session or Session(event=event)
    if session.pk and session.checkins.exists() and session.date != date:
        raise DomainError(
            _("Participants checked in to this session; its date stays."), code="session_used"
        )
    session.date, session.title = date, title
    session.starts, session.ends = times["starts"], times["ends"]
    session.save()
    return session


def session_delete(*, actor, session: Session) -> None:
    require(actor, CHANGE, session.event)
    if session.checkins.exists():
        raise DomainError(_("Participants checked in to this session."), code="session_used")
    session.delete()


def facilitator_add(
    *, actor, event: Event, person: Person, kind: str, venue: Venue | None = None, source="web"
) -> Facilitator:
    require(actor, CHANGE, event)
    errors: list[tuple[str, Any]] = []
    kind = clean_choice(kind, Facilitator.Kind, "kind", errors)
    if venue is not None and venue.event_id != event.pk:
        errors.append(("venue", _("The venue belongs to another event.")))
    if errors:
        raise FieldErrors(errors)
    if event.participants.filter(person=person, status=Participant.Status.NOMINATED).exists():
        raise DomainError(
            _("A participant cannot also facilitate."),
            code="facilitator_participant",
            field="person",
        )
    try:
        with transaction.atomic():
            facilitator = Facilitator.objects.create(
                event=event, person=person, kind=kind, venue=venue
            )
    except IntegrityError:
        raise DomainError(
            _("%(name)s already facilitates this event.") % {"name": person.name},
            code="facilitator_twice",
            field="person",
        ) from None
    audit.record(
        actor=actor,
        action="facilitator_add",
        obj=event,
        source=source,
        changes={"facilitator": [None, [person.pk, kind]]},
        **event.audit_region,
    )
    return facilitator


def facilitator_remove(*, actor, facilitator: Facilitator, source="web") -> None:
    event = facilitator.event
    require(actor, CHANGE, event)
    audit.record(
        actor=actor,
        action="facilitator_remove",
        obj=event,
        source=source,
        changes={"facilitator": [[facilitator.person_id, facilitator.kind], None]},
        **event.audit_region,
    )
    facilitator.delete()


def material_add(*, actor, event: Event, title: str, upload, source="web") -> Material:
    require(actor, CHANGE, event)
    title = normalize_name(clean_text(title))[:200]
    if not title:
        raise FieldErrors([("title", _("The title is required."))])
    file = check_upload(
        upload,
        field="file",
        families=("pdf", "office", "image"),
        expected=_("a PDF, an office document or an image"),
    )
    material = Material.objects.create(
        event=event, title=title, file=file, uploaded_by=user_of(actor), uploaded_at=clock.now()
    )
    audit.record(
        actor=actor,
        action="material_add",
        obj=event,
        source=source,
        changes={"material": [None, title]},
        **event.audit_region,
    )
    return material


# Quotas ---------------------------------------------------------------------------------


def _quota_regencies(event: Event):
    if event.regency_id:
        return Regency.objects.filter(pk=event.regency_id)
    if event.province_id:
        return Regency.objects.filter(province_id=event.province_id)
    return Regency.objects.all()


def quotas_set(
    *, actor, event: Event, seats: dict[str, Any], regencies: list[str] | None = None, source="web"
) -> dict[str, int]:
    """Seats per level group for every kab/kota of the event's region (or the listed
    ones): "3 per level for each kab/kota". The totals must fit the event's capacity, and
    no quota may fall below the nominations it already holds."""
    require(actor, CHANGE, event)
    errors: list[tuple[str, Any]] = []
    per_level: dict[str, int] = {}
    for level, raw in seats.items():
        code = clean_choice(level, rules.LevelGroup, "seats", errors)
        count = _number(raw, f"seats.{level}", errors, low=0, high=10_000)
        if code and count is not None:
            per_level[code] = count
    if event.level_groups and set(per_level) - set(event.level_groups):
        errors.append(("seats", _("The event is not open to that level group.")))
    places = _quota_regencies(event)
    if regencies:
        places = places.filter(pk__in=regencies)
        unknown = set(regencies) - set(places.values_list("pk", flat=True))
        if unknown:
            errors.append(
                (
                    "regencies",
                    _("Outside the event's region: %(codes)s.")
                    % {"codes": ", ".join(sorted(unknown))},
                )
            )
    if not per_level:
        errors.append(("seats", _("Give the seats of at least one level group.")))
    if errors:
        raise FieldErrors(errors)
    codes = list(places.values_list("pk", flat=True))
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)
        existing = {(q.regency_id, q.level_group): q for q in event.quotas.select_for_update()}
        taken = _taken(event)
        for code in codes:
            for level, count in per_level.items():
                if taken.get((code, level), 0) > count:
                    raise DomainError(
                        _("%(place)s already has %(taken)d nominations for %(level)s.")
                        % {"place": code, "taken": taken[(code, level)], "level": level},
                        code="quota_below_nominations",
                        field="seats",
                    )
        new, changed = [], []
        for code in codes:
            for level, count in per_level.items():
                quota = existing.get((code, level))
                if quota is None:
                    new.append(Quota(event=event, regency_id=code, level_group=level, seats=count))
                elif quota.seats != count:
                    quota.seats = count
                    changed.append(quota)
        Quota.objects.bulk_create(new)
        Quota.objects.bulk_update(changed, ["seats"])
        mark_places((code[:2], code) for code in codes)
        total = sum(q.seats for q in event.quotas.all())
        if total > event.capacity:
            raise DomainError(
                _(
                    "The quotas add up to %(total)d seats, more than the event's capacity of "
                    "%(capacity)d."
                )
                % {"total": total, "capacity": event.capacity},
                code="quota_over_capacity",
                field="seats",
            )
        audit.record(
            actor=actor,
            action="quotas_set",
            obj=event,
            source=source,
            changes={
                "seats": [None, per_level],
                "regencies": [None, len(codes)],
                "total": [None, total],
            },
            **event.audit_region,
        )
    return {"regencies": len(codes), "total": total}


def _taken(event: Event) -> dict[tuple[str, str], int]:
    rows = (
        event.participants.filter(status=Participant.Status.NOMINATED)
        .values("regency_id", "level_group")
        .annotate(n=Count("pk"))
    )
    return {(r["regency_id"], r["level_group"]): r["n"] for r in rows}


# Nominations ----------------------------------------------------------------------------


def eligibility_refusals(event: Event, person: Person) -> list[str]:
    """Why a person may not take part in the event: role (position), ministry, level."""
    refusals = []
    if event.positions and person.position not in event.positions:
        allowed = ", ".join(str(Position(p).label) for p in event.positions)
        refusals.append(
            _("The event is for %(allowed)s; %(name)s is %(position)s.")
            % {"allowed": allowed, "name": person.name, "position": person.get_position_display()}
        )
    if person.ministry and person.ministry != event.ministry:
        refusals.append(
            _("The event is for %(ministry)s; %(name)s works under the other ministry.")
            % {"ministry": Ministry(event.ministry).label, "name": person.name}
        )
    school = person.school
    level = rules.level_group_of(school.jenjang if school else None)
    if event.level_groups:
        if level is None:
            refusals.append(_("%(name)s has no school, so no level group.") % {"name": person.name})
        elif level not in event.level_groups:
            refusals.append(
                _("The event is not open to %(level)s.") % {"level": rules.LevelGroup(level).label}
            )
    return refusals


def _place_of(person: Person) -> tuple[str | None, str | None]:
    school = person.school
    regency = school.regency_id if school else person.regency_id
    return regency, rules.level_group_of(school.jenjang if school else None)


def _lock_quota(event: Event, regency_id: str, level: str | None) -> Quota:
    """The quota row, locked: two offices nominating at once are served in turn."""
    quota = (
        Quota.objects.select_for_update()
        .filter(event=event, regency_id=regency_id, level_group=level or "")
        .first()
    )
    if quota is None:
        raise DomainError(
            _("There is no quota for this kab/kota and level group."),
            code="no_quota",
            field="person",
        )
    return quota


def nominate(*, actor, event: Event, person: Person, reason: str = "", source="web") -> Participant:
    """A kab/kota office (or the organiser) nominates a person within the quota of the
    person's kab/kota and level group."""
    require(actor, NOMINATE, event)
    if event.status not in (Event.Status.NOMINATING, Event.Status.RUNNING):
        raise DomainError(_("The event does not take nominations now."), code="not_nominating")
    refusals = eligibility_refusals(event, person)
    if refusals:
        raise DomainError(" ".join(refusals), code="not_eligible", field="person")
    regency, level = _place_of(person)
    if not regency or not can_nominate(actor_for(actor), event, regency):
        raise DomainError(
            _("%(name)s works in a kab/kota whose nominations are not yours.")
            % {"name": person.name},
            code="not_your_quota",
            field="person",
        )
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        active = locked.participants.filter(status=Participant.Status.NOMINATED)
        if active.filter(person=person).exists():
            raise DomainError(
                _("%(name)s is already nominated.") % {"name": person.name},
                code="already_nominated",
                field="person",
            )
        if locked.quotas.exists():
            quota = _lock_quota(locked, regency, level)
            taken = active.filter(regency_id=regency, level_group=quota.level_group).count()
            if taken >= quota.seats:
                raise DomainError(
                    _("The quota of %(seats)d for this kab/kota and level group is full.")
                    % {"seats": quota.seats},
                    code="quota_full",
                    field="person",
                )
        elif active.count() >= locked.capacity:
            raise DomainError(
                _("The event is full (%(capacity)d participants).") % {"capacity": locked.capacity},
                code="event_full",
                field="person",
            )
        participant = _create_participant(actor, locked, person, regency, level, reason)
        audit.record(
            actor=actor,
            action="nominate",
            obj=participant,
            source=source,
            changes={"person": [None, person.pk], "late": [None, participant.late]},
            province_id=regency.split(".")[0],
            regency_id=regency,
        )
    return participant


def _create_participant(actor, event, person, regency, level, reason, replaces=None):
    today = clock.today()
    try:
        with transaction.atomic():
            return Participant.objects.create(
                event=event,
                person=person,
                regency_id=regency,
                level_group=level or "",
                school=person.school,
                replaces=replaces,
                reason=clean_text(reason)[:300],
                late=bool(event.nominations_close and today > event.nominations_close),
                nominated_by=user_of(actor) if getattr(user_of(actor), "pk", None) else None,
                nominated_at=clock.now(),
                checkin_token=_token(),
            )
    except IntegrityError:
        raise DomainError(
            _("%(name)s is already nominated.") % {"name": person.name},
            code="already_nominated",
            field="person",
        ) from None


def _may_nominate_for(actor, participant: Participant) -> None:
    require(actor, NOMINATE, participant)


def participant_replace(
    *, actor, participant: Participant, person: Person, reason: str, source="web"
) -> Participant:
    """Someone takes a nominee's seat: same kab/kota and level group, so the quota holds."""
    _may_nominate_for(actor, participant)
    reason = clean_text(reason)
    if not reason:
        raise FieldErrors([("reason", _("Say why the participant is replaced."))])
    event = participant.event
    if event.status == Event.Status.CLOSED or participant.status != Participant.Status.NOMINATED:
        raise DomainError(
            _("Only a current nominee of an open event can be replaced."), code="not_replaceable"
        )
    if participant.checkins.exists():
        raise DomainError(_("A participant who checked in keeps the seat."), code="checked_in")
    refusals = eligibility_refusals(event, person)
    regency, level = _place_of(person)
    if regency != participant.regency_id or (
        event.level_groups and level != participant.level_group
    ):
        refusals.append(_("The replacement must come from the same kab/kota and level group."))
    if refusals:
        raise DomainError(" ".join(refusals), code="not_eligible", field="person")
    with transaction.atomic():
        Participant.objects.select_for_update().filter(pk=participant.pk).update(
            status=Participant.Status.REPLACED
        )
        mark_places([(participant.regency_id[:2], participant.regency_id)])
        new = _create_participant(
            actor,
            event,
            person,
            participant.regency_id,
            participant.level_group,
            reason,
            replaces=participant,
        )
        audit.record(
            actor=actor,
            action="replace",
            obj=new,
            source=source,
            changes={"person": [participant.person_id, person.pk], "reason": [None, reason]},
            **participant.audit_region,
        )
    return new


def participant_withdraw(
    *, actor, participant: Participant, reason: str, source="web"
) -> Participant:
    _may_nominate_for(actor, participant)
    reason = clean_text(reason)
    if not reason:
        raise FieldErrors([("reason", _("Say why the nomination is withdrawn."))])
    if participant.status != Participant.Status.NOMINATED:
        raise DomainError(_("The nomination is no longer current."), code="not_current")
    if participant.checkins.exists():
        raise DomainError(_("A participant who checked in keeps the seat."), code="checked_in")
    participant.status = Participant.Status.WITHDRAWN
    participant.reason = reason[:300]
    participant.save(update_fields=["status", "reason"])
    audit.record(
        actor=actor,
        action="withdraw",
        obj=participant,
        source=source,
        changes={"status": ["nominated", "withdrawn"], "reason": [None, reason]},
        **participant.audit_region,
    )
    return participant


def venues_assign(*, actor, event: Event, source="web") -> dict[str, int]:
    """Seats the current participants in the venues in order, kept together by level group
    and kab/kota, within each venue's capacity."""
    require(actor, CHANGE, event)
    venues = list(event.venues.all())
    if not venues:
        raise DomainError(_("Add the venues first."), code="no_venues")
    people = list(
        event.participants.filter(status=Participant.Status.NOMINATED).order_by(
            "level_group", "regency_id", "pk"
        )
    )
    if len(people) > sum(v.capacity for v in venues):
        raise DomainError(
            _("The venues hold fewer people than the participants."), code="venues_too_small"
        )
    counts: dict[str, int] = {}
    slots = iter([v for v in venues for _seat in range(v.capacity)])
    for p in people:
        p.venue = next(slots)
        counts[p.venue.name] = counts.get(p.venue.name, 0) + 1
    Participant.objects.bulk_update(people, ["venue"])
    audit.record(
        actor=actor,
        action="venues_assign",
        obj=event,
        source=source,
        changes={"venues": [None, counts]},
        **event.audit_region,
    )
    return counts


# Attendance and results -------------------------------------------------------------


def check_in(
    *,
    actor,
    session: Session,
    token: str = "",
    participant: Participant | None = None,
    source="web",
) -> tuple[CheckIn, bool]:
    """A committee member checks a participant in to a session on its day, by the QR
    code's token or from the list. Returns the check-in and whether it is new."""
    event = session.event
    require(actor, CHECK_IN, event)
    if session.date != clock.today():
        raise DomainError(_("Check-in is open on the session's day only."), code="not_today")
    method = CheckIn.Method.LIST if participant is not None else CheckIn.Method.QR
    if participant is None:
        participant = event.participants.filter(checkin_token=clean_text(token)).first()
    if (
        participant is None
        or participant.event_id != event.pk
        or participant.status != Participant.Status.NOMINATED
    ):
        raise DomainError(
            _("This code is not a participant of the event."), code="unknown_code", field="token"
        )
    existing = CheckIn.objects.filter(participant=participant, session=session).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                participant=participant,
                session=session,
                method=method,
                at=clock.now(),
                by=user_of(actor),
            )
            Participant.objects.filter(pk=participant.pk, registered_at__isnull=True).update(
                registered_at=clock.now()
            )
    except IntegrityError:
        return CheckIn.objects.get(participant=participant, session=session), False
    return checkin, True


def participant_register(*, actor, participant: Participant, source="web") -> Participant:
    """The nominee confirms they will come (daftar ulang), until the event ends."""
    person_id = actor_for(actor).person_id
    if not person_id or participant.person_id != person_id:
        raise Forbidden()
    if participant.status != Participant.Status.NOMINATED or (
        clock.today() > participant.event.ends_on
    ):
        raise DomainError(_("The nomination is no longer current."), code="not_current")
    if participant.registered_at is None:
        participant.registered_at = clock.now()
        participant.save(update_fields=["registered_at"])
        audit.record(
            actor=actor,
            action="register",
            obj=participant,
            source=source,
            changes={"registered_at": [None, participant.registered_at.isoformat()]},
            **participant.audit_region,
        )
    return participant


def scores_record(*, actor, participant: Participant, data: dict, source="web") -> Participant:
    """Pre- and post-test scores, 0-100; audited, as every change to scores."""
    require(actor, CHECK_IN, participant)
    errors: list[tuple[str, Any]] = []
    values = {f: _score(data[f], f, errors) for f in ("pre_score", "post_score") if f in data}
    if errors:
        raise FieldErrors(errors)
    before = audit.snapshot(participant, values)
    for f, v in values.items():
        setattr(participant, f, v)
    participant.save(update_fields=list(values))
    changes = audit.diff(before, audit.snapshot(participant, values))
    if changes:
        audit.record(
            actor=actor,
            action="scores",
            obj=participant,
            changes=changes,
            source=source,
            **participant.audit_region,
        )
    return participant


def evaluation_submit(*, actor, participant: Participant, data: dict, source="web") -> Evaluation:
    """The participant's own evaluation, once, from the event's first day."""
    person_id = actor_for(actor).person_id
    if not person_id or participant.person_id != person_id:
        raise Forbidden()
    if clock.today() < participant.event.starts_on:
        raise DomainError(_("The evaluation opens when the event starts."), code="too_early")
    errors: list[tuple[str, Any]] = []
    marks = {a: _number(data.get(a), a, errors, low=1, high=5) for a in rules.EVALUATION_ASPECTS}
    if errors:
        raise FieldErrors(errors)
    try:
        with transaction.atomic():
            return Evaluation.objects.create(
                participant=participant,
                **marks,
                comment=clean_text(data.get("comment"))[:2000],
                submitted_at=clock.now(),
            )
    except IntegrityError:
        raise DomainError(_("You already evaluated this event."), code="evaluated") from None


# Mentoring and cascading ------------------------------------------------------------


def mentor_assign(*, actor, participant: Participant, mentor: Person, source="web") -> Mentoring:
    """The organiser assigns a mentor for the follow-up (a facilitator, a widyaiswara or a
    pengawas); never the participant themself."""
    require(actor, CHANGE, participant.event)
    if mentor.pk == participant.person_id:
        raise DomainError(
            _("A participant cannot mentor themself."), code="self_mentor", field="mentor"
        )
    mentoring, created = Mentoring.objects.get_or_create(participant=participant, mentor=mentor)
    if created:
        audit.record(
            actor=actor,
            action="mentor_assign",
            obj=participant,
            source=source,
            changes={"mentor": [None, mentor.pk]},
            **participant.audit_region,
        )
    return mentoring


def mentoring_visit_record(
    *, actor, mentoring: Mentoring, data: dict, source="web"
) -> MentoringVisit:
    """The mentor's notes of a visit, after the training and not in the future."""
    require(actor, CHANGE, mentoring)
    errors: list[tuple[str, Any]] = []
    date = clean_date(data.get("date"), "date", errors, required=_("Give the date."))
    event = mentoring.participant.event
    if date and date < event.starts_on:
        errors.append(("date", _("Mentoring follows the training.")))
    if date and date > clock.today():
        errors.append(("date", _("The visit has not happened yet.")))
    minutes = _number(data.get("minutes"), "minutes", errors, low=15, high=600)
    notes = clean_text(data.get("notes"))[:5000]
    if not notes:
        errors.append(("notes", _("Write what you saw.")))
    if errors:
        raise FieldErrors(errors)
    visit = MentoringVisit.objects.create(
        mentoring=mentoring,
        date=date,
        minutes=minutes,
        notes=notes,
        applied=clean_text(data.get("applied"))[:5000],
        recorded_by=user_of(actor),
    )
    audit.record(
        actor=actor,
        action="mentoring_visit",
        obj=mentoring.participant,
        source=source,
        changes={"visit": [None, [str(date), minutes]]},
        **mentoring.participant.audit_region,
    )
    return visit


def cascade_record(
    *, actor, participant: Participant, data: dict, upload=None, source="web"
) -> Cascade:
    """A participant passes the training on to other schools (pengimbasan): which schools
    (by NPSN, never their own), how many teachers, and evidence."""
    if not can(actor, CHANGE, Cascade(participant=participant)):
        require(actor, VIEW, participant)
        raise Forbidden()
    errors: list[tuple[str, Any]] = []
    date = clean_date(data.get("date"), "date", errors, required=_("Give the date."))
    if date and date < participant.event.starts_on:
        errors.append(("date", _("Cascading follows the training.")))
    if date and date > clock.today():
        errors.append(("date", _("The activity has not happened yet.")))
    title = normalize_name(clean_text(data.get("title")))[:200]
    if not title:
        errors.append(("title", _("The title is required.")))
    raw = data.get("schools")
    codes = [
        clean_text(c)
        for c in (raw if isinstance(raw, list) else str(raw or "").replace(";", ",").split(","))
    ]
    codes = sorted({c for c in codes if c})
    schools = list(School.objects.filter(npsn__in=codes))
    unknown = sorted(set(codes) - {s.npsn for s in schools})
    if not codes:
        errors.append(("schools", _("Give the NPSN of the schools reached.")))
    elif unknown:
        errors.append(("schools", _("Unknown NPSN: %(codes)s.") % {"codes": ", ".join(unknown)}))
    elif participant.school_id in {s.pk for s in schools}:
        errors.append(("schools", _("Cascading reaches other schools than your own.")))
    teachers = _number(data.get("teachers"), "teachers", errors, low=1, high=10_000)
    if errors:
        raise FieldErrors(errors)
    evidence = None
    if upload is not None:
        evidence = check_upload(
            upload,
            field="evidence",
            families=("pdf", "image", "office"),
            expected=_("a PDF, an image or an office document"),
        )
    with transaction.atomic():
        cascade = Cascade.objects.create(
            participant=participant,
            date=date,
            title=title,
            teachers=teachers,
            evidence=evidence or "",
            recorded_at=clock.now(),
        )
        cascade.schools.set(schools)
        audit.record(
            actor=actor,
            action="cascade",
            obj=participant,
            source=source,
            changes={"cascade": [None, [title, len(schools), teachers]]},
            **participant.audit_region,
        )
    return cascade
