from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "gugus.communities"
    label = "communities"
    verbose_name = _("Working groups")

    def ready(self):
        from gugus.communities import (  # noqa: F401  (registers policies and importers)
            imports,
            policies,
        )
