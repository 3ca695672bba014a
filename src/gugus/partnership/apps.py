from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipConfig(AppConfig):
    name = "gugus.partnership"
    verbose_name = _("Partnership programme")

    def ready(self):
        from gugus.partnership import policies  # noqa: F401  (registers the access policies)
