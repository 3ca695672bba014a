"""The retention rule: ended memberships and officer posts go five years after the year
they ended, audited; a revoked account's sign-ins and tokens a year after revocation."""

import datetime

import pytest
from axes.models import AccessLog
from django.core.management import call_command
from django.utils import timezone

from gugus.accounts.models import ApiToken
from gugus.accounts.services import api_token_create
from gugus.communities.models import Membership, Officer
from gugus.core.models import AuditEntry
from gugus.core.roles import Role
from tests.factories import GroupFactory, PersonFactory, user_with_role


@pytest.fixture
def today(db, clock):
    clock.set("2026-11-27")
    return clock.today


def _membership(group, ended_on):
    person = PersonFactory()
    started = datetime.date(2015, 1, 1)
    return Membership.objects.create(
        group=group, person=person, started_on=started, ended_on=ended_on
    )


def _sign_in(user, days_ago):
    log = AccessLog.objects.create(username=user.username, user_agent="x", ip_address="10.0.0.1")
    AccessLog.objects.filter(pk=log.pk).update(
        attempt_time=timezone.now() - datetime.timedelta(days=days_ago)
    )


def test_memberships_go_five_years_after_the_year_they_ended_with_an_audit_entry(today, capsys):
    group = GroupFactory()
    gone = _membership(group, datetime.date(2020, 12, 31))
    kept = [_membership(group, datetime.date(2021, 1, 1)), _membership(group, None)]
    post = Officer.objects.create(
        group=group,
        person=gone.person,
        position="ketua",
        started_on="2018-01-01",
        ended_on="2019-06-30",
    )

    call_command("apply_retention", dry_run=True)
    assert "Would delete: 1 memberships, 1 officer posts" in capsys.readouterr().out
    assert Membership.objects.count() == 3

    call_command("apply_retention")

    assert set(Membership.objects.values_list("pk", flat=True)) == {m.pk for m in kept}
    assert not Officer.objects.exists()
    entry = AuditEntry.objects.get(target_type="communities.membership", target_id=str(gone.pk))
    assert (entry.action, entry.source, entry.regency_id) == ("delete", "retention", "34.71")
    assert entry.changes["ended_on"] == ["2020-12-31", None]
    assert AuditEntry.objects.filter(target_id=str(post.pk), source="retention").exists()


def test_a_revoked_account_loses_its_sign_ins_and_tokens_a_year_after(today):
    revoked = user_with_role(Role.GURU, person=PersonFactory())
    active = user_with_role(Role.GURU, person=PersonFactory())
    recently = user_with_role(Role.GURU, person=PersonFactory())
    year_and_a_day = timezone.now() - datetime.timedelta(days=366)
    revoked.role_assignments.update(revoked_at=year_and_a_day)
    recently.role_assignments.update(revoked_at=timezone.now() - datetime.timedelta(days=30))
    for user in (revoked, active, recently):
        _sign_in(user, days_ago=400)
    old_token, _key = api_token_create(user=revoked, name="lama")
    ApiToken.objects.filter(pk=old_token.pk).update(revoked_at=year_and_a_day)
    live_token, _key = api_token_create(user=active, name="aktif")

    call_command("apply_retention")

    assert sorted(AccessLog.objects.values_list("username", flat=True)) == sorted(
        [active.username, recently.username]
    )
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [live_token.pk]
