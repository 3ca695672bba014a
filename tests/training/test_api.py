"""A training from creation to verified certificates through the API alone, as the scripts
of a centre and of a kab/kota office would run it."""

import pytest

from gugus.accounts.services import api_token_create
from gugus.core.roles import Role
from tests.factories import user_with_role
from tests.training.conftest import EVENT

pytestmark = pytest.mark.usefixtures("indonesian")


def bearer(user):
    _token, key = api_token_create(user=user, name="skrip")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": "id"}


def caller(client, user):
    auth = bearer(user) if user else {"HTTP_ACCEPT_LANGUAGE": "id"}

    def call(method, url, body=None, status=200):
        send = getattr(client, method)
        response = (
            send(url, **auth)
            if body is None
            else send(url, body, content_type="application/json", **auth)
        )
        assert response.status_code == status, response.content
        return response.json() if response.content else None

    return call


def test_a_training_from_creation_to_verified_certificates(client, bbgp, kota, kota_heads, clock):
    clock.set("2026-02-20")
    centre, office = caller(client, bbgp), caller(client, kota)
    body = {k: v for k, v in EVENT.items() if k not in ("province",)}
    body |= {"province_code": "34", "capacity": 45, "jp": 32, "phase": 2, "min_attendance": 75}
    body |= {"pass_score": 70, "venues": [{"name": "Hotel Santika", "capacity": 45}]}
    event = centre("post", "/api/v1/training/events", body, status=201)
    assert len(event["sessions"]) == 4 and event["status"] == "draft"
    base = f"/api/v1/training/events/{event['id']}"
    quotas = centre("put", f"{base}/quotas", {"seats": {"paud_slb": 3, "sd": 3, "sma": 3}})
    assert (quotas["seats"], quotas["regencies"], quotas["shortfall"]) == (45, 5, 45)
    centre("post", f"{base}/step", {"step": "open"})
    # The kab/kota office nominates its nine heads and sees only its own quota.
    for heads in kota_heads.values():
        for person in heads:
            office("post", f"{base}/participants", {"person_id": person.pk}, status=201)
    mine = office("get", f"{base}/quotas")
    assert (mine["seats"], mine["nominated"], mine["regencies"]) == (9, 9, 1)
    refused = office(
        "post", f"{base}/participants", {"person_id": kota_heads["sd"][0].pk}, status=400
    )
    assert refused["code"] == "already_nominated"
    listed = office("get", f"{base}/participants")
    assert listed["total"] == 9 and all(p["post_score"] is None for p in listed["items"])
    # The head checks in with the code their phone shows, four days running.
    head = kota_heads["sd"][0]
    head_user = user_with_role(Role.KEPALA_SEKOLAH, person=head, school=head.school)
    me = caller(client, head_user)
    (training,) = me("get", "/api/v1/training/mine")["items"]
    centre("post", f"{base}/step", {"step": "start"})
    for session in event["sessions"]:
        clock.set(session["date"])
        done = centre(
            "post",
            f"/api/v1/training/sessions/{session['id']}/checkins",
            {"token": training["checkin_token"]},
        )
        assert done["new"] and done["method"] == "qr" and done["name"] == head.name
    participant = training["participant_id"]
    centre("put", f"/api/v1/training/participants/{participant}/scores", {"post_score": 82})
    me(
        "post",
        f"/api/v1/training/participants/{participant}/evaluation",
        {"content": 5, "facilitators": 4, "organisation": 4, "usefulness": 5},
        status=201,
    )
    refused = office("post", f"/api/v1/training/participants/{participant}/certificate", status=403)
    certificate = centre("post", f"/api/v1/training/participants/{participant}/certificate")
    assert certificate["number"] == "BBGP-DIY/2026/00001"
    dashboard = centre("get", f"{base}/dashboard")
    assert dashboard["overview"]["completed"] == 1 and dashboard["evaluation"]["n"] == 1
    assert [s["checked_in"] for s in dashboard["sessions"]] == [1, 1, 1, 1]
    # Anyone verifies it without logging in, and sees name, event and dates only.
    token = certificate["verification_url"].rstrip("/").rsplit("/", 1)[1]
    public = caller(client, None)("get", f"/api/v1/training/verification/{token}")
    assert public == {
        "genuine": True,
        "name": head.name,
        "event": EVENT["title"],
        "starts_on": "2026-03-19",
        "ends_on": "2026-03-22",
        "revoked": False,
        "revoked_reason": "",
    }
    centre(
        "post",
        f"/api/v1/training/certificates/{certificate['id']}/revocation",
        {"reason": "Nama keliru"},
    )
    public = caller(client, None)("get", f"/api/v1/training/verification/{token}")
    assert public["revoked"] and public["revoked_reason"] == "Nama keliru"
    # The transcript counts the completed training's 32 JP.
    transcript = me("get", f"/api/v1/people/{head.pk}/transcript?year=2026")
    assert transcript["total"] == "32" and transcript["by_kind"] == [
        {"kind": "pelatihan", "jp": "32"}
    ]


def test_bad_input_is_named_in_indonesian(client, bbgp):
    centre = caller(client, bbgp)
    body = {k: v for k, v in EVENT.items() if k not in ("province",)}
    body |= {
        "capacity": 45,
        "jp": 32,
        "certificate_prefix": "bukan prefix!",
        "ends_on": "2026-03-01",
    }
    refused = centre("post", "/api/v1/training/events", body, status=400)
    fields = {d["field"]: d["message"] for d in refused["details"]}
    assert fields["ends_on"] == "Hari terakhir mendahului hari pertama."
    assert "awalan" in fields["certificate_prefix"]
