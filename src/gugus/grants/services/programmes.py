"""Writes to grant programmes: creation with amounts per group type (data of a programme
year, never code), their year's steps, selection and the decision (SK)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gugus.communities.models import WorkingGroup
from gugus.communities.rules import RULES
from gugus.core import audit, clock
from gugus.core.access import CHANGE, CREATE, acting_ministry, actor_for, require, user_of
from gugus.core.changes import mark_places
from gugus.core.cleaning import (
    clean_choice,
    clean_date,
    clean_flag,
    clean_region,
    clean_rupiah,
    clean_text,
)
from gugus.core.errors import DomainError, FieldErrors
from gugus.core.roles import Ministry
from gugus.grants import selection
from gugus.grants.inoni import (
    TEMPLATE_COUNTS,
    template_errors,
)
from gugus.grants.models import (
    GrantProgramme,
    ProgrammeKind,
    Proposal,
)
from gugus.grants.selection import Ranked
from gugus.grants.workflow import (
    GRANT_STATES,
    PROGRAMME,
    PStatus,
    Status,
)


def clean_programme(raw: dict) -> dict:
    errors: list[tuple[str, Any]] = []
    data: dict[str, Any] = {"name": clean_text(raw.get("name"))[:200]}
    if not data["name"]:
        errors.append(("name", _("The name is required.")))
    for name in ("apply_from", "apply_until", "period_start", "period_end"):
        data[name] = clean_date(raw.get(name), name, errors)
    data["year"] = data["period_start"].year if data["period_start"] else None
    if data["apply_from"] and data["apply_until"] and data["apply_from"] > data["apply_until"]:
        errors.append(("apply_until", _("The application window ends before it opens.")))
    if data["period_start"] and data["period_end"] and (data["period_start"] >= data["period_end"]):
        errors.append(("period_end", _("The activity period ends before it starts.")))
    if (
        data["apply_until"]
        and data["period_start"]
        and (data["apply_until"] > data["period_start"])
    ):
        errors.append(("apply_until", _("Proposals close before the activities start.")))
    data["budget_ceiling"] = clean_rupiah(raw.get("budget_ceiling"), "budget_ceiling", errors)
    quota = clean_text(raw.get("quota"))
    data["quota"] = int(quota) if quota.isdigit() and int(quota) > 0 else None
    if data["quota"] is None:
        errors.append(("quota", _("Give the number of groups the programme can fund.")))
    data["required_documents"] = [d for d in (raw.get("required_documents") or []) if d]
    data["province"], data["regency"] = clean_region(
        raw.get("province"), raw.get("regency"), errors
    )
    ministry = clean_text(raw.get("ministry"))
    data["ministry"] = clean_choice(ministry, Ministry, "ministry", errors) if ministry else ""
    data.update(_clean_weights(raw, errors))
    if errors:
        raise FieldErrors(errors)
    return data


def _clean_weights(raw: dict, errors: list) -> dict:
    """The selection weights (0 to 1, two decimals, adding up to 1; by default 0.6 for the
    reviewers and 0.4 for activeness) and whether activeness counts as need."""
    weights = {}
    for name, default in (("review_weight", "0.6"), ("activeness_weight", "0.4")):
        text = clean_text(raw.get(name)).replace(",", ".") or default
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not 0 <= value <= 1 or value != value.quantize(Decimal("0.01")):
            errors.append((name, _("A weight is a number from 0 to 1, such as 0.6.")))
        weights[name] = value
    if None not in weights.values() and sum(weights.values()) != 1:
        errors.append(("activeness_weight", _("The two weights add up to 1.")))
    weights["favour_activation"] = clean_flag(
        raw.get("favour_activation", False), "favour_activation", errors
    )
    return weights


def clean_kinds(rows: list[dict], ministry: str) -> list[dict]:
    """The eligible group types with their amount and In-On-In template (the juknis
    counts unless the programme says otherwise); a type the other ministry governs by
    definition (KKM and Pokjawas are Kemenag's, KKKS and KKPS Kemendikbud's) is refused."""
    errors: list[tuple[str, Any]] = []
    seen, cleaned = set(), []
    if not rows:
        errors.append(("kinds", _("Name at least one eligible group type.")))
    for row in rows:
        kind = clean_text(row.get("kind")).lower()
        if kind not in WorkingGroup.Kind.values:
            errors.append(("kinds", _("Unknown group type '%(kind)s'.") % {"kind": kind}))
            continue
        label = WorkingGroup.Kind(kind).label
        fixed = RULES[kind].ministry
        if fixed and fixed != ministry:
            errors.append(
                (
                    "kinds",
                    _("A %(kind)s is governed by %(ministry)s, not by this programme's ministry.")
                    % {"kind": label, "ministry": Ministry(fixed).label},
                )
            )
            continue
        if kind in seen:
            errors.append(("kinds", _("%(kind)s is listed twice.") % {"kind": label}))
            continue
        seen.add(kind)
        default_in, default_on = TEMPLATE_COUNTS[kind]
        try:
            in_count = int(row.get("in_count") or default_in)
            on_count = int(row.get("on_count") or default_on)
        except (TypeError, ValueError):
            errors.append(
                ("kinds", _("%(kind)s: the template counts are whole numbers.") % {"kind": label})
            )
            continue
        for message in template_errors(in_count, on_count):
            errors.append(("kinds", f"{label}: {message}"))
        amount = clean_rupiah(row.get("amount"), "kinds", errors)
        cleaned.append({"kind": kind, "amount": amount, "in_count": in_count, "on_count": on_count})
    if errors:
        raise FieldErrors(errors)
    return cleaned


def _window_open(apply_until) -> None:
    """A programme is announced only while groups can still apply."""
    if apply_until < clock.today():
        raise FieldErrors(
            [
                (
                    "apply_until",
                    _("The application window ended on %(date)s; give a date from today on.")
                    % {"date": date_format(apply_until, "j F Y")},
                )
            ]
        )


@transaction.atomic
def programme_create(
    *, actor, data: dict, kinds: list[dict], source: str = "web"
) -> GrantProgramme:
    """An office opens a programme for its region and ministry, as a draft; audited with
    its money. The ministry is the office's unless an office acting for both says which."""
    cleaned = clean_programme(data)
    _window_open(cleaned["apply_until"])
    cleaned["ministry"] = cleaned["ministry"] or acting_ministry(actor_for(actor)) or ""
    if not cleaned["ministry"]:
        raise FieldErrors([("ministry", _("Say which ministry runs the programme."))])
    programme = GrantProgramme(**cleaned, created_by=user_of(actor), created_at=clock.now())
    require(actor, CREATE, programme)
    rows = clean_kinds(kinds, programme.ministry)
    programme.save()
    ProgrammeKind.objects.bulk_create(ProgrammeKind(programme=programme, **r) for r in rows)
    audit.record(
        actor=actor,
        action="create",
        obj=programme,
        source=source,
        changes={
            "name": [None, programme.name],
            "ministry": [None, programme.ministry],
            "selection": [
                None,
                [
                    str(programme.review_weight),
                    str(programme.activeness_weight),
                    programme.favour_activation,
                ],
            ],
            "budget_ceiling": [None, str(programme.budget_ceiling)],
            "quota": [None, programme.quota],
            "kinds": [
                None,
                {r["kind"]: [str(r["amount"]), r["in_count"], r["on_count"]] for r in rows},
            ],
        },
        province_id=programme.province_id or "",
        regency_id=programme.regency_id or "",
    )
    return programme


