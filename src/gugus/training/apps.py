from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "gugus.training"
    verbose_name = _("Training and mentoring")

    def ready(self):
        from gugus.training import policies  # noqa: F401  (it registers itself)
