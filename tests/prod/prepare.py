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


def results_of(event_id: str) -> dict:
    from gugus.competency.models import Result

    return {"results": Result.objects.filter(event_id=int(event_id)).count()}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gugus.settings")
    django.setup()
    what, *rest = sys.argv[1:]
    answer = {"office": an_office_with_teachers, "results": results_of}[what](*rest)
    print(json.dumps(answer))
