"""A KKG's grant from the programme's opening to the closed grant, through /api/v1 alone:
every step a page offers, taken by each role with its own token (no service is called
here), so an office's or a group's own software can run the whole year."""

from django.core.files.uploadedfile import SimpleUploadedFile

from gugus.core.roles import Role
from gugus.grants.models import Proposal
from tests.factories import user_with_role
from tests.grants.builders import JPEG, PDF, WINDOW, ketua_of, plan_rows, ready_group


def test_a_grant_from_eligible_to_closed_through_the_api_alone(api, offices, clock):
    group = ready_group(members=15, name="KKG SD Gugus 5 Kotagede")
    ketua = api(ketua_of(group))
    pusat, kota, diy = api(offices["nasional"]), api(offices["kabkota"]), api(offices["provinsi"])
    pengawas = api(user_with_role(Role.PENGAWAS, regency_id="34.71"))

    # The national office opens a programme for KKGs.
    made = pusat.post(
        "/api/v1/programmes",
        {
            "name": "Bantuan Kelompok Kerja 2026",
            "budget_ceiling": 90_000_000,
            "quota": 5,
            **WINDOW,
            "kinds": [{"kind": "kkg", "amount": 15_000_000}],
        },
    )
    assert made.status_code == 201, made.json()
    programme = made.json()["id"]
    ok(pusat.post(f"/api/v1/programmes/{programme}/transitions", {"action": "open"}))

    # The ketua checks eligibility, starts the proposal and fills it.
    eligible = ketua.get(f"/api/v1/groups/{group.pk}/grant-eligibility").json()["items"]
    assert [e["eligible"] for e in eligible] == [True]
    started = ketua.post(f"/api/v1/programmes/{programme}/proposals", {"group_id": group.pk})
    assert started.status_code == 201
    proposal = started.json()["id"]
    url = f"/api/v1/proposals/{proposal}"
    members = ketua.get(f"/api/v1/groups/{group.pk}/members?page_size=100").json()["items"]
    ok(
        ketua.patch(
            url,
            {
                "background_current": "Nilai literasi rendah",
                "background_expected": "Guru menerapkan asesmen diagnostik",
                "background_solution": "Pola In-On-In",
                "goals": "Literasi membaca naik",
                "sustainability_plan": "Iuran anggota untuk pertemuan bulanan",
                "participant_ids": [m["person_id"] for m in members],
            },
        )
    )
    plan = ketua.get(url).json()["plan"]
    edits = {row["seq"]: row for row in plan_rows(Proposal.objects.get(pk=proposal))}
    keep = ("seq", "kind", "date", "practises", "reflects_on")
    rows = [{**{f: item[f] for f in keep}, **edits[item["seq"]]} for item in plan]
    ok(ketua.put(f"{url}/plan", rows))
    for activity, category, description, amount in (
        (1, "honorarium", "Honor narasumber", 11_000_000),
        *((seq, "transport", f"Transport {seq}", 250_000) for seq in (2, 3, 4, 5)),
        (None, "penggandaan", "Penggandaan LPJ", 3_000_000),
    ):
        line = ketua.post(
            f"{url}/budget",
            {
                "activity": activity,
                "category": category,
                "description": description,
                "amount": amount,
            },
        )
        assert line.status_code == 201, line.json()
    submitted = ketua.post(f"{url}/submission")
    assert submitted.status_code == 200, submitted.json()

    # Each review level's office approves in turn.
    for office, score in ((kota, 80), (diy, 85), (pusat, 90)):
        reviewed = office.post(f"{url}/reviews", {"decision": "approve", "score": score})
        assert reviewed.status_code == 200, reviewed.json()
    assert ketua.get(url).json()["status"] == "verified"

    # Selection, the decision (SK) and the transfer.
    clock.set("2026-02-01")
    steps = f"/api/v1/programmes/{programme}"
    ok(pusat.post(f"{steps}/transitions", {"action": "close_applications"}))
    ranked = pusat.post(f"{steps}/selection").json()
    assert [(r["proposal_id"], r["selected"]) for r in ranked] == [(proposal, True)]
    decided = pusat.post(f"{steps}/decision", {"number": "0421/B/2026", "date": "2026-02-01"})
    assert decided.json()["status"] == "running"
    sk = pusat.get(f"{steps}/decision.pdf")
    assert sk["Content-Type"] == "application/pdf" and sk.content.startswith(b"%PDF")
    paid = pusat.post(
        f"{url}/disbursement", {"amount": 15_000_000, "date": "2026-02-03", "reference": "SP2D-1"}
    )
    assert paid.json()["status"] == "funded"

    # Every planned activity held: on the calendar, attendance, evidence, outcome.
    clock.set("2026-11-30")
    for item in ketua.get(url).json()["plan"]:
        held = ketua.post(f"/api/v1/plan-items/{item['id']}/realisation", {"place": "SD 1"})
        activity = held.json()["activity_id"]
        assert activity, held.json()
        register = ketua.get(f"/api/v1/activities/{activity}/attendance?page_size=100").json()
        marks = {row["person_id"]: "hadir" for row in register["items"]}
        on = item["kind"] == "on"
        if on:  # an On is held only with its classroom evidence
            early = ketua.patch(f"/api/v1/activities/{activity}/attendance", {"attendance": marks})
            assert early.json()["code"] == "no_classroom_evidence"
        evidence = ketua.upload(
            f"/api/v1/activities/{activity}/evidence",
            {
                "kind": "observasi" if on else "dokumen",
                "file": SimpleUploadedFile("kelas.jpg", JPEG)
                if on
                else SimpleUploadedFile("modul.pdf", PDF),
            },
        )
        assert evidence.status_code == 201, evidence.json()
        assert ketua.get(evidence.json()["file"]).status_code == 200
        ok(ketua.patch(f"/api/v1/activities/{activity}/attendance", {"attendance": marks}))
        changed = ketua.put(
            f"/api/v1/plan-items/{item['id']}/outcome",
            {"students_change": "Siswa lebih lancar menjawab pertanyaan bacaan"},
        )
        assert changed.json()["students_change"].startswith("Siswa lebih lancar")

    # Money: spending with receipts, the rest returned with its proof.
    lines = {line["description"]: line["id"] for line in ketua.get(url).json()["budget"]}
    spending = (
        ("Honor narasumber", 11_000_000),
        *((f"Transport {seq}", 250_000) for seq in (2, 3, 4, 5)),
        ("Penggandaan LPJ", 2_750_000),
    )
    for line, amount in spending:
        spent = ketua.upload(
            f"{url}/spending",
            {
                "line_id": lines[line],
                "date": "2026-11-30",
                "description": line,
                "amount": amount,
                "receipt": SimpleUploadedFile("nota.pdf", PDF),
            },
        )
        assert spent.status_code == 201, spent.json()
    back = ketua.upload(
        f"{url}/returns",
        {
            "amount": 250_000,
            "date": "2026-11-30",
            "reference": "NTPN 8F3A21C0",
            "proof": SimpleUploadedFile("setor.pdf", PDF),
        },
    )
    assert back.json()["totals"]["balance"] == 0
    assert ketua.get(f"{url}/spending").json()["total"] == len(spending)

    # The report, verified by the pengawas and approved by the office; the LPJ downloaded.
    reported = ketua.post(f"{url}/report", {"outcomes": "Skor literasi kelas 4 naik 12 poin"})
    assert reported.status_code == 200, reported.json()
    verified = pengawas.post(f"{url}/report/verification", {"decision": "approve"})
    assert verified.status_code == 200, verified.json()
    closed = pusat.post(f"{url}/report/approval", {"decision": "approve"})
    assert closed.json()["status"] == "closed"
    lpj = ketua.get(f"{url}/lpj.pdf")
    assert lpj["Content-Type"] == "application/pdf" and lpj.content.startswith(b"%PDF")
    ok(pusat.post(f"{steps}/transitions", {"action": "start_reporting"}))
    assert pusat.post(f"{steps}/transitions", {"action": "close"}).json()["status"] == "closed"


def ok(response) -> dict:
    """The answer of a step that must succeed (the refusal is shown when it does not)."""
    assert response.status_code == 200, response.json()
    return response.json()
