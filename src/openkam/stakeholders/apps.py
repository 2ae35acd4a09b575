from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "openkam.stakeholders"
    label = "stakeholders"
    verbose_name = _("Stakeholders")

    def ready(self) -> None:
        from openkam.accounts.extensions import register_panel
        from openkam.stakeholders.account_panels import CONTACTS

        register_panel(CONTACTS)
