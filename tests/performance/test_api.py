"""A semester through the API alone, as the teacher's and the head's apps would run it:
versions sent back with every change, a stale one answered 409 with both versions."""

import csv
import io
import json

import pytest

from gugus.accounts.services import api_token_create
from tests.performance.conftest import FULL_PLAN

pytestmark = pytest.mark.usefixtures("indonesian")


def caller(client, user):
    _token, key = api_token_create(user=user, name="aplikasi")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": "id"}

    def call(method, url, body=None):
        send = getattr(client, method)
        if body is None:
            return send(url, **auth)
        return send(url, body, content_type="application/json", **auth)

    return call


def test_a_semester_over_the_api(client, people):
    people["guru"].nip = "198503302010011007"
    people["guru"].save()
    teacher = caller(client, people["teacher_user"])
    head = caller(client, people["head_user"])
    opened = teacher("post", "/api/v1/plans", {})
    assert opened.status_code == 201, opened.json()
    plan = opened.json()
    assert (plan["status"], plan["next_step"]) == ("draft", "submit")
    url = f"/api/v1/plans/{plan['id']}"
    saved = teacher("put", url, {"version": plan["version"], **FULL_PLAN})
    assert saved.status_code == 200 and saved.json()["points"] == 40
    stale = teacher("put", url, {"version": plan["version"], "duties": "Pembina pramuka"})
    assert stale.status_code == 409
    assert stale.json()["details"] == [
        {
            "field": "duties",
            "message": stale.json()["message"],
            "saved": "Wali kelas 4",
            "yours": "Pembina pramuka",
        }
    ]
    version = saved.json()["version"]
    assert teacher("post", f"{url}/submission", {"version": version}).json()["status"] == (
        "submitted"
    )
    assert head("get", "/api/v1/plans").json()["items"][0]["next_step"] == "review"
    version = head("get", url).json()["version"]
    assert (
        teacher("post", f"{url}/review", {"version": version, "decision": "agree"}).status_code
        == 403
    )
    agreed = head("post", f"{url}/review", {"version": version, "decision": "agree"}).json()
    assert agreed["status"] == "agreed"
    cycle = head("get", f"{url}/cycle").json()
    assert [s["kind"] for s in cycle["stages"]] == [1, 2, 3, 4, 5]
    early = head("put", f"{url}/cycle/stages/2", {"version": cycle["version"], "done": True})
    assert early.status_code == 400 and early.json()["code"] == "stage_order"
    cycle = teacher(
        "put",
        f"{url}/cycle/stages/1",
        {"version": cycle["version"], "notes": "Fokus", "done": True},
    ).json()
    cycle = head(
        "put",
        f"{url}/cycle/observation",
        {
            "version": cycle["version"],
            "ratings": [
                {"indicator_id": r["indicator_id"], "rating": "efektif", "evidence": "Ada"}
                for r in cycle["ratings"]
            ],
            "recommendation": "Lanjutkan",
        },
    ).json()
    for kind in (2, 3, 4, 5):
        cycle = head(
            "put", f"{url}/cycle/stages/{kind}", {"version": cycle["version"], "done": True}
        ).json()
    cycle = head(
        "put",
        f"{url}/cycle/aspects",
        {"version": cycle["version"], "reflect": 3, "learn": 3, "change": 2},
    ).json()
    assert cycle["change"] == 2
    people["clock"].set("2026-06-20")
    version = head("get", url).json()["version"]
    assessed = head(
        "put",
        f"{url}/assessment",
        {"version": version, "work_results": "di_atas", "work_behaviour": "di_atas"},
    ).json()
    assert (assessed["predikat"], assessed["next_step"]) == ("sangat_baik", "done")

    office = caller(client, people["office"])
    period = office("get", "/api/v1/periods").json()["items"][0]["id"]
    done = office("get", f"/api/v1/periods/{period}/completion").json()["items"]
    assert done[0]["assessed"] == 1 and done[0]["positions"] == {"assessed": 1}
    assert (done[0]["late"], done[0]["predikat"]) == (0, {"sangat_baik": 1})
    exported = office("get", f"/api/v1/periods/{period}/ekinerja.csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert rows == [
        {
            "nip": "198503302010011007",
            "name": people["guru"].name,
            "npsn": people["school"].npsn,
            "period": "2026-1",
            "role": "guru",
            "work_results": "di_atas",
            "work_behaviour": "di_atas",
            "predikat": "sangat_baik",
        }
    ]
    body = json.loads(office("get", f"/api/v1/periods/{period}/ekinerja.json").content)
    assert body["ratings"] == rows
    kemenag = caller(client, people["pengawas_kemenag"])
    assert kemenag("get", f"/api/v1/periods/{period}/ekinerja.json").json()["ratings"] == []
    assert kemenag("get", url).status_code == 404
