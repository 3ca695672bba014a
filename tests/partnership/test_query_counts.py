"""Partnership pages and API lists run a fixed number of queries however many teachers,
pairs and visits a cohort holds: a small cohort is measured, then a larger one."""

from gugus.partnership import services
from gugus.partnership.models import Visit
from tests.factories import teacher
from tests.partnership.conftest import school, with_result
from tests.partnership.test_visits import RETURN_START, matched_cohort
from tests.querycounts import grew, queries

PAGES = [
    "/kemitraan/",
    "/kemitraan/{cohort}/",
    "/kemitraan/kunjungan/{visit}/",
    "/api/v1/cohorts",
    "/api/v1/cohorts/{cohort}",
    "/api/v1/cohorts/{cohort}/selection",
    "/api/v1/cohorts/{cohort}/participants",
    "/api/v1/cohorts/{cohort}/pairs",
    "/api/v1/cohorts/{cohort}/visits",
    "/api/v1/cohorts/{cohort}/pair-map",
    "/api/v1/visits/{visit}",
    "/api/v1/visits/{visit}/rundown",
    "/api/v1/visits/{visit}/attendance",
]


def _measure(client, world, cohort) -> dict:
    services.visits_plan(actor=world["office"], cohort=cohort, return_start=RETURN_START)
    visit = Visit.objects.filter(cohort=cohort, direction="ojl").order_by("pk").first()
    client.force_login(world["office"])
    counts = {}
    for page in PAGES:
        counts[page] = queries(client, page.format(cohort=cohort.pk, visit=visit.pk))
    return counts


def test_partnership_pages_cost_the_same_for_a_larger_cohort(client, world, clock):
    clock.set("2026-01-20")
    small = _measure(client, world, matched_cohort(world))

    event = world["event"]
    yogya, far = school("34.71.03"), school("34.03.02")
    for n in range(5):
        with_result(event, teacher(yogya, subject="ipa"), "ipa", 85 + n)
    for n in range(10):
        with_result(event, teacher(far, subject="ipa"), "ipa", 35 + n)
    large = _measure(client, world, matched_cohort(world, name="Kemitraan IPA SMP 2026 B"))

    assert grew(small, large) == {}
