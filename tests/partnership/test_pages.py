"""The cohort pages, as an office and as a teacher would use them."""

import pytest
from django.urls import reverse

from gugus.partnership import services
from gugus.partnership.models import Cohort, Pair
from tests.factories import UserFactory

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
