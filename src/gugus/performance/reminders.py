"""Reminders before a semester's window closes (a week and a day before): each person
with a step still to take in that window gets one e-mail, in Indonesian, listing it. Sent
by the background worker (`gugus send_reminders` queues the job; run it daily)."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gugus.accounts.models import RoleAssignment, User
from gugus.core import clock
from gugus.core.roles import Role
from gugus.performance import services
from gugus.performance.models import Plan, Reminder

DAYS_BEFORE = (7, 1)


def _waiting(period, window: str) -> dict[int, list[str]]:
    """User id → the steps they still owe in the window."""
    plans = Plan.objects.filter(period=period).select_related("person", "cycle")
    owed: dict[int, list[str]] = defaultdict(list)
    owners = dict(
        User.objects.filter(person_id__in=plans.values("person_id"), is_active=True).values_list(
            "person_id", "pk"
        )
    )
    heads = defaultdict(list)
    for a in RoleAssignment.objects.filter(
        role=Role.KEPALA_SEKOLAH,
        revoked_at__isnull=True,
        school_id__in=plans.values("school_id"),
        user__is_active=True,
    ):
        heads[a.school_id].append(a.user_id)
    for plan in plans:
        owner = owners.get(plan.person_id)
        superiors = heads[plan.school_id] if plan.role == Plan.Role.GURU else []
        name = plan.person.name
        if window == "plan":
            if plan.status in (Plan.Status.DRAFT, Plan.Status.RETURNED) and owner:
                owed[owner].append(_("send your plan for agreement"))
            if plan.status == Plan.Status.SUBMITTED:
                for user in superiors:
                    owed[user].append(_("agree or return the plan of %(name)s") % {"name": name})
        elif window == "run" and plan.status == Plan.Status.AGREED:
            if plan.cycle.stages.filter(done_at__isnull=True).exists():
                for user in [owner, *superiors]:
                    if user:
                        owed[user].append(
                            _("finish the practice cycle of %(name)s") % {"name": name}
                        )
        elif window == "assess" and plan.status == Plan.Status.AGREED:
            for user in superiors:
                owed[user].append(_("assess %(name)s") % {"name": name})
    return owed


def send_reminders() -> int:
    """Send the reminders due today; returns how many e-mails went out."""
    today = clock.today()
    period = services.period_for(today)
    sent = 0
    for window, (label, _opens, closes) in services.WINDOWS.items():
        closes_on = getattr(period, closes)
        days = (closes_on - today).days
        if days not in DAYS_BEFORE:
            continue
        owed = _waiting(period, window)
        done = set(
            Reminder.objects.filter(period=period, window=window, days_before=days).values_list(
                "user_id", flat=True
            )
        )
        for user in User.objects.filter(pk__in=set(owed) - done).exclude(email=""):
            with translation.override("id"):
                steps = "\n".join(f"- {s}" for s in owed[user.pk])
                send_mail(
                    _("Gugus: the %(window)s window closes on %(date)s")
                    % {"window": label, "date": date_format(closes_on, "SHORT_DATE_FORMAT")},
                    _("Still to do before it closes:\n%(steps)s\n\n%(url)s")
                    % {"steps": steps, "url": f"{settings.GUGUS_BASE_URL}/kinerja/"},
                    None,
                    [user.email],
                )
            Reminder.objects.create(user=user, period=period, window=window, days_before=days)
            sent += 1
    return sent
