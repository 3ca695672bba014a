"""A cohort from creation to its pairs through the API alone, as a script of an office
would run it."""

import pytest

from gugus.accounts.services import api_token_create
from gugus.partnership import services
from gugus.partnership.models import Pair
from tests.factories import UserFactory
from tests.partnership.conftest import TIERS

pytestmark = pytest.mark.usefixtures("indonesian")


def bearer(user):
    _token, key = api_token_create(user=user, name="skrip")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": "id"}


def test_a_cohort_from_creation_to_locked_pairs_over_the_api(client, world):
    auth = bearer(world["office"])

    def call(method, url, body=None):
        send = getattr(client, method)
        if body is None:
            return send(url, **auth)
        return send(url, body, content_type="application/json", **auth)

    created = call(
        "post",
        "/api/v1/cohorts",
        {
            "name": "Kemitraan IPA SMP 2026",
            "year": 2026,
            "province_code": "34",
            "event": "ukg-2015",
            "subjects": ["ipa"],
            "levels": ["smp"],
            "host_regions": ["34.71"],
            "partner_regions": ["34.03", "33"],
            "tiers": [
                {
                    "name": t["name"],
                    "min_score": t.get("min_score"),
                    "max_score": t.get("max_score"),
                    "mentees": int(t["mentees"]) if "mentees" in t else None,
                }
                for t in TIERS
            ],
        },
    )
    assert created.status_code == 201, created.json()
    cohort = created.json()
    assert cohort["ministry"] == "kemendikbud" and [t["mentees"] for t in cohort["tiers"]] == [
        2,
        None,
    ]
    url = f"/api/v1/cohorts/{cohort['id']}"
    assert call("post", f"{url}/selection", {}).json() == {
        "selected": {"Guru Mitra 1": 3, "Guru Mitra 2": 7}
    }
    assert call("post", f"{url}/matching", {}).json() == {"pairs": 6, "unmatched": 1}
    pairs = call("get", f"{url}/pairs").json()["items"]
    assert len(pairs) == 6 and all(float(p["gap"]) > 0 and float(p["km"]) >= 0 for p in pairs)
    locked = call("put", f"/api/v1/pairs/{pairs[0]['id']}/lock", {"locked": True})
    assert locked.json()["locked"] is True
    ruled_out = call("post", f"/api/v1/pairs/{pairs[1]['id']}/exclusion", {"reason": "Jauh"})
    assert ruled_out.status_code == 201
    refused = call("post", f"/api/v1/pairs/{pairs[0]['id']}/exclusion", {"reason": "Jauh"})
    assert refused.status_code == 400 and refused.json()["code"] == "locked"
    assert call("post", f"{url}/matching", {}).json()["pairs"] == 6
    again = {(p["host_id"], p["partner_id"]) for p in call("get", f"{url}/pairs").json()["items"]}
    assert (pairs[0]["host_id"], pairs[0]["partner_id"]) in again
    assert (pairs[1]["host_id"], pairs[1]["partner_id"]) not in again
    waiting = [
        p for p in call("get", f"{url}/participants?tier=2").json()["items"] if p["unmatched"]
    ]
    assert [p["unmatched"] for p in waiting] == ["capacity_full"]
    left_out = call(
        "post", f"/api/v1/participants/{waiting[0]['id']}/exclusion", {"reason": "Pindah"}
    )
    assert left_out.json()["status"] == "excluded"


def test_a_teacher_reads_their_pair_but_not_other_teachers_scores(client, world):
    cohort = services.cohort_create(
        actor=world["office"],
        data={
            "name": "Kemitraan",
            "year": "2026",
            "province": "34",
            "event": "ukg-2015",
            "subjects": ["ipa"],
            "levels": ["smp"],
            "host_regions": "34.71",
            "partner_regions": "34.03, 33",
        },
        tiers=TIERS,
    )
    services.cohort_select(actor=world["office"], cohort=cohort)
    services.cohort_match(actor=world["office"], cohort=cohort)
    pair = Pair.objects.filter(cohort=cohort).first()
    auth = bearer(UserFactory(person=pair.partner.person))
    rows = client.get(f"/api/v1/cohorts/{cohort.pk}/participants", **auth).json()["items"]
    scores = {r["id"]: r["score"] for r in rows}
    assert set(scores) == {pair.host_id, pair.partner_id}
    assert scores[pair.host_id] is None and float(scores[pair.partner_id]) == float(
        pair.partner.score
    )
    [seen] = client.get(f"/api/v1/cohorts/{cohort.pk}/pairs", **auth).json()["items"]
    assert seen["gap"] is None and seen["cost"] is None  # they would give the host's score away
    office_rows = client.get(
        f"/api/v1/cohorts/{cohort.pk}/participants", **bearer(world["office"])
    ).json()["items"]
    assert all(r["score"] is not None for r in office_rows)
