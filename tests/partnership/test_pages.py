"""The cohort pages, as an office and as a teacher would use them."""

import re

import pytest
from django.urls import reverse

from gugus.partnership import selectors, services
from gugus.partnership.models import ActionPlan, Cohort, Pair, Visit
from tests.factories import UserFactory
from tests.partnership.test_visits import RETURN_START, matched_cohort

pytestmark = pytest.mark.usefixtures("indonesian")


def test_an_office_opens_a_cohort_chooses_pairs_and_locks_one_from_the_pages(client, world):
    client.force_login(world["office"])
    form = client.get(reverse("cohort_create")).content.decode()
    assert "Guru Mitra 1" in form and 'name="tier3_name"' in form
    page = client.post(
        reverse("cohort_create"),
        {
            "name": "Kemitraan IPA SMP 2026",
            "year": "2026",
            "region": "34",
            "event": "ukg-2015",
            "subjects": ["ipa"],
            "levels": ["smp"],
            "host_regions": "34.71",
            "partner_regions": "34.03, 33",
            "gap_weight": "1",
            "travel_weight": "0,02",
            "ojl_days": "7",
            "tier1_name": "Guru Mitra 1",
            "tier1_min": "75",
            "tier1_mentees": "2",
            "tier2_name": "Guru Mitra 2",
            "tier2_max": "55",
        },
    )
    cohort = Cohort.objects.get()
    assert page.status_code == 302 and page["Location"] == reverse(
        "cohort_detail", args=[cohort.pk]
    )
    action = reverse("cohort_action", args=[cohort.pk])
    client.post(action, {"action": "select"})
    client.post(action, {"action": "match"})
    detail = client.get(reverse("cohort_detail", args=[cohort.pk])).content.decode()
    assert "Pasangan dibentuk" in detail and detail.count("data-pair=") == 6
    assert "semua guru tingkat di atasnya yang dapat menjadi tuan rumah sudah penuh" in detail
    pair = Pair.objects.filter(cohort=cohort).first()
    client.post(action, {"action": "lock", "pair": pair.pk})
    assert Pair.objects.get(pk=pair.pk).locked
    refused = client.post(
        action, {"action": "exclude_pair", "pair": pair.pk, "reason": "x"}, follow=True
    )
    assert "Buka dulu kunci pasangan ini." in refused.content.decode()


def test_a_mitra_2_sees_their_host_and_no_one_elses_pair(client, world):
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
        tiers=[
            {"name": "Guru Mitra 1", "min_score": "75", "mentees": "2"},
            {"name": "Guru Mitra 2", "max_score": "55"},
        ],
    )
    services.cohort_select(actor=world["office"], cohort=cohort)
    services.cohort_match(actor=world["office"], cohort=cohort)
    pair = (
        Pair.objects.filter(cohort=cohort).select_related("host__person", "partner__person").first()
    )
    client.force_login(UserFactory(person=pair.partner.person))
    assert "Kemitraan" in client.get(reverse("cohort_list")).content.decode()
    page = client.get(reverse("cohort_detail", args=[cohort.pk])).content.decode()
    assert page.count("data-pair=") == 1 and pair.host.person.name in page
    assert 'id="run-matching"' not in page
    other = UserFactory(person=world["middling"])
    client.force_login(other)
    assert client.get(reverse("cohort_detail", args=[cohort.pk])).status_code == 404


