from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "gugus.performance"
    verbose_name = _("Performance management")

    def ready(self):
        from gugus.performance import imports, policies  # noqa: F401  (they register themselves)
