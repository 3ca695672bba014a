from django.core.management.base import BaseCommand

from gugus.performance.tasks import send_window_reminders


class Command(BaseCommand):
    help = "Queue today's reminders of closing performance windows (run daily)."

    def handle(self, *args, **options):
        send_window_reminders.enqueue()
        self.stdout.write("Reminders queued for the background worker.")
