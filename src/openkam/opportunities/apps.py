from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "openkam.opportunities"
    label = "opportunities"
    verbose_name = _("Opportunities")

    def ready(self) -> None:
        from openkam.accounts.extensions import register_panel
        from openkam.opportunities.account_panels import OPPORTUNITIES

        register_panel(OPPORTUNITIES)
