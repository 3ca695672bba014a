"""Performance pages and API lists run a fixed number of queries however many teachers,
plans and stages they show: measured once, then after the school's staff grew."""

from gugus.core.roles import Role
from tests.factories import teacher, user_with_role
from tests.performance.conftest import agreed_plan
from tests.querycounts import grew, measure


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
    before = measure(client, pages)
    for _i in range(6):
        _another_teacher_with_a_plan(people)
    grown = measure(client, pages)
    assert grew(before, grown) == {}
