"""The retention rule for personal data that is no longer needed (UU 27/2022 asks that
personal data be kept no longer than its purpose needs):

- an ended group membership or officer post is kept for five years after the year it
  ended (the grant reports and activeness measured from it stay auditable that long),
  then deleted, each deletion audited with what the record held;
- a revoked account (every role revoked, or the account deactivated) keeps its sign-in
  history and its revoked API tokens for one year after the revocation (after its last
  sign-in, for a deactivated account), then they are deleted.

People's records, UKG results, certificates and ratings are not removed by time: they are
the record of a career, corrected or deleted through the offices.

`gugus apply_retention` runs it (daily, with the other daily jobs)."""

from __future__ import annotations

import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max, Q

from gugus.accounts.models import ApiToken
from gugus.communities.models import Membership, Officer
from gugus.core import audit, clock
from gugus.core.models import AuditEntry

MEMBERSHIP_YEARS = 5
REVOKED_ACCOUNT_DAYS = 365


def kept_until(today: datetime.date) -> datetime.date:
    """Memberships that ended before this date are past their keeping."""
    return datetime.date(today.year - MEMBERSHIP_YEARS, 1, 1)


def revoked_accounts(now: datetime.datetime):
    """Usernames of accounts revoked more than a year ago."""
    cutoff = now - datetime.timedelta(days=REVOKED_ACCOUNT_DAYS)
    users = get_user_model().objects.annotate(
        open_roles=Count("role_assignments", filter=Q(role_assignments__revoked_at__isnull=True)),
        last_revoked=Max("role_assignments__revoked_at"),
    )
    roles_gone = Q(open_roles=0, last_revoked__lt=cutoff)
    deactivated = Q(is_active=False) & (Q(last_login__lt=cutoff) | Q(last_login__isnull=True))
    return users.filter(roles_gone | deactivated).filter(is_superuser=False)


def apply(*, dry_run: bool = False) -> dict[str, int]:
    """Delete what the rule no longer keeps; returns how many of each (or would, dry)."""
    today, now = clock.today(), clock.now()
    ended = {"memberships": Membership, "officer_posts": Officer}
    old = {
        key: model.objects.filter(ended_on__lt=kept_until(today)).select_related("group")
        for key, model in ended.items()
    }
    accounts = revoked_accounts(now)
    usernames = list(accounts.values_list("username", flat=True))
    sign_ins = {
        "sign_ins": AccessLog.objects.filter(username__in=usernames),
        "failed_sign_ins": AccessAttempt.objects.filter(username__in=usernames),
        "failure_log": AccessFailureLog.objects.filter(username__in=usernames),
    }
    cutoff = now - datetime.timedelta(days=REVOKED_ACCOUNT_DAYS)
    tokens = ApiToken.objects.filter(revoked_at__lt=cutoff)
    counts = {key: qs.count() for key, qs in {**old, **sign_ins, "api_tokens": tokens}.items()}
    if dry_run:
        return counts
    with transaction.atomic():
        for qs in old.values():
            entries = []
            for row in qs.iterator(chunk_size=2000):
                entries.append(
                    audit.entry(
                        actor=None,
                        action=AuditEntry.Action.DELETE,
                        obj=row,
                        source="retention",
                        changes={
                            "person": [row.person_id, None],
                            "group": [row.group_id, None],
                            "ended_on": [row.ended_on.isoformat(), None],
                        },
                        **row.group.audit_region,
                    )
                )
            AuditEntry.objects.bulk_create(entries, batch_size=2000)
            qs.delete()
        for qs in sign_ins.values():
            qs.delete()
        tokens.delete()
    return counts
