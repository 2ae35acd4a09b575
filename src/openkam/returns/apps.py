from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    name = "openkam.returns"
    label = "returns"
    verbose_name = _("Returns and refusals")

    def ready(self) -> None:
        from openkam.accounts.extensions import register_panel
        from openkam.returns.account_panels import RETURNS

        register_panel(RETURNS)

        from openkam.returns.refusal_sources import register

        register()
