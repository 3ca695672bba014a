"""The rules' "today": the system date, or the replayed day inside `as_of`."""

import datetime

from django.utils import timezone

from gugus.core import clock


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
