from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gugus.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from gugus.core import policies  # noqa: F401  (registers the access policies)
