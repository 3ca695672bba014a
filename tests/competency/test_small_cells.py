"""Small groups do not reveal individuals: under 5 teachers a school's or group's figures
are counts only, and the trainer's reason quotes no scores, to readers who may not see
the individual results."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from gugus.accounts.services import api_token_create
from gugus.communities.models import Officer
from gugus.core.roles import Role
from tests.competency.test_pages import seeded_event
from tests.factories import user_with_role


def bearer(user):
    _token, key = api_token_create(user=user, name="skrip")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_member_sees_only_the_count_of_a_group_of_three(client, yogya_school, sleman_school):
    _event, group, people = seeded_event(yogya_school, sleman_school)  # scores 40, 62, 75
    member = get_user_model().objects.create_user("anggota", password="x", person=people[0])
    client.force_login(member)
    page = client.get(reverse("group_competency", args=[group.pk])).content.decode()
    assert 'id="counts-only"' in page and "<dd>3</dd>" in page
    assert "59,00" not in page and "62,00" not in page  # neither the mean nor the median
    assert "<rect" not in page.split('id="summary"')[1].split("</div>")[0]  # no histogram
    assert people[2].name in page  # the recommended trainer is named...
    assert "75,00" not in page and "79,00" not in page  # ...without the scores
    body = client.get(f"/api/v1/groups/{group.pk}/competency", **bearer(member)).json()
    assert body["cell"]["n"] == 3 and body["cell"]["mean"] is None and body["cell"]["bins"] == []
    assert "75" not in body["trainers"][0]["reason"]


def test_the_ketua_and_the_office_see_the_figures(client, yogya_school, sleman_school):
    _event, group, people = seeded_event(yogya_school, sleman_school)
    Officer.objects.create(group=group, person=people[1], position="ketua", started_on="2024-01-01")
    ketua = user_with_role(Role.KETUA_KELOMPOK, person=people[1], group_id=group.pk)
    office = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")
    for reader in (ketua, office):
        client.force_login(reader)
        page = client.get(reverse("group_competency", args=[group.pk])).content.decode()
        assert 'id="counts-only"' not in page and "<dd>59,00</dd>" in page
        assert "75,00" in page  # the reason's score


def test_a_teacher_sees_only_the_count_of_a_small_school_on_the_map(
    client, yogya_school, sleman_school
):
    event, _group, people = seeded_event(yogya_school, sleman_school)
    teacher = user_with_role(Role.GURU, school=yogya_school, person=people[0])
    client.force_login(teacher)
    page = client.get(reverse("competency_map") + "?wilayah=34.71").content.decode()
    ranking = page.split('id="ranking"')[1]
    assert yogya_school.name in ranking and 'class="num counts-only"' in ranking
    assert "59,00" not in ranking
    head = user_with_role(Role.KEPALA_SEKOLAH, school=yogya_school)
    client.force_login(head)
    ranking = client.get(reverse("competency_map") + "?wilayah=34.71").content.decode()
    assert "counts-only" not in ranking.split('id="ranking"')[1]
    assert event.code == "ukg-2015"
