"""The JSON API: authentication, errors as JSON in the user's language, the published schema."""

import ast
import json
from pathlib import Path

from gugus.accounts.models import ApiToken
from gugus.accounts.services import api_token_create, api_token_revoke
from gugus.api import api
from gugus.core.roles import Role
from gugus.directory.models import Province, Regency
from gugus.directory.offices import office_of
from tests.factories import PersonFactory, UserFactory, user_with_role

OPENAPI_FILE = Path(__file__).resolve().parent.parent / "docs" / "api" / "openapi.json"


def bearer(user):
    _token, key = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_committed_openapi_document_matches_the_code():
    """Run `make openapi` after changing the API."""
    committed = json.loads(OPENAPI_FILE.read_text())
    assert committed == json.loads(json.dumps(api.get_openapi_schema()))


def test_schema_and_docs_are_published(client):
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "Gugus API"
    assert client.get("/api/v1/docs").status_code == 200


def test_anonymous_requests_get_a_json_401(client):
    response = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert response.json()["message"] == "Masuk terlebih dahulu atau kirim token API yang sah."


def test_personal_token_authenticates_and_revoked_token_does_not(client, office):
    headers = bearer(office)
    me = client.get("/api/v1/me", **headers).json()
    assert me["username"] == office.username
    assert me["roles"][0]["role"] == "admin_kabkota"
    api_token_revoke(actor=office, token=ApiToken.objects.get(user=office))
    assert client.get("/api/v1/me", **headers).status_code == 401


def test_create_person_over_api_and_field_errors_in_indonesian(client, office, yogya_school):
    headers = bearer(office)
    ok = client.post(
        "/api/v1/people",
        {"name": "Dewi", "gender": "P", "school_npsn": yogya_school.npsn},
        content_type="application/json",
        **headers,
    )
    assert ok.status_code == 201
    assert ok.json()["regency_code"] == "34.71"
    bad = client.post(
        "/api/v1/people",
        {"name": "Dewi", "nuptk": "12", "school_npsn": "1"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="id",
        **headers,
    )
    assert bad.status_code == 400
    body = bad.json()
    assert body["code"] == "invalid"
    assert {"field": "nuptk", "message": "NUPTK harus tepat 16 digit."} in body["details"]


def test_people_list_is_scoped_paginated_and_masks_ids_for_non_offices(
    client, office, yogya_school, sleman_school
):
    for _i in range(3):
        PersonFactory(school=yogya_school)
    PersonFactory(school=sleman_school)
    page = client.get("/api/v1/people?page_size=2", **bearer(office)).json()
    assert {k: v for k, v in page.items() if k != "items"} == {
        "page": 1,
        "page_size": 2,
        "total": 3,
        "total_is_capped": False,
        "has_next": True,
        "next": "/api/v1/people?page_size=2&page=2",
    }
    last = client.get(page["next"], **bearer(office)).json()
    assert (len(last["items"]), last["has_next"], last["next"]) == (1, False, None)
    assert not page["items"][0]["identifiers_masked"]
    head = user_with_role(Role.KEPALA_SEKOLAH, school=yogya_school)
    items = client.get("/api/v1/people", **bearer(head)).json()["items"]
    assert len(items) == 3
    assert all(i["identifiers_masked"] and "•" in i["nuptk"] for i in items)


def test_role_assignment_over_api_respects_rank(client, office, yogya_school):
    teacher = PersonFactory(school=yogya_school)

    user = UserFactory(person=teacher)
    ok = client.post(
        "/api/v1/role-assignments",
        {"username": user.username, "role": "kepala_sekolah", "school_npsn": yogya_school.npsn},
        content_type="application/json",
        **bearer(office),
    )
    assert ok.status_code == 201, ok.json()
    province_office = office_of("kemendikbud", province=Province.objects.get(pk="34"))
    refused = client.post(
        "/api/v1/role-assignments",
        {"username": user.username, "role": "admin_provinsi", "office_id": province_office.pk},
        content_type="application/json",
        **bearer(office),
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"


def test_audit_endpoint_shows_changes_in_the_office_region(client, office, yogya_school):
    person = PersonFactory(school=yogya_school, name="Lama")
    client.patch(
        f"/api/v1/people/{person.pk}",
        {"name": "Baru"},
        content_type="application/json",
        **bearer(office),
    )
    entries = client.get(
        f"/api/v1/audit?target_type=directory.person&target_id={person.pk}", **bearer(office)
    ).json()["items"]
    assert entries[0]["changes"] == {"name": ["Lama", "Baru"]}
    assert entries[0]["actor"] == office.username
    other = user_with_role(Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.04"))
    others = client.get("/api/v1/audit?target_type=directory.person", **bearer(other)).json()
    assert others["items"] == [] and others["total"] == 0


def test_the_schema_publishes_every_choice_as_an_enum():
    """Clients read the codes a field takes from the schema, not from prose."""
    schemas = api.get_openapi_schema()["components"]["schemas"]

    def enum(schema, field):
        prop = schemas[schema]["properties"][field]
        options = prop.get("anyOf", [prop])
        return next(o["enum"] for o in options if "enum" in o)

    assert enum("ActivityIn", "kind") == [
        "pertemuan",
        "workshop",
        "observasi",
        "praktik_baik",
        "in",
        "on",
    ]
    assert set(enum("LineIn", "category")) >= {"honorarium", "transport", "konsumsi"}
    assert enum("ReviewIn", "decision") == ["approve", "return"]
    assert enum("TransitionIn", "action") == [
        "submit",
        "return",
        "verify",
        "activate",
        "suspend",
        "dissolve",
    ]
    assert "admin_kabkota" in enum("AssignmentIn", "role")


def test_a_wrong_code_is_refused_in_the_users_language_with_the_codes_it_takes(client, office):
    client.force_login(office)
    response = client.post(
        "/api/v1/groups",
        {"kind": "arisan", "name": "Kelompok"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 422
    detail = response.json()["details"][0]
    assert detail["field"] == "kind"
    assert detail["message"].startswith("Gunakan salah satu dari: kkg, mgmp,")


def test_every_schema_name_is_used_once():
    """The OpenAPI document names schemas by class: two apps' `DecisionIn` would document
    one operation's body with the other's fields."""
    names = []
    for path in (Path(__file__).parent.parent / "src" / "gugus").glob("*/api.py"):
        tree = ast.parse(path.read_text())
        names += [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
    assert sorted({n for n in names if names.count(n) > 1}) == []


def test_every_list_the_api_reads_out_comes_in_the_page_envelope():
    """A GET that answers several records answers `{items, page, ..., next}`, never a bare
    array (counts by level, one object, are not lists)."""
    bare = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        get = operations.get("get")
        content = (get or {}).get("responses", {}).get(200, {}).get("content", {})
        schema = content.get("application/json", {}).get("schema", {})
        if schema.get("type") == "array":
            bare.append(path)
    assert bare == []
