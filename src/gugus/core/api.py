"""The audit log over the API, for offices within their region."""

from __future__ import annotations

import datetime
from typing import Annotated

from ninja import Query, Router, Schema

from gugus.core.access import visible
from gugus.core.apitypes import Int
from gugus.core.models import AuditEntry

router = Router(tags=["audit"])


class AuditOut(Schema):
    id: Int
    at: datetime.datetime
    actor: str | None
    action: str
    target_type: str
    target_id: str
    target_repr: str
    changes: dict
    source: str


@router.get("/audit", response=list[AuditOut])
def audit_list(
    request,
    target_type: str = "",
    target_id: str = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
):
    qs = visible(request.auth, AuditEntry).select_related("actor")
    if target_type:
        qs = qs.filter(target_type=target_type)
    if target_id:
        qs = qs.filter(target_id=target_id)
    return [
        {
            **{
                f: getattr(e, f)
                for f in (
                    "id",
                    "at",
                    "action",
                    "target_type",
                    "target_id",
                    "target_repr",
                    "changes",
                    "source",
                )
            },
            "actor": e.actor.username if e.actor else None,
        }
        for e in qs[:limit]
    ]
