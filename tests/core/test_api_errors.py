"""The API's two former server errors and its documented error answers."""

from gugus.accounts.services import api_token_create
from gugus.core.apitypes import ERROR_STATUSES
from gugus.core.roles import Role
from gugus.directory.models import Regency
from gugus.directory.offices import office_of
from tests.factories import GroupFactory, PersonFactory, UserFactory, user_with_role


def bearer(user):
    _token, key = api_token_create(user=user, name="skrip")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_year_of_24_digits_is_a_422_naming_it(client, db):
    office = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")
    group = GroupFactory()
    response = client.get(
        f"/api/v1/groups/{group.pk}/activities",
        {"year": "1" * 24},
        **bearer(office),
    )
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "year"
    too_big = client.get("/api/v1/groups/99999999999999999999999/activities", **bearer(office))
    assert too_big.status_code == 422


def test_a_role_with_two_scopes_is_refused_not_a_server_error(client, yogya_school):
    office = user_with_role(Role.ADMIN_PROVINSI, province_id="34")
    UserFactory(username="calon", person=PersonFactory(school=yogya_school))
    dinas = office_of("kemendikbud", regency=Regency.objects.get(pk="34.71"))
    response = client.post(
        "/api/v1/role-assignments",
        {
            "username": "calon",
            "role": "admin_kabkota",
            "office_id": dinas.pk,
            "province_code": "34",
            "regency_code": "34.71",
        },
        content_type="application/json",
        **bearer(office),
    )
    assert response.status_code == 400 and response.json()["code"] == "scope_mismatch"


def test_a_body_that_is_not_an_object_is_refused(client, db):
    office = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")
    group = GroupFactory()
    for body in ("[null, null]", "5", "null"):
        response = client.patch(
            f"/api/v1/groups/{group.pk}", body, content_type="application/json", **bearer(office)
        )
        assert response.status_code == 422, body
    group.refresh_from_db()
    assert group.name.startswith("KKG Gugus")


def test_every_operation_documents_its_errors_in_one_shape(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["components"]["schemas"]["ErrorOut"]["required"]) == {
        "code",
        "message",
        "details",
    }
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ERROR_STATUSES:
                answer = operation["responses"].get(str(status))
                assert answer, (method, path, status)
                ref = answer["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/ErrorOut"


def test_every_failure_under_the_api_answers_json_in_the_users_language(client, db):
    """Unknown paths, methods a path does not offer and malformed JSON: the one error
    shape, in Indonesian, never Django's HTML page."""
    office = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")
    group = GroupFactory()
    unknown = client.get("/api/v1/tidak-ada", **bearer(office))
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    assert unknown.json()["message"] == "Tidak ditemukan."
    wrong = client.delete(f"/api/v1/groups/{group.pk}/activities", **bearer(office))
    assert wrong.status_code == 405 and wrong.json()["code"] == "method_not_allowed"
    assert "GET" in wrong["Allow"]
    broken = client.patch(
        f"/api/v1/groups/{group.pk}", "{nama:", content_type="application/json", **bearer(office)
    )
    assert broken.status_code == 400 and broken.json()["code"] == "invalid_json"
    assert broken.json()["message"] == "Isi permintaan bukan JSON yang valid."
