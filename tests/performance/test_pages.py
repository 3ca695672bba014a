"""The performance pages as a teacher, their head and an office use them."""

import pytest
from django.urls import reverse

from gugus.directory.models import Position
from gugus.performance import services
from gugus.performance.models import Cycle, Plan
from tests.factories import PersonFactory
from tests.performance.conftest import FULL_PLAN, school_in

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


def _rows(page: str, table: str) -> int:
    body = page.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return body.count("<tr>") + body.count("<tr ") - 1  # less the header row


def test_an_office_pages_through_the_heads_it_supervises_and_the_schools(client, people):
    """A kab/kota's heads' plans and its schools' completion come fifty at a time, the
    schools furthest behind first; neither list is read whole to show a page."""
    period = services.period_for()
    for _n in range(55):
        school = school_in("34.71.01")
        head = PersonFactory(school=school, ministry=school.ministry, position=Position.KEPALA)
        Plan.objects.create(
            period=period,
            person=head,
            role=Plan.Role.KEPALA,
            school=school,
            province_id="34",
            regency_id="34.71",
            ministry=school.ministry,
            status=Plan.Status.SUBMITTED,
        )
    client.force_login(people["office"])
    first = client.get(reverse("semester")).content.decode()
    assert (_rows(first, "teachers"), _rows(first, "completion")) == (50, 50)
    assert "1\u201350 dari 55" in first
    second = client.get(reverse("semester"), {"page": 2, "sekolah": 2}).content.decode()
    assert (_rows(second, "teachers"), _rows(second, "completion")) == (5, 5)
    # Each pager keeps the other's place.
    assert "?page=1&amp;sekolah=2" in second and "?page=2&amp;sekolah=1" in second
