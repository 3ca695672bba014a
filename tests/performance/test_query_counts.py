"""Performance pages and API lists run a fixed number of queries however many teachers,
plans and stages they show: measured once, then after the school's staff grew."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gugus.core.roles import Role
from tests.factories import teacher, user_with_role
from tests.performance.conftest import agreed_plan


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as seen:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(seen.captured_queries)


def _measure(client, pages: dict) -> dict:
    counts = {}
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            client.get(url)  # warm the session and caches
            counts[user.username, url] = _queries(client, url)
    return counts


def _another_teacher_with_a_plan(people):
    guru = teacher(people["school"])
    people_of_guru = {
        **people,
        "guru": guru,
        "teacher_user": user_with_role(Role.GURU, person=guru, school=people["school"]),
    }
    return agreed_plan(people_of_guru)


def test_performance_pages_cost_the_same_with_more_rows(client, people):
    plan = agreed_plan(people)
    period = plan.period_id
    pages = {
        people["head_user"]: [
            "/kinerja/",
            f"/kinerja/{plan.pk}/",
            "/api/v1/plans",
            f"/api/v1/plans/{plan.pk}",
            f"/api/v1/plans/{plan.pk}/cycle",
        ],
        people["pengawas"]: ["/kinerja/", "/api/v1/plans"],
        people["office"]: ["/kinerja/", "/api/v1/plans", f"/api/v1/periods/{period}/completion"],
        people["teacher_user"]: ["/kinerja/", f"/kinerja/{plan.pk}/"],
    }
    before = _measure(client, pages)
    for _i in range(6):
        _another_teacher_with_a_plan(people)
    grown = _measure(client, pages)
    assert {k: (before[k], grown[k]) for k in before if grown[k] > before[k]} == {}
