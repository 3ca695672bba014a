"""Recording changes: services call `record` inside their transaction."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from gugus.core.access import user_of
from gugus.core.models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, datetime.date | datetime.datetime | decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(_plain(v) for v in value)
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The audited state of `obj`: foreign keys by id, many-to-many as sorted id lists."""
    state = {}
    for name in fields:
        f = obj._meta.get_field(name)
        if f.many_to_many:
            state[name] = (
                sorted(str(pk) for pk in getattr(obj, name).values_list("pk", flat=True))
                if obj.pk
                else []
            )
        elif f.is_relation:
            state[name] = _plain(getattr(obj, f.attname))
        else:
            state[name] = _plain(getattr(obj, name))
    return state


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """Changed fields as {field: [old, new]}."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def entry(
    *,
    actor,
    action: str,
    obj: models.Model,
    changes: dict,
    source: str = "web",
    province_id: str = "",
    regency_id: str = "",
) -> AuditEntry:
    """An unsaved entry, for bulk writes that save many at once."""
    user = user_of(actor)
    return AuditEntry(
        actor=user if getattr(user, "pk", None) else None,
        action=action,
        target_type=obj._meta.label_lower,
        target_id=str(obj.pk),
        target_repr=str(obj)[:200],
        changes=changes,
        source=source,
        province_id=province_id or "",
        regency_id=regency_id or "",
    )


def record(**kwargs) -> AuditEntry:
    e = entry(**kwargs)
    e.save()
    return e
