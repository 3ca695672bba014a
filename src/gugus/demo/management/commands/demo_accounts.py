from django.core.management.base import BaseCommand

from gugus.accounts.models import User
from gugus.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from gugus.demo.partnership import PARTNER_LOGINS
from gugus.demo.training import TRAINING_LOGINS


class Command(BaseCommand):
    help = "Print the demo accounts (one per role) and their password."

    def handle(self, *args, **options):
        if not User.objects.filter(username="admin.pusat").exists():
            self.stdout.write("No demo accounts: run `gugus seed --scale demo` first.")
            return
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, role, _office, label in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<24} {role.label} — {label}")
        for username, label in PARTNER_LOGINS:
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"  {username:<24} Guru — {label}")
        for username, label in TRAINING_LOGINS:
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"  {username:<24} {label}")
