"""Group pages as a phone browser reads them."""

import pytest

from gugus.communities.services import activity_create
from tests.factories import GroupFactory, PersonFactory, member

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