def test_on_job_learning_from_the_pages(client, world, clock):
    """The office plans the visits; the host edits the rundown and takes a day's
    attendance; the partner finds host, schedule and rundown on their own page, notes an
    observation and writes the action plan when OJL ends."""
    clock.set("2026-01-20")
    cohort = matched_cohort(world)
    client.force_login(world["office"])
    detail = reverse("cohort_detail", args=[cohort.pk])
    page = client.get(detail).content.decode()
    assert 'id="plan-visits"' in page and 'data-chart="flow-map"' in page
    client.post(
        reverse("cohort_action", args=[cohort.pk]),
        {"action": "plan_visits", "return_start": "2026-02-05"},
    )
    assert not Visit.objects.exists()  # refused: before OJL ends, said on the page
    response = client.post(
        reverse("cohort_action", args=[cohort.pk]),
        {"action": "plan_visits", "return_start": "2026-03-02", "return_days": "2"},
        follow=True,
    )
    assert 'id="visits"' in response.content.decode()
    visit = Visit.objects.filter(cohort=cohort, direction="ojl").first()
    pair = Pair.objects.filter(host=visit.host).select_related("partner__person").first()

    client.force_login(UserFactory(person=visit.host.person))
    page = client.get(reverse("visit_detail", args=[visit.pk])).content.decode()
    assert "Penyambutan" in page and "Penutupan" in page and 'id="add-item"' in page
    item = visit.rundown.get(day=5)
    edit = reverse("rundown_item_edit", args=[item.pk])
    assert client.get(edit).status_code == 200
    client.post(
        edit,
        {"day": "5", "starts": "08:00", "ends": "11:00", "activity": "workshop", "detail": "LKPD"},
    )
    item.refresh_from_db()
    assert (item.detail, item.ends.hour) == ("LKPD", 11)
    attendance = reverse("visit_attendance", args=[visit.pk, 1])
    assert 'id="attendance-refusal"' in client.get(attendance).content.decode()
    clock.set("2026-02-02")
    client.post(attendance, {f"p-{pair.partner_id}": "hadir", f"p-{visit.host_id}": "hadir"})
    assert visit.attendance.filter(day=1, status="hadir").count() == 2

    client.force_login(UserFactory(person=pair.partner.person))
    mine = client.get(reverse("my_partnership")).content.decode()
    assert pair.host.person.name in mine and "02-02-2026" in mine and "08-02-2026" in mine
    assert 'id="plan-refusal"' in mine
    assert client.get(reverse("rundown_item_edit", args=[item.pk])).status_code == 404
    client.post(
        reverse("visit_action", args=[visit.pk]),
        {"action": "note", "day": "1", "observed": visit.host_id, "text": "Kelas hidup."},
    )
    assert visit.observations.get().text == "Kelas hidup."
    clock.set("2026-02-08")
    client.post(
        reverse("action_plan", args=[pair.partner_id]),
        {"action": "save", "goal": "Inkuiri", "steps": "LKPD", "indicator": "70% tuntas"},
    )
    assert ActionPlan.objects.get(participant=pair.partner).goal == "Inkuiri"
    mine = client.get(reverse("my_partnership")).content.decode()
    assert 'id="report-refusal"' in mine
    pdf = client.get(reverse("visit_download", args=[visit.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"


def test_the_office_sees_counts_by_subject_and_region_and_adds_a_teacher(client, world):
    cohort = matched_cohort(world)
    client.force_login(world["office"])
    page = client.get(reverse("cohort_detail", args=[cohort.pk])).content.decode()
    assert 'id="selection-counts"' in page and "Kota Yogyakarta" in page
    action = reverse("cohort_action", args=[cohort.pk])
    response = client.post(
        action,
        {"action": "add_participant", "nuptk": "0000000000000000", "tier": "2", "reason": "x"},
        follow=True,
    )
    assert "Tidak ada guru dalam cakupan Anda dengan NUPTK 0000000000000000." in (
        response.content.decode()
    )
    client.post(
        action,
        {
            "action": "add_participant",
            "nuptk": world["middling"].nuptk,
            "tier": "2",
            "reason": "Diusulkan pengawas",
        },
    )
    added = cohort.participants.get(person=world["middling"])
    assert (added.status, added.note, added.tier.rank) == ("added", "Diusulkan pengawas", 2)
    counts = client.get(f"/api/v1/cohorts/{cohort.pk}/selection").json()["items"]
    assert (
        sum(r["teachers"] for r in counts) == cohort.participants.exclude(status="excluded").count()
    )


def test_the_cohort_page_shows_its_pairs_and_visits_a_page_at_a_time(
    client, world, clock, monkeypatch
):
    """A province's cohort holds hundreds of pairs and visits: the page lists them by
    pages of their own, and every pair and visit is on exactly one page."""
    clock.set("2026-01-20")
    monkeypatch.setattr(selectors, "PAIRS_PER_PAGE", 4)
    monkeypatch.setattr(selectors, "VISITS_PER_PAGE", 5)
    cohort = matched_cohort(world)
    services.visits_plan(actor=world["office"], cohort=cohort, return_start=RETURN_START)
    client.force_login(world["office"])
    url = reverse("cohort_detail", args=[cohort.pk])

    def listed(attribute, param, number):
        page = client.get(url, {param: number}).content.decode()
        return re.findall(rf'{attribute}="(\d+)"', page), page

    first_pairs, first = listed("data-pair", "pasangan", 1)
    second_pairs, second = listed("data-pair", "pasangan", 2)
    assert len(first_pairs) == 4 and len(second_pairs) == 2
    assert {int(p) for p in first_pairs + second_pairs} == set(
        Pair.objects.filter(cohort=cohort).values_list("pk", flat=True)
    )
    assert 'Pasangan <span class="muted">(6)</span>' in first
    assert "?pasangan=2" in first and "?pasangan=1" in second

    visits = Visit.objects.filter(cohort=cohort).count()
    pages = [listed("data-visit", "kunjungan", n)[0] for n in range(1, -(-visits // 5) + 1)]
    assert [len(p) for p in pages[:-1]] == [5] * (len(pages) - 1)
    assert sorted(int(v) for p in pages for v in p) == sorted(
        Visit.objects.filter(cohort=cohort).values_list("pk", flat=True)
    )
