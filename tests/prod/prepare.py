"""Prepares data in a running production stack's database, through its settings (the
environment of `make prod`), and prints what the tests need as one line of JSON.

    python tests/prod/prepare.py office
"""

import itertools
import json
import os
import secrets
import sys

import django


def an_office_with_teachers() -> dict:
    """A kab/kota office administrator of Kota Yogyakarta, a UKG event and four teachers
    of one school: new names on every run, so that the stack may be tested again."""
    from gugus.competency.models import UkgEvent
    from gugus.core.roles import Role
    from tests.factories import PersonFactory, SchoolFactory, directory, user_with_role

    tag = secrets.token_hex(3)
    # The factories number schools and people from fixed starts; this database keeps
    # every earlier run's, so numbering starts at a random place (valid NPSN and NUPTK).
    start = secrets.randbelow(10**6) * 50
    directory._npsn = itertools.count(20_000_000 + start)
    directory._nuptk = itertools.count(2_000_000_000_000_000 + start)
    office = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")
    office.username = f"dinas.prod.{tag}"
    password = secrets.token_urlsafe(16)
    office.set_password(password)
    office.save()
    event = UkgEvent.objects.create(code=f"ukg-prod-{tag}", name=f"UKG Prod {tag}", year=2024)
    school = SchoolFactory()
    teachers = [PersonFactory(school=school).nuptk for _i in range(4)]
    return {
        "username": office.username,
        "password": password,
        "event": event.name,
        "event_id": event.pk,
        "event_code": event.code,
        "school_id": school.pk,
        "nuptk": teachers,
    }


def soak_world(teachers: str = "20", groups: str = "4") -> dict:
    """For `drills/soak.py`: teachers and working groups with their chairs (each with an
    API token), and a school head, a supervisor and the offices of the kab/kota, the
    province and the nation (each with a password, for the pages)."""
    from gugus.accounts.services import api_token_create
    from gugus.core.roles import Role
    from tests.factories import (
        GroupFactory,
        PersonFactory,
        SchoolFactory,
        UserFactory,
        directory,
        member,
        user_with_role,
    )

    tag = secrets.token_hex(3)
    start = secrets.randbelow(10**6) * 50
    directory._npsn = itertools.count(20_000_000 + start)
    directory._nuptk = itertools.count(2_000_000_000_000_000 + start)
    UserFactory.reset_sequence(start)

    def token(user):
        return api_token_create(user=user, name=f"soak-{tag}")[1]

    def signing_in(user, name):
        user.username, password = f"{name}.soak.{tag}", secrets.token_urlsafe(16)
        user.set_password(password)
        user.save()
        return {"username": user.username, "password": password}

    office = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")
    school = SchoolFactory()
    head = PersonFactory(school=school, position="kepala")
    signed = {
        "head": signing_in(
            user_with_role(Role.KEPALA_SEKOLAH, person=head, school=school), "kepala"
        ),
        "supervisor": signing_in(user_with_role(Role.PENGAWAS, regency_id="34.71"), "pengawas"),
        "province": signing_in(user_with_role(Role.ADMIN_PROVINSI, province_id="34"), "provinsi"),
        "national": signing_in(user_with_role(Role.ADMIN_PUSAT), "pusat"),
    }
    people = [PersonFactory(school=school) for _i in range(int(teachers))]
    chairs = []
    for n in range(int(groups)):
        group = GroupFactory(name=f"KKG Soak {tag} {n}")
        for person in people[n :: int(groups)]:
            member(group, person)
        chair = user_with_role(Role.KETUA_KELOMPOK, group=group, person=people[n])
        chairs.append({"token": token(chair), "group_id": group.pk})
    teacher_tokens = [
        token(user_with_role(Role.GURU, person=p, school=school)) for p in people[int(groups) :]
    ]
    return {
        "office": {**signing_in(office, "dinas"), "token": token(office)},
        **signed,
        "chairs": chairs,
        "teachers": teacher_tokens,
        "school_npsn": school.npsn,
    }


def acknowledged_found(path: str) -> dict:
    """How many of the writes the soak's load acknowledged are in the database."""
    from gugus.accounts.models import ApiToken
    from gugus.communities.models import Activity
    from gugus.directory.models import CorrectionRequest

    models = {"activity": Activity, "correction": CorrectionRequest, "token": ApiToken}
    with open(path, encoding="utf-8") as lines:
        acks = [json.loads(line) for line in lines if line.strip()]
    found = {}
    for kind, model in models.items():
        ids = {a["id"] for a in acks if a["kind"] == kind}
        found[kind] = {
            "acknowledged": len(ids),
            "found": model.objects.filter(pk__in=ids).count(),
        }
    return found


def results_of(event_id: str) -> dict:
    from gugus.competency.models import Result

    return {"results": Result.objects.filter(event_id=int(event_id)).count()}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gugus.settings")
    django.setup()
    what, *rest = sys.argv[1:]
    answer = {
        "office": an_office_with_teachers,
        "results": results_of,
        "soak": soak_world,
        "found": acknowledged_found,
    }[what](*rest)
    print(json.dumps(answer))
