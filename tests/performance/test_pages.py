"""The performance pages as a teacher, their head and an office use them."""

import pytest
from django.urls import reverse

from gugus.performance.models import Cycle, Plan
from tests.performance.conftest import FULL_PLAN

pytestmark = pytest.mark.usefixtures("indonesian")


def post_plan(client, plan, **data):
    plan.refresh_from_db()
    return client.post(
        reverse("plan_detail", args=[plan.pk]), {"version": plan.version, **data}, follow=True
    )


def post_stage(client, plan, kind, **data):
    cycle = Cycle.objects.get(plan=plan)
    return client.post(
        reverse("plan_detail", args=[plan.pk]),
        {"action": "stage", "kind": kind, "version": cycle.version, **data},
        follow=True,
    )


def test_a_semester_from_the_pages(client, people):
    client.force_login(people["teacher_user"])
    page = client.get(reverse("semester")).content.decode()
    assert 'id="open-plan"' in page and "Perencanaan" in page
    response = client.post(reverse("plan_open"), follow=True)
    plan = Plan.objects.get(person=people["guru"])
    assert 'id="plan-form"' in response.content.decode()
    items = [i["item"] for i in FULL_PLAN["items"]]
    post_plan(client, plan, action="save", practice="umpan-balik", item=items[:1], detail=["KKG"])
    page = post_plan(client, plan, action="submit").content.decode()
    assert "Pengembangan kompetensi berjumlah 16 poin; satu semester perlu 32." in page
    post_plan(
        client,
        plan,
        action="save",
        practice="umpan-balik",
        item=items[:2],
        detail=["KKG", ""],
        duties="Wali kelas",
    )
    post_plan(client, plan, action="submit")
    plan.refresh_from_db()
    assert plan.status == "submitted"

    client.force_login(people["head_user"])
    page = client.get(reverse("semester")).content.decode()
    assert f'data-plan="{plan.pk}" data-step="review"' in page
    post_plan(client, plan, action="agree")
    plan.refresh_from_db()
    assert plan.status == "agreed"
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert 'data-stage="1" class="current"' in page
    post_stage(client, plan, "1", notes="Fokus umpan balik", done="1")
    observation = reverse("observation", args=[plan.pk])
    form = client.get(observation).content.decode()
    assert form.count('class="card indicator"') == 8 and "data-draft-send" in form
    cycle = plan.cycle
    seen = cycle.version
    ratings = {f"rating-{r.indicator_id}": "efektif" for r in cycle.ratings.all()}
    first = client.post(observation, {"version": seen, **ratings, "recommendation": "Lanjutkan"})
    assert first.status_code == 302, first.content.decode()[-3000:]
    first = cycle.ratings.order_by("indicator__position").first().indicator_id
    stale = client.post(
        observation, {"version": seen, **ratings, f"rating-{first}": "belum"}
    ).content.decode()
    assert 'id="conflict"' in stale and "Dilakukan dan efektif" in stale
    assert "<td>Disiplin positif</td><td>Dilakukan dan efektif</td><td>Belum dilakukan</td>" in (
        stale
    )
    cycle.refresh_from_db()
    stale_stage = client.post(
        reverse("plan_detail", args=[plan.pk]),
        {"action": "stage", "kind": "2", "version": seen, "notes": "Catatan lama"},
        follow=True,
    ).content.decode()
    assert "Observasi kinerja · catatan — tersimpan: —; isian Anda: Catatan lama" in stale_stage
    for kind in ("2", "3", "4", "5"):
        post_stage(client, plan, kind, done="1")
    cycle.refresh_from_db()
    assert not cycle.stages.filter(done_at__isnull=True).exists()
    client.post(
        reverse("plan_detail", args=[plan.pk]),
        {
            "action": "aspects",
            "version": cycle.version,
            "reflect": "3",
            "learn": "2",
            "change": "2",
        },
    )
    people["clock"].set("2026-06-20")
    post_plan(client, plan, action="assess", work_results="sesuai", work_behaviour="di_bawah")
    plan.refresh_from_db()
    assert plan.predikat == "kurang"
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "Kurang" in page

    client.force_login(people["office"])
    page = client.get(reverse("semester")).content.decode()
    assert 'id="completion"' in page and people["school"].name in page
    client.force_login(people["teacher_user"])
    assert (
        client.post(
            reverse("plan_detail", args=[plan.pk]), {"action": "assess", "version": 1}
        ).status_code
        == 404
    )
