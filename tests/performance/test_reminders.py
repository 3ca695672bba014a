"""A week and a day before a window closes, whoever still owes a step in it gets one
e-mail in Indonesian; never twice."""

import pytest
from django.core import mail

from gugus.performance import services
from gugus.performance.reminders import send_reminders
from tests.performance.conftest import FULL_PLAN


def test_reminders_go_to_who_still_owes_a_step_once(people, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    teacher, head = people["teacher_user"], people["head_user"]
    teacher.email, head.email = "guru@sekolah.test", "kepala@sekolah.test"
    teacher.save()
    head.save()
    plan = services.plan_open(actor=teacher, person=people["guru"])
    services.plan_save(actor=teacher, plan=plan, data=FULL_PLAN)
    people["clock"].set("2026-02-20")  # planning closes on 28-02
    assert send_reminders() == 0
    people["clock"].set("2026-02-21")
    assert send_reminders() == 1
    assert mail.outbox[0].to == ["guru@sekolah.test"]
    assert mail.outbox[0].subject == "Gugus: jendela perencanaan ditutup pada 28-02-2026"
    assert "ajukan rencana Anda untuk disetujui" in mail.outbox[0].body
    assert send_reminders() == 0  # once
    services.plan_submit(actor=teacher, plan=plan)
    people["clock"].set("2026-02-27")
    assert send_reminders() == 1
    assert mail.outbox[1].to == ["kepala@sekolah.test"]
    assert people["guru"].name in mail.outbox[1].body


@pytest.mark.parametrize("day", ["2026-02-22", "2026-03-05"])
def test_no_reminder_on_other_days(people, settings, day):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    people["teacher_user"].email = "guru@sekolah.test"
    people["teacher_user"].save()
    services.plan_open(actor=people["teacher_user"], person=people["guru"])
    people["clock"].set(day)
    assert send_reminders() == 0