# action: (from states, to state)
@transaction.atomic
def programme_transition(
    *, actor, programme: GrantProgramme, action: str, source: str = "web"
) -> GrantProgramme:
    """Move a programme along draft → open → review → (decision) running → reporting →
    closed. The decision step is `programme_decide`, which needs the selection."""
    programme = GrantProgramme.objects.select_for_update().get(pk=programme.pk)
    require(actor, CHANGE, programme)
    target = PROGRAMME.check(programme, action).target
    if action == "open":
        _window_open(programme.apply_until)
    if action == "start_reporting" and clock.today() < programme.period_start:
        raise DomainError(
            _("Reporting starts once the activities have: they start on %(date)s.")
            % {"date": date_format(programme.period_start, "j F Y")},
            code="too_early",
        )
    if action == "close":
        open_grants = programme.proposals.filter(status__in=GRANT_STATES - {Status.CLOSED})
        if open_grants.exists():
            raise DomainError(
                _("%(n)d funded groups have not closed their grant yet: %(groups)s.")
                % {
                    "n": open_grants.count(),
                    "groups": ", ".join(p.group.name for p in open_grants[:5]),
                },
                code="grants_open",
            )
    before = programme.status
    programme.status = target
    programme.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=action,
        obj=programme,
        source=source,
        changes={"status": [before, target]},
        **programme.audit_region,
    )
    return programme


