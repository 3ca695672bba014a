"""Hot lists run a fixed number of queries however many rows they show (no N+1)."""

import io

import pytest
from openpyxl import load_workbook

from gugus.core.roles import Role
from gugus.directory.models import PersonAccessLog, Regency
from tests.factories import PersonFactory, user_with_role


@pytest.mark.parametrize("url", ["/ptk/", "/api/v1/people", "/sekolah/", "/api/v1/schools"])
def test_list_query_count_does_not_grow_with_rows(
    client, yogya_school, url, django_assert_max_num_queries
):
    office = user_with_role(Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.71"))
    client.force_login(office)
    for _i in range(5):
        PersonFactory(school=yogya_school)
    client.get(url)  # warm caches (subjects, session)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _i in range(40):
        PersonFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_admin_lists_are_scoped(client, yogya_school, sleman_school):
    inside = PersonFactory(school=yogya_school, name="Warga Kota")
    outside = PersonFactory(school=sleman_school, name="Warga Sleman")
    office = user_with_role(Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.71"))
    client.force_login(office)
    page = client.get("/admin/directory/person/").content.decode()
    assert inside.name in page and outside.name not in page


def test_people_export_masks_identifiers_and_logs_the_bulk_read(client, yogya_school):
    PersonFactory(school=yogya_school, nuptk="1234567890123456")
    head = user_with_role(Role.KEPALA_SEKOLAH, school=yogya_school)
    client.force_login(head)
    response = client.get("/ptk/ekspor.xlsx?unmasked=1")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][1] == "•••••••••••••456"  # a head may not unmask identifiers
    log = PersonAccessLog.objects.get()
    assert (log.user, log.rows, log.what) == (head, 1, "people_xlsx_unmasked")
    office = user_with_role(Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.71"))
    client.force_login(office)
    rows = list(
        load_workbook(io.BytesIO(client.get("/ptk/ekspor.xlsx?unmasked=1").content)).active.values
    )
    assert rows[1][1] == "1234567890123456"
