"""The rules' "today": the system date, a chosen date for demos (GUGUS_TODAY), or the
replayed day inside `as_of`."""

import datetime
import os
import subprocess
import sys

from django.utils import timezone

from gugus.communities.services import activity_create
from gugus.core import clock
from tests.factories import GroupFactory, PersonFactory, member


def test_as_of_sets_today_and_now_for_a_replay_only():
    day = datetime.date(2025, 3, 14)
    assert clock.today() == timezone.localdate()
    with clock.as_of(day):
        assert clock.today() == day
        assert timezone.localtime(clock.now()).date() == day
        with clock.as_of(day + datetime.timedelta(days=1)):
            assert clock.today() == datetime.date(2025, 3, 15)
        assert clock.today() == day
    assert clock.today() == timezone.localdate()


def test_a_chosen_date_moves_today_and_now_but_keeps_the_time_of_day(settings):
    settings.GUGUS_TODAY = "2026-03-01"
    assert clock.today() == datetime.date(2026, 3, 1)
    now = timezone.localtime(clock.now())
    assert now.date() == datetime.date(2026, 3, 1)
    assert abs(now.hour * 60 + now.minute - _minutes(timezone.localtime())) <= 1
    with clock.as_of(datetime.date(2025, 1, 2)):
        assert clock.today() == datetime.date(2025, 1, 2)  # a replay inside still wins


def _minutes(t):
    return t.hour * 60 + t.minute


def test_production_refuses_a_chosen_date():
    env = {
        k: v for k, v in os.environ.items() if k not in ("GUGUS_DEBUG", "DJANGO_SETTINGS_MODULE")
    }
    env.update(GUGUS_TODAY="2026-03-01", SECRET_KEY="x" * 50, DATABASE_URL="sqlite:///:memory:")
    run = subprocess.run(
        [sys.executable, "-c", "import gugus.settings"], env=env, capture_output=True, text=True
    )
    assert run.returncode != 0
    assert "GUGUS_TODAY is for demos and rehearsals" in run.stderr


def test_the_whole_app_answers_as_on_the_chosen_date(client, settings, office):
    """The page, the API and the service read one clock: attendance for an activity on
    5 March is offered and accepted from 5 March on, never before."""
    group = GroupFactory(regency_id="34.71")
    person = PersonFactory()
    member(group, person)
    settings.GUGUS_TODAY = "2026-03-01"
    activity = activity_create(
        actor=office,
        group=group,
        data={"kind": "pertemuan", "topic": "Rapat", "date": "2026-03-05", "place": "SD"},
    )
    client.force_login(office)
    page = client.get(f"/kegiatan/{activity.pk}/").content.decode()
    assert 'id="attendance-form"' not in page
    refused = client.patch(
        f"/api/v1/activities/{activity.pk}/attendance",
        {"attendance": {str(person.pk): "hadir"}},
        content_type="application/json",
    )
    assert (refused.status_code, refused.json()["code"]) == (400, "not_yet")

    settings.GUGUS_TODAY = "2026-03-05"
    assert 'id="attendance-form"' in client.get(f"/kegiatan/{activity.pk}/").content.decode()
    taken = client.patch(
        f"/api/v1/activities/{activity.pk}/attendance",
        {"attendance": {str(person.pk): "hadir"}},
        content_type="application/json",
    )
    assert taken.status_code == 200, taken.content
