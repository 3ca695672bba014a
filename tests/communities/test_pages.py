"""Group pages as a phone browser reads them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gugus.communities.services import activity_create
from gugus.core.roles import Role
from gugus.directory.models import CorrectionRequest
from tests.factories import GroupFactory, PersonFactory, member, user_with_role

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

    def measure():
        counts = {}
        for user, urls in pages.items():
            client.force_login(user)
            for url in urls:
                client.get(url)
                with CaptureQueriesContext(connection) as seen:
                    assert client.get(url).status_code == 200, url
                counts[user.username, url] = len(seen.captured_queries)
        return counts

    grow(1)
    before = measure()
    grow(6)
    after = measure()
    assert {k: (before[k], after[k]) for k in before if after[k] > before[k]} == {}
