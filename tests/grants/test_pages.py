"""Grant pages per role: what each sees and can press, and the refusals flashed."""

import re

import pytest
from django.urls import reverse

from gugus.grants import services
from gugus.grants.models import GrantProgramme, Proposal
from tests.grants.builders import complete, funded, ketua_of, ready_group, receipt, verified
from tests.grants.conftest import open_programme


@pytest.fixture
def web(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def test_an_office_opens_a_programme_from_the_form(web, offices, clock):
    c = web(offices["provinsi"])
    page = c.post(
        reverse("programme_create"),
        {
            "name": "Bantuan DIY 2026",
            "region": "34",
            "apply_from": "2026-01-05",
            "apply_until": "2026-01-31",
            "period_start": "2026-02-01",
            "period_end": "2026-11-30",
            "budget_ceiling": "300.000.000",
            "quota": "20",
            "amount_kkg": "15.000.000",
            "in_kkg": "3",
            "on_kkg": "2",
            "amount_mgmp": "30000000",
            "in_mgmp": "2",
            "on_mgmp": "2",
        },
    )
    assert page.status_code == 200
    assert "MGMP: Setiap On memerlukan In sebelumnya dan In refleksi" in page.content.decode()
    assert not GrantProgramme.objects.exists()
    page = c.post(
        reverse("programme_create"),
        {
            "name": "Bantuan DIY 2026",
            "region": "34",
            "apply_from": "2026-01-05",
            "apply_until": "2026-01-31",
            "period_start": "2026-02-01",
            "period_end": "2026-11-30",
            "budget_ceiling": "300.000.000",
            "quota": "20",
            "amount_kkg": "15.000.000",
            "in_kkg": "3",
            "on_kkg": "2",
        },
        follow=True,
    )
    programme = GrantProgramme.objects.get()
    assert programme.province_id == "34" and programme.status == "draft"
    assert "Rp15.000.000" in page.content.decode()
    c.post(reverse("programme_action", args=[programme.pk]), {"action": "open"})
    programme.refresh_from_db()
    assert programme.status == "open"


def test_the_ketua_sees_eligibility_and_starts_a_proposal(web, programme, group, ketua):
    c = web(ketua)
    page = c.get(reverse("programme_detail", args=[programme.pk])).content.decode()
    assert "Memenuhi syarat." in page and 'id="start-proposal"' in page
    page = c.post(
        reverse("proposal_start", args=[programme.pk, group.pk]), follow=True
    ).content.decode()
    proposal = Proposal.objects.get()
    assert "Sebelum diajukan:" in page and "Kegiatan 1 belum berisi" in page
    page = c.post(
        reverse("proposal_action", args=[proposal.pk]), {"action": "submit"}, follow=True
    ).content.decode()
    assert "Kondisi saat ini kosong." in page
    proposal.refresh_from_db()
    assert proposal.status == "draft"


def test_an_ineligible_group_is_told_why(web, programme, clock):
    group = ready_group(members=5)
    page = web(ketua_of(group)).get(reverse("programme_detail", args=[programme.pk]))
    body = page.content.decode()
    assert "Belum memenuhi syarat:" in body and "saat ini 5" in body
    assert 'id="start-proposal"' not in body


def test_only_the_level_in_turn_sees_the_review_form(web, programme, group, ketua, offices):
    proposal = complete(
        services.proposal_start(actor=ketua, programme=programme, group=group), ketua
    )
    c = web(ketua)
    c.post(reverse("proposal_action", args=[proposal.pk]), {"action": "submit"})
    url = reverse("proposal_detail", args=[proposal.pk])
    assert 'id="review-form"' not in web(offices["provinsi"]).get(url).content.decode()
    assert web(offices["sleman"]).get(url).status_code == 404
    c = web(offices["kabkota"])
    assert 'id="review-form"' in c.get(url).content.decode()
    page = c.post(
        reverse("proposal_action", args=[proposal.pk]),
        {"action": "review", "decision": "approve", "score": "85"},
        follow=True,
    ).content.decode()
    assert "Tersimpan." in page
    proposal.refresh_from_db()
    assert proposal.review_level == "provinsi"


def test_the_money_page_records_spending_and_shows_refusals(web, programme, group, offices, clock):
    grant = funded(programme, group, offices, clock)
    c = web(ketua_of(group))
    line = grant.budget.get(description="Honor narasumber")
    page = c.post(
        reverse("proposal_action", args=[grant.pk]),
        {
            "action": "spend",
            "line": line.pk,
            "date": "2026-02-05",
            "description": "Honor narasumber In 1",
            "amount": "7.000.000",
            "tax_kind": "",
            "tax_amount": "0",
            "receipt": receipt(),
        },
        follow=True,
    ).content.decode()
    assert "Catat dulu pergeseran anggaran" in page
    page = c.post(
        reverse("proposal_action", args=[grant.pk]),
        {
            "action": "spend",
            "line": line.pk,
            "date": "2026-02-05",
            "description": "Honor narasumber In 1",
            "amount": "2.000.000",
            "tax_kind": "pph21",
            "tax_amount": "100.000",
            "receipt": receipt(),
        },
        follow=True,
    ).content.decode()
    assert 'id="total-spent">Rp2.000.000' in page
    spending = grant.budget.get(pk=line.pk).spending.get()
    assert c.get(reverse("receipt_file", args=[spending.pk])).status_code == 200
    assert c.get(reverse("lpj_export", args=[grant.pk, "xlsx"])).status_code == 200
    sleman = web(offices["sleman"])
    assert sleman.get(reverse("receipt_file", args=[spending.pk])).status_code == 404


def test_decision_list_exports(web, programme, group, offices, clock):
    funded(programme, group, offices, clock)
    c = web(offices["kabkota"])
    pdf = c.get(reverse("decision_export", args=[programme.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = c.get(reverse("decision_export", args=[programme.pk, "xlsx"]))
    assert xlsx.status_code == 200
    assert c.get(reverse("decision_export", args=[programme.pk, "doc"])).status_code == 404


def test_verified_proposals_are_listed_for_the_office(web, programme, offices):
    verified(programme, ready_group(name="KKG Melati"), offices)
    page = web(offices["nasional"]).get(reverse("programme_detail", args=[programme.pk]))
    assert "KKG Melati" in page.content.decode()


def test_each_role_finds_what_waits_for_it(web, programme, group, ketua, offices, clock):
    proposal = complete(
        services.proposal_start(actor=ketua, programme=programme, group=group), ketua
    )
    url = reverse("programme_list")
    assert "Lengkapi dan ajukan usulan" in web(ketua).get(url).content.decode()
    services.proposal_submit(actor=ketua, proposal=proposal)
    waiting = web(offices["kabkota"]).get(url).content.decode()
    assert 'id="awaiting"' in waiting and "Verifikasi usulan" in waiting
    assert 'id="awaiting"' not in web(offices["provinsi"]).get(url).content.decode()
    assert 'id="awaiting"' not in web(offices["sleman"]).get(url).content.decode()
    other = verified(programme, ready_group(name="KKG Kenanga"), offices)
    assert other.group.name not in web(ketua).get(url).content.decode()


def test_a_refused_form_comes_back_with_what_was_typed(web, programme, group, offices, clock):
    """The service refuses; the page shows why beside the form and keeps every typed
    value (amounts as the user wrote them), so nothing is typed twice."""
    grant = funded(programme, group, offices, clock)
    c = web(ketua_of(group))
    line = grant.budget.get(description="Honor narasumber")
    page = c.post(
        reverse("proposal_action", args=[grant.pk]),
        {
            "action": "spend",
            "line": line.pk,
            "date": "2026-02-05",
            "description": "Honor narasumber In 1",
            "amount": "7.000.000",
            "tax_kind": "pph21",
            "tax_amount": "350.000",
            "receipt": receipt(),
        },
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "Catat dulu pergeseran anggaran" in body
    assert 'value="7.000.000"' in body and 'value="350.000"' in body
    assert 'value="Honor narasumber In 1"' in body
    assert not line.spending.exists()

    office = web(offices["provinsi"])
    page = office.post(
        reverse("programme_create"),
        {
            "name": "Bantuan DIY 2027",
            "region": "34",
            "apply_from": "2027-01-31",
            "apply_until": "2027-01-05",
            "period_start": "2027-02-01",
            "period_end": "2027-11-30",
            "budget_ceiling": "300.000.000",
            "quota": "20",
            "amount_kkg": "15.000.000",
            "in_kkg": "3",
            "on_kkg": "2",
        },
    )
    body = page.content.decode()
    assert "Masa pengusulan berakhir sebelum dibuka." in body
    assert 'value="15.000.000"' in body and 'value="300.000.000"' in body
    assert '<option value="34" selected>' in body


def test_the_programme_list_comes_a_page_at_a_time_with_each_programmes_counts(
    web, programme, group, ketua, offices, clock
):
    """A national office sees every programme of the country: 25 to a page, newest year
    first, each with its own proposals counted (drafts aside)."""
    proposal = complete(
        services.proposal_start(actor=ketua, programme=programme, group=group), ketua
    )
    services.proposal_submit(actor=ketua, proposal=proposal)
    for n in range(26):
        open_programme(offices["nasional"], data={"name": f"Bantuan Lama {n:02d}"})
    url = reverse("programme_list")
    first = web(offices["nasional"]).get(url).content.decode()
    assert len(re.findall(r'href="/bantuan/\d+/"', first)) == 25 and "1\u201325 dari 27" in first
    row = first.split(programme.name, 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">1</td><td class="num">0</td>' in row
    second = web(offices["nasional"]).get(url, {"page": 2}).content.decode()
    assert len(re.findall(r'href="/bantuan/\d+/"', second)) == 2 and "Bantuan Lama 25" in second
