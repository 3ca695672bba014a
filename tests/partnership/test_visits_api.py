"""On Job Learning through the API alone: the office plans the visits, the host edits the
rundown and takes attendance, a partner notes an observation, writes and reports on the
action plan, and reads their own schedule; the documents come out as files."""

import io

import pytest
from openpyxl import load_workbook

from gugus.partnership.models import Pair, Visit
from tests.factories import UserFactory
from tests.partnership.test_api import bearer
from tests.partnership.test_visits import RETURN_START, matched_cohort

pytestmark = pytest.mark.usefixtures("indonesian")


def caller(client, user):
    auth = bearer(user)

    def call(method, url, body=None):
        send = getattr(client, method)
        if body is None:
            return send(url, **auth)
        return send(url, body, content_type="application/json", **auth)

    return call


def test_on_job_learning_over_the_api(client, world, clock):
    clock.set("2026-01-20")
    cohort = matched_cohort(world)
    office = caller(client, world["office"])
    bad = office("post", f"/api/v1/cohorts/{cohort.pk}/visits", {"return_start": "2026-02-05"})
    assert bad.status_code == 400
    assert bad.json()["details"][0]["field"] == "return_start"
    planned = office(
        "post", f"/api/v1/cohorts/{cohort.pk}/visits", {"return_start": RETURN_START.isoformat()}
    )
    assert planned.status_code == 201, planned.json()
    visits = office("get", f"/api/v1/cohorts/{cohort.pk}/visits").json()
    assert visits["total"] == planned.json()["visits"]
    ojl = next(v for v in visits["items"] if v["direction"] == "ojl")
    assert ojl["days"] == 7 and ojl["end"] == "2026-02-08"
    flows = office("get", f"/api/v1/cohorts/{cohort.pk}/pair-map").json()["items"]
    assert sum(f["pairs"] for f in flows) == Pair.objects.filter(cohort=cohort).count()

    host_visit = Visit.objects.get(pk=ojl["id"])
    host = caller(client, UserFactory(person=host_visit.host.person))
    partner_id = ojl["members"][1]["participant_id"]
    partner_user = UserFactory(person=Pair.objects.get(partner_id=partner_id).partner.person)
    partner = caller(client, partner_user)

    rundown = host("get", f"/api/v1/visits/{ojl['id']}/rundown").json()
    assert rundown["items"][0]["activity_label"] == "Penyambutan"
    added = host(
        "post",
        f"/api/v1/visits/{ojl['id']}/rundown",
        {"day": 4, "starts": "13:00", "ends": "14:00", "activity": "workshop", "detail": "LKPD"},
    )
    assert added.status_code == 201 and added.json()["date"] == "2026-02-05"
    item = added.json()["id"]
    wrong = host(
        "put",
        f"/api/v1/rundown-items/{item}",
        {"day": 8, "starts": "13:00", "ends": "14:00", "activity": "workshop"},
    )
    assert wrong.status_code == 400
    assert wrong.json()["details"] == [{"field": "day", "message": "Pilih hari 1 sampai 7."}]
    assert partner("delete", f"/api/v1/rundown-items/{item}").status_code == 403
    assert host("delete", f"/api/v1/rundown-items/{item}").status_code == 204

    early = host(
        "put",
        f"/api/v1/visits/{ojl['id']}/attendance/1",
        {"statuses": [{"participant_id": partner_id, "status": "hadir"}]},
    )
    assert early.status_code == 400 and early.json()["code"] == "too_early"
    clock.set("2026-02-08")
    taken = host(
        "put",
        f"/api/v1/visits/{ojl['id']}/attendance/1",
        {"statuses": [{"participant_id": partner_id, "status": "hadir"}]},
    )
    assert taken.json() == {"day": 1, "recorded": 1}
    assert office("get", f"/api/v1/visits/{ojl['id']}/attendance").json()["items"] == [
        {"day": 1, "participant_id": partner_id, "status": "hadir"}
    ]
    note = partner(
        "post",
        f"/api/v1/visits/{ojl['id']}/observations",
        {"day": 2, "observed_id": ojl["host_id"], "text": "Diskusi kelompok hidup."},
    )
    assert note.status_code == 201
    plan = partner(
        "put",
        f"/api/v1/participants/{partner_id}/action-plan",
        {"goal": "Praktikum mandiri", "steps": "LKPD", "indicator": "70% tuntas"},
    )
    assert plan.status_code == 200, plan.json()
    assert host("get", f"/api/v1/participants/{partner_id}/action-plan").json()["goal"] == (
        "Praktikum mandiri"
    )
    early = partner(
        "put", f"/api/v1/participants/{partner_id}/action-plan/report", {"report": "Jalan"}
    )
    assert early.status_code == 400 and early.json()["code"] == "too_early"
    mine = partner("get", "/api/v1/me/partnerships").json()["items"]
    assert mine[0]["host"]["participant_id"] == ojl["host_id"]
    assert {v["direction"] for v in mine[0]["visits"]} == {"ojl", "return"}

    pdf = partner("get", f"/api/v1/visits/{ojl['id']}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    xlsx = host("get", f"/api/v1/visits/{ojl['id']}/rundown.xlsx")
    assert xlsx.content.startswith(b"PK")
    stranger = caller(client, UserFactory(person=world["middling"]))
    assert stranger("get", f"/api/v1/visits/{ojl['id']}/report.pdf").status_code == 404


def test_the_cohort_workbook_reads_as_its_page(client, world, clock):
    """The office's workbook holds every pair with its terms; a partner's holds only their
    own pair, without the gap or cost that would give the host's score away."""
    clock.set("2026-01-20")
    cohort = matched_cohort(world)
    office = caller(client, world["office"])
    book = load_workbook(
        io.BytesIO(office("get", f"/api/v1/cohorts/{cohort.pk}/export.xlsx").content)
    )
    assert book.sheetnames == ["Pasangan", "Guru", "Kunjungan", "Rencana aksi"]
    pairs = list(book["Pasangan"].values)[1:]
    assert len(pairs) == Pair.objects.filter(cohort=cohort).count()
    assert all(row[7] is not None and row[9] is not None for row in pairs)
    pair = Pair.objects.select_related("partner__person", "host__person").first()
    partner = caller(client, UserFactory(person=pair.partner.person))
    book = load_workbook(
        io.BytesIO(partner("get", f"/api/v1/cohorts/{cohort.pk}/export.xlsx").content)
    )
    rows = list(book["Pasangan"].values)[1:]
    assert len(rows) == 1 and rows[0][0] == pair.host.person.name
    assert rows[0][7] is None and rows[0][9] is None
    scores = {r[0]: r[6] for r in list(book["Guru"].values)[1:]}
    assert scores[pair.host.person.name] is None and scores[pair.partner.person.name] is not None
