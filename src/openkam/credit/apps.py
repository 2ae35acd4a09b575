from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "openkam.credit"
    label = "credit"
    verbose_name = _("Credit")

    def ready(self) -> None:
        from openkam.accounts.extensions import register_panel
        from openkam.credit.account_panels import CREDIT

        register_panel(CREDIT)
