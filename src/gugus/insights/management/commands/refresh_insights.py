from django.core.management.base import BaseCommand

from gugus.insights import rollups


class Command(BaseCommand):
    help = (
        "Recount every dashboard tally from the records (the worker recounts only the places "
        "that changed). Run it daily after refresh_activeness, whose levels fall as months "
        "pass without any record changing."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{rollups.refresh(everything=True):,} tallies counted.")
