"""Background jobs of performance management, run by `gugus worker`."""

from django_tasks import task

from gugus.performance.reminders import send_reminders


@task()
def send_window_reminders() -> int:
    """E-mail everyone with a step still to take in a window closing in a week or a day."""
    return send_reminders()
