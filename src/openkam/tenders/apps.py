from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TendersConfig(AppConfig):
    name = "openkam.tenders"
    label = "tenders"
    verbose_name = _("Tenders")

    def ready(self) -> None:
        from openkam.accounts.extensions import register_panel
        from openkam.tenders.account_panels import TENDERS

        register_panel(TENDERS)