@transaction.atomic
def programme_select(*, actor, programme: GrantProgramme, source: str = "web") -> list[Ranked]:
    """Rank the verified proposals and select within the quota and the ceiling; can be
    run again until the decision is issued."""
    programme = GrantProgramme.objects.select_for_update().get(pk=programme.pk)
    require(actor, CHANGE, programme)
    if programme.status != PStatus.REVIEW:
        raise DomainError(
            _("Selection happens after proposals close and before the decision."),
            code="invalid_transition",
        )
    pending = programme.proposals.filter(status=Status.SUBMITTED).count()
    if pending:
        raise DomainError(
            _("%(n)d proposals are still being reviewed.") % {"n": pending}, code="pending"
        )
    candidates = list(
        programme.proposals.filter(
            status__in=[Status.VERIFIED, Status.SELECTED, Status.NOT_SELECTED]
        ).select_related("group")
    )
    if not candidates:
        raise DomainError(_("No verified proposals to select from."), code="empty")
    ranked = selection.rank(programme, candidates)
    for r in ranked:
        p = r.proposal
        p.score, p.rank, p.selection_note = r.score, r.rank, r.note
        p.status = Status.SELECTED if r.selected else Status.NOT_SELECTED
    Proposal.objects.bulk_update(candidates, ["score", "rank", "selection_note", "status"])
    mark_places((p.group.province_id, p.group.regency_id) for p in candidates)
    audit.record(
        actor=actor,
        action="select",
        obj=programme,
        source=source,
        changes={
            "selected": [None, [r.proposal.pk for r in ranked if r.selected]],
            "scores": [None, {str(r.proposal.pk): str(r.score) for r in ranked}],
        },
        **programme.audit_region,
    )
    return ranked


@transaction.atomic
def programme_decide(
    *, actor, programme: GrantProgramme, number: str, date, source: str = "web"
) -> GrantProgramme:
    """Issue the decision (SK) on the selection: the programme starts running."""
    programme = GrantProgramme.objects.select_for_update().get(pk=programme.pk)
    require(actor, CHANGE, programme)
    if programme.status != PStatus.REVIEW:
        raise DomainError(
            _("A decision is issued once, on a programme in review."), code="invalid_transition"
        )
    errors: list[tuple[str, Any]] = []
    number = clean_text(number)[:100]
    if not number:
        errors.append(("decision_number", _("Give the decision (SK) number.")))
    day = clean_date(date, "decision_date", errors)
    if errors:
        raise FieldErrors(errors)
    if not programme.proposals.filter(status=Status.SELECTED).exists():
        raise DomainError(_("Run the selection before the decision."), code="no_selection")
    if programme.proposals.filter(status__in=[Status.SUBMITTED, Status.VERIFIED]).exists():
        raise DomainError(
            _("Some proposals are not ranked yet: run the selection again."), code="no_selection"
        )
    programme.decision_number, programme.decision_date = number, day
    programme.status = PStatus.RUNNING
    programme.save(update_fields=["decision_number", "decision_date", "status"])
    audit.record(
        actor=actor,
        action="decide",
        obj=programme,
        source=source,
        changes={
            "decision_number": ["", number],
            "decision_date": [None, str(day)],
            "status": [PStatus.REVIEW, PStatus.RUNNING],
        },
        **programme.audit_region,
    )
    return programme
