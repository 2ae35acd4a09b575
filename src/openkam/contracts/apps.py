from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "openkam.contracts"
    label = "contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        from openkam.accounts.extensions import register_panel
        from openkam.contracts.account_panels import CONTRACTS

        register_panel(CONTRACTS)
