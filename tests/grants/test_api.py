"""The grant API: a proposal prepared, submitted, reviewed and paid; money with receipts."""

from gugus.grants.models import Proposal
from tests.grants.builders import funded, plan_rows, receipt


def test_proposal_through_review_over_the_api(api, programme, group, ketua, offices):
    k = api(ketua)
    eligibility = k.get(f"/api/v1/groups/{group.pk}/grant-eligibility").json()["items"]
    assert eligibility == [
        {
            "programme_id": programme.pk,
            "programme": programme.name,
            "eligible": True,
            "reasons": [],
        }
    ]
    started = k.post(f"/api/v1/programmes/{programme.pk}/proposals", {"group_id": group.pk})
    assert started.status_code == 201, started.json()
    body = started.json()
    pid = body["id"]
    assert [i["kind"] for i in body["plan"]] == ["in", "on", "in", "on", "in"]
    assert "Kondisi saat ini kosong." in body["gaps"]
    refused = k.post(f"/api/v1/proposals/{pid}/submission")
    assert refused.status_code == 400 and refused.json()["code"] == "incomplete"
    k.patch(
        f"/api/v1/proposals/{pid}",
        {
            "background_current": "a",
            "background_expected": "b",
            "background_solution": "c",
            "goals": "d",
            "sustainability_plan": "e",
        },
    )

    # PUT replaces the plan: the rows as GET gave them, with the topics filled in.
    edits = {r["seq"]: r for r in plan_rows(Proposal.objects.get(pk=pid))}
    plan = k.get(f"/api/v1/proposals/{pid}").json()["plan"]
    keep = ("seq", "kind", "date", "practises", "reflects_on")
    rows = [{**{f: item[f] for f in keep}, **edits[item["seq"]]} for item in plan]
    partial = k.put(f"/api/v1/proposals/{pid}/plan", rows[:2])
    assert (partial.status_code, partial.json()["code"]) == (400, "incomplete_plan")
    # In, On, On, In, In: refused at save, naming the second On.
    swapped = [dict(r) for r in rows]
    swapped[2]["kind"], swapped[3]["kind"] = "on", "in"
    refused = k.put(f"/api/v1/proposals/{pid}/plan", swapped)
    assert refused.status_code == 400
    assert "Kegiatan 3" in refused.json()["details"][-1]["message"]
    assert k.put(f"/api/v1/proposals/{pid}/plan", rows).status_code == 200
    line = k.post(
        f"/api/v1/proposals/{pid}/budget",
        {"activity": 1, "category": "honorarium", "description": "Honor", "amount": 14000000},
    )
    assert line.status_code == 201
    # The RAB is per activity: one line for the whole grant leaves four activities unfunded.
    unfunded = k.post(f"/api/v1/proposals/{pid}/submission").json()
    assert [d["message"] for d in unfunded["details"] if d["field"] == "budget"][:1] == [
        "Kegiatan 2 belum memiliki baris anggaran: setiap kegiatan memerlukan RAB-nya sendiri."
    ]
    for seq in (2, 3, 4, 5):
        k.post(
            f"/api/v1/proposals/{pid}/budget",
            {
                "activity": seq,
                "category": "transport",
                "description": "Transport",
                "amount": 250000,
            },
        )
    submitted = k.post(f"/api/v1/proposals/{pid}/submission")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["review_level"] == "kabkota"
    forbidden = api(offices["provinsi"]).post(
        f"/api/v1/proposals/{pid}/reviews", {"decision": "approve", "score": 80}
    )
    assert forbidden.status_code == 403
    hidden = api(offices["sleman"]).get(f"/api/v1/proposals/{pid}")
    assert hidden.status_code == 404
    for level in ("kabkota", "provinsi", "nasional"):
        reviewed = api(offices[level]).post(
            f"/api/v1/proposals/{pid}/reviews", {"decision": "approve", "score": 80}
        )
        assert reviewed.status_code == 200, reviewed.json()
    assert reviewed.json()["status"] == "verified"
    assert [r["level"] for r in reviewed.json()["reviews"]] == ["kabkota", "provinsi", "nasional"]
    office = api(offices["nasional"])
    office.post(f"/api/v1/programmes/{programme.pk}/transitions", {"action": "close_applications"})
    ranked = office.post(f"/api/v1/programmes/{programme.pk}/selection").json()
    assert ranked[0]["selected"] and ranked[0]["proposal_id"] == pid
    decided = office.post(
        f"/api/v1/programmes/{programme.pk}/decision", {"number": "1/SK", "date": "2026-02-01"}
    )
    assert decided.json()["status"] == "running"


def test_spending_with_a_receipt_over_the_api(api, programme, group, ketua, offices, clock):
    grant = funded(programme, group, offices, clock)
    k = api(ketua)
    line = grant.budget.get(description="Honor narasumber")
    made = k.upload(
        f"/api/v1/proposals/{grant.pk}/spending",
        {
            "line_id": line.pk,
            "date": "2026-02-05",
            "description": "Honor In 1",
            "amount": "1500000",
            "tax_kind": "pph21",
            "tax_amount": "75000",
            "receipt": receipt(),
        },
    )
    assert made.status_code == 201, made.json()
    over = k.upload(
        f"/api/v1/proposals/{grant.pk}/spending",
        {
            "line_id": line.pk,
            "date": "2026-02-05",
            "description": "Honor In 2",
            "amount": "9000000",
            "receipt": receipt(),
        },
    )
    assert over.status_code == 400 and over.json()["code"] == "overspend"
    totals = k.get(f"/api/v1/proposals/{grant.pk}").json()["totals"]
    assert (totals["spent"], totals["tax"], totals["balance"]) == (1_500_000, 75_000, 13_500_000)
    assert k.get(f"/api/v1/proposals/{grant.pk}/spending").json()["total"] == 1
