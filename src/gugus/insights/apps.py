from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "gugus.insights"
    verbose_name = _("Insights")

    def ready(self):
        from gugus.insights import imports, policies, signals  # noqa: F401  (they register)
