"""The dashboards through the API alone: the same figures as the page, the records behind
them, a report asked for, written and downloaded, the impact analysis and the reader's
list of what to do next."""

import pytest

from gugus.accounts.services import api_token_create
from gugus.core.roles import Role
from gugus.directory.models import Province, School
from gugus.insights import reports
from gugus.insights.models import Report
from tests.factories.accounts import user_with_role

pytestmark = pytest.mark.usefixtures("indonesian")


@pytest.fixture
def api(client, world):
    user = user_with_role(Role.ADMIN_PROVINSI, province=Province.objects.get(code="34"))
    key = api_token_create(user=user, name="laporan")[1]

    def call(method, path, **kwargs):
        return getattr(client, method)(
            f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {key}", **kwargs
        )

    return call


def test_the_dashboard_figures_and_the_records_behind_them(api):
    body = api("get", "/insights/regions/P:34?year=2026&map=ukg_mean").json()
    figures = {f["key"]: f for f in body["figures"]}
    schools = figures["schools"]
    assert (
        schools["kemendikbud"]
        == School.objects.filter(province_id="34", ministry="kemendikbud").count()
    )
    assert schools["total"] == School.objects.filter(province_id="34").count()
    assert body["map"] == "ukg_mean" and len(body["classes"]) == 5
    assert {r["code"] for r in body["regions"]} == {"34.01", "34.02", "34.03", "34.04", "34.71"}
    records = api("get", "/insights/regions/P:34/records/schools?ministry=kemendikbud").json()
    assert records["total"] == schools["kemendikbud"]
    assert records["items"][0]["type"] == "directory.school"
    assert api("get", "/insights/regions/P:75").status_code == 404
    assert api("get", "/insights/regions/X:1").status_code == 422


def test_a_report_through_the_api(api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(
            "post",
            "/insights/regions/P:34/reports",
            data={"kind": "semester", "period": "2026-1"},
            content_type="application/json",
        )
    assert response.status_code == 202
    report_id = response.json()["id"]
    assert api("get", f"/insights/reports/{report_id}").json()["status"] == "queued"
    assert api("get", f"/insights/reports/{report_id}/pdf").status_code == 404  # not yet
    reports.write(Report.objects.get(pk=report_id))
    assert api("get", f"/insights/reports/{report_id}").json()["status"] == "done"
    pdf = api("get", f"/insights/reports/{report_id}/pdf")
    assert pdf["Content-Type"] == "application/pdf"
    wrong = api(
        "post",
        "/insights/regions/P:34/reports",
        data={"kind": "bulanan", "period": "2026-2"},
        content_type="application/json",
    )
    assert wrong.status_code == 400
    assert wrong.json()["details"][0]["field"] == "period"


def test_impact_and_tasks(api):
    body = api("get", "/insights/regions/P:34/impact?programme=training&index=numeracy").json()
    assert body["programme"] == "training" and "difference in differences" in body["method"]
    assert "items" in api("get", "/me/tasks").json()
