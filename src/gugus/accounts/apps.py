from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gugus.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from gugus.accounts import policies, security  # noqa: F401  (they register)
