"""The API against its own OpenAPI document, fuzzed by schemathesis as an office, a ketua
and a teacher would call it: no 5xx, and every answer (status, content type, body) is
one the document declares. `make fuzz` runs the same with many more examples."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gugus.accounts.models import ApiToken
from gugus.accounts.services import api_token_create
from gugus.communities.models import Officer
from gugus.core.roles import Role
from tests.factories import GroupFactory, PersonFactory, SchoolFactory, member, user_with_role

EXAMPLES = int(os.environ.get("GUGUS_FUZZ_EXAMPLES", "6"))
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
    ]
)


def _operations() -> int:
    """How many operations the document lists: the run must have tested every one."""
    from gugus.api import api

    return sum(len(ops) for ops in api.get_openapi_schema()["paths"].values())


@pytest.fixture
def tokens(regions):
    """One token per role, over a small world of Kota Yogyakarta to find."""
    school = SchoolFactory()
    group = GroupFactory()
    chair, teacher = PersonFactory(school=school), PersonFactory(school=school)
    for person in (chair, teacher):
        member(group, person)
    Officer.objects.create(group=group, person=chair, position="ketua", started_on="2024-01-01")
    users = {
        "office": user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71"),
        "ketua": user_with_role(Role.KETUA_KELOMPOK, person=chair, group_id=group.pk),
        "teacher": user_with_role(Role.GURU, person=teacher, school=school),
    }
    keys = {}
    for n, (role, user) in enumerate(users.items()):
        token, keys[role] = api_token_create(user=user, name="fuzz")
        # Far from the small ids the fuzzer tries, so `DELETE /me/tokens/{id}` never
        # revokes the token the run itself is using.
        ApiToken.objects.filter(pk=token.pk).update(id=7_000_000_000 + n)
    return keys


# CPython 3.11 can raise this inside ast.parse, which hypothesis calls to describe its
# strategies (gh-106905, fixed in later releases): an interpreter fault, not the API's.
INTERPRETER_FAULT = "AST constructor recursion depth mismatch"


def schemathesis(url: str, token: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "run",
            url,
            "--header",
            f"Authorization: Bearer {token}",
            "--header",
            "Accept-Language: id",
            "--checks",
            CHECKS,
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            str(EXAMPLES),
            "--seed",
            "2026",
            "--workers",
            "1",
            "--no-shrink",
            "--generation-database",
            "none",
            "--request-timeout",
            "30",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )


@pytest.mark.parametrize("role", ["office", "ketua", "teacher"])
def test_the_api_keeps_its_document_under_fuzzing(live_server, tokens, role):
    url = f"{live_server.url}/api/v1/openapi.json"
    run = schemathesis(url, tokens[role])
    if INTERPRETER_FAULT in run.stdout:  # once more, the same seed; a second fault fails
        run = schemathesis(url, tokens[role])
    summary = run.stdout[-20000:]
    assert run.returncode == 0, summary
    verdict = summary.strip().splitlines()[-1]  # "=== No issues found in 88s ===", or counts
    assert "failure" not in verdict and "error" not in verdict, summary
    assert f"Tested: {_operations()}" in summary, summary  # every operation, none skipped
