from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "gugus.grants"
    label = "grants"
    verbose_name = _("Working-group grants")

    def ready(self):
        from gugus.grants import policies  # noqa: F401  (registers the access policies)
