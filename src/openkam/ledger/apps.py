from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "openkam.ledger"
    label = "ledger"
    verbose_name = _("Ledger")

    def ready(self) -> None:
        from openkam.accounts.extensions import register_figures, register_panel
        from openkam.ledger import figures
        from openkam.ledger.account_panels import RECENT_DOCUMENTS

        register_figures(figures)
        register_panel(RECENT_DOCUMENTS)
