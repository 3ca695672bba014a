from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetencyConfig(AppConfig):
    name = "gugus.competency"
    verbose_name = _("Competency (UKG)")

    def ready(self):
        from gugus.competency import policies, signals  # noqa: F401  (registers them)
