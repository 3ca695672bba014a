"""Every list and detail page, and its API twin, runs a fixed number of queries however
many rows it shows: measured once, then again after the rows have grown (no N+1)."""

import datetime

import pytest

from gugus.communities.models import Activity, Attendance, Membership
from gugus.core import audit
from gugus.grants import money
from tests.factories import PersonFactory, teacher
from tests.grants.builders import funded, ketua_of, ready_group, receipt
from tests.querycounts import queries


@pytest.fixture
def grant(programme, group, offices, clock):
    return funded(programme, group, offices, clock)


def _grow(grant, offices, clock):
    """More of everything the pages list: members, activities with attendance, spending,
    audit entries and people."""
    group = grant.group
    school = group.memberships.first().person.school
    for _i in range(6):
        Membership.objects.create(group=group, person=teacher(school), started_on="2024-01-01")
    members = [m.person for m in group.memberships.all()]
    first = group.activities.order_by("pk").first()
    Attendance.objects.bulk_create(
        Attendance(activity=first, person=p, status="hadir") for p in members
    )
    for day in range(1, 7):
        activity = Activity.objects.create(
            group=group,
            kind="pertemuan",
            topic="Rapat",
            place="SD",
            date=datetime.date(2026, 1, day),
            status="held",
        )
        Attendance.objects.bulk_create(
            Attendance(activity=activity, person=p, status="hadir") for p in members
        )
    ketua = ketua_of(group)
    for line in grant.budget.all()[:3]:
        money.spending_record(
            actor=ketua,
            line=line,
            data={"date": "2026-02-05", "description": "Belanja", "amount": "100000"},
            receipt=receipt(),
        )
    for _i in range(5):
        person = PersonFactory(school=school)
        audit.record(
            actor=offices["kabkota"],
            action="update",
            obj=person,
            changes={"name": ["a", "b"]},
            regency_id="34.71",
            province_id="34",
        )


def test_pages_and_api_lists_cost_the_same_with_more_rows(client, grant, offices, clock):
    group, programme = grant.group, grant.programme
    activity = group.activities.order_by("pk").first()
    person = group.memberships.first().person
    pages = {
        "kabkota": [
            "/kelompok/",
            f"/kelompok/{group.pk}/",
            f"/kegiatan/{activity.pk}/",
            "/ptk/",
            f"/ptk/{person.pk}/",
            "/sekolah/",
            "/audit/",
            "/bantuan/",
            f"/bantuan/{programme.pk}/",
            f"/usulan/{grant.pk}/",
            f"/usulan/{grant.pk}/keuangan/",
            "/api/v1/groups",
            f"/api/v1/groups/{group.pk}/members",
            f"/api/v1/groups/{group.pk}/activities",
            f"/api/v1/activities/{activity.pk}/attendance",
            "/api/v1/people",
            "/api/v1/audit",
            "/api/v1/programmes",
            f"/api/v1/programmes/{programme.pk}/proposals",
            f"/api/v1/proposals/{grant.pk}",
            f"/api/v1/proposals/{grant.pk}/spending",
        ]
    }
    users = {"kabkota": offices["kabkota"]}
    before = {}
    for who, urls in pages.items():
        client.force_login(users[who])
        for url in urls:
            before[url] = queries(client, url)
    _grow(grant, offices, clock)
    grown = {}
    for who, urls in pages.items():
        client.force_login(users[who])
        for url in urls:
            grown[url] = queries(client, url)
    more = {url: (before[url], grown[url]) for url in before if grown[url] > before[url]}
    assert more == {}, "queries grew with the rows (before, after)"


@pytest.fixture
def group(db):
    return ready_group(members=15)
