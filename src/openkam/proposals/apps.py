from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "openkam.proposals"
    label = "proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        from openkam.accounts.extensions import register_panel
        from openkam.proposals.account_panels import PROPOSALS

        register_panel(PROPOSALS)
