from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PricingConfig(AppConfig):
    name = "openkam.pricing"
    label = "pricing"
    verbose_name = _("Pricing")

    def ready(self) -> None:
        from openkam.accounts.extensions import register_panel
        from openkam.pricing.account_panels import PRICES

        register_panel(PRICES)
