from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "gugus.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from gugus.directory import (  # noqa: F401  (registers policies and importers)
            imports,
            policies,
        )
