"""Writes to grant programmes. Amounts are data of a programme year, never code."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gugus.communities.models import WorkingGroup
from gugus.core import audit
from gugus.core.access import CREATE, require, user_of
from gugus.directory.models import Province, Regency
from gugus.directory.services import FieldErrors, _text
from gugus.grants.inoni import TEMPLATE_COUNTS, template_errors
from gugus.grants.models import GrantProgramme, ProgrammeKind


def _date(raw, name, errors) -> datetime.date | None:
    if isinstance(raw, datetime.date):
        return raw
    try:
        return datetime.date.fromisoformat(_text(raw))
    except ValueError:
        errors.append((name, _("Use the date format YYYY-MM-DD.")))
        return None


def _rupiah(raw, name, errors) -> Decimal | None:
    try:
        value = Decimal(_text(raw).replace(".", "").replace(",", ""))
    except InvalidOperation:
        value = None
    if value is None or value <= 0:
        errors.append((name, _("Give an amount in rupiah greater than zero.")))
        return None
    return value


def clean_programme(raw: dict) -> dict:
    errors: list[tuple[str, Any]] = []
    data: dict[str, Any] = {"name": _text(raw.get("name"))[:200]}
    if not data["name"]:
        errors.append(("name", _("The name is required.")))
    for name in ("apply_from", "apply_until", "period_start", "period_end"):
        data[name] = _date(raw.get(name), name, errors)
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
    data["budget_ceiling"] = _rupiah(raw.get("budget_ceiling"), "budget_ceiling", errors)
    quota = _text(raw.get("quota"))
    data["quota"] = int(quota) if quota.isdigit() and int(quota) > 0 else None
    if data["quota"] is None:
        errors.append(("quota", _("Give the number of groups the programme can fund.")))
    data["required_documents"] = [d for d in (raw.get("required_documents") or []) if d]
    data["province"] = data["regency"] = None
    if _text(raw.get("regency")):
        data["regency"] = Regency.objects.filter(code=_text(raw.get("regency"))).first()
        if data["regency"] is None:
            errors.append(
                (
                    "regency",
                    _("Unknown district/city code '%(code)s'.")
                    % {"code": _text(raw.get("regency"))},
                )
            )
        else:
            data["province"] = data["regency"].province
    elif _text(raw.get("province")):
        data["province"] = Province.objects.filter(code=_text(raw.get("province"))).first()
        if data["province"] is None:
            errors.append(
                (
                    "province",
                    _("Unknown province code '%(code)s'.") % {"code": _text(raw.get("province"))},
                )
            )
    if errors:
        raise FieldErrors(errors)
    return data


def clean_kinds(rows: list[dict]) -> list[dict]:
    """The eligible group types with their amount and In-On-In template (the juknis
    counts unless the programme says otherwise)."""
    errors: list[tuple[str, Any]] = []
    seen, cleaned = set(), []
    if not rows:
        errors.append(("kinds", _("Name at least one eligible group type.")))
    for row in rows:
        kind = _text(row.get("kind")).lower()
        if kind not in WorkingGroup.Kind.values:
            errors.append(("kinds", _("Unknown group type '%(kind)s'.") % {"kind": kind}))
            continue
        label = WorkingGroup.Kind(kind).label
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
        amount = _rupiah(row.get("amount"), "kinds", errors)
        cleaned.append({"kind": kind, "amount": amount, "in_count": in_count, "on_count": on_count})
    if errors:
        raise FieldErrors(errors)
    return cleaned


@transaction.atomic
def programme_create(
    *, actor, data: dict, kinds: list[dict], source: str = "web"
) -> GrantProgramme:
    """An office opens a programme for its region, as a draft; audited with its money."""
    programme = GrantProgramme(**clean_programme(data), created_by=user_of(actor))
    require(actor, CREATE, programme)
    rows = clean_kinds(kinds)
    programme.save()
    ProgrammeKind.objects.bulk_create(ProgrammeKind(programme=programme, **r) for r in rows)
    audit.record(
        actor=actor,
        action="create",
        obj=programme,
        source=source,
        changes={
            "name": [None, programme.name],
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
