"""Group pages as a phone browser reads them."""

import pytest

from gugus.communities.services import activity_create
from gugus.core.roles import Role
from gugus.directory.models import CorrectionRequest
from tests.factories import GroupFactory, PersonFactory, member, user_with_role
from tests.querycounts import grew, measure

pytestmark = pytest.mark.usefixtures("indonesian")


def test_an_edited_activity_keeps_its_date_in_the_date_picker(client, office, settings):
    """A date field is an `<input type=date>`, which takes only 2026-03-05: an Indonesian
    05-03-2026 there reads as empty and the next save would drop the date."""
    settings.GUGUS_TODAY = "2026-03-01"
    group = GroupFactory()
    member(group, PersonFactory())
    activity = activity_create(
        actor=office,
        group=group,
        data={"kind": "pertemuan", "topic": "Rapat", "date": "2026-03-05", "place": "SD"},
    )
    client.force_login(office)
    page = client.get(f"/kegiatan/{activity.pk}/ubah/").content.decode()
    assert 'type="date" name="date" value="2026-03-05"' in page


def test_a_filter_asked_by_htmx_gets_only_the_rows(client, office):
    GroupFactory(name="KKG Gugus Melati")
    client.force_login(office)
    whole = client.get("/kelompok/?q=Melati").content.decode()
    rows = client.get("/kelompok/?q=Melati", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in whole and "KKG Gugus Melati" in whole
    assert "<html" not in rows and "KKG Gugus Melati" in rows


def test_own_groups_activeness_and_corrections_cost_the_same_with_more_rows(
    client, office, yogya_school
):
    """The person's own groups, a region's activeness and the office's corrections: the
    same queries after groups, memberships and requests multiplied."""
    guru = PersonFactory(school=yogya_school)
    guru_user = user_with_role(Role.GURU, person=guru, school=yogya_school)

    def grow(n):
        for _i in range(n):
            group = GroupFactory()
            member(group, guru)
            member(group, PersonFactory(school=yogya_school))
            CorrectionRequest.objects.create(
                person=PersonFactory(school=yogya_school),
                requested_by=guru_user,
                changes={"name": "X"},
                reason="Salah ketik",
            )

    pages = {guru_user: ["/saya/kelompok/", "/saya/"], office: ["/keaktifan/", "/koreksi/"]}

    grow(1)
    before = measure(client, pages)
    grow(6)
    assert grew(before, measure(client, pages)) == {}
