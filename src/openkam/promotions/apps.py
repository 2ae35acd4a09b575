from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionsConfig(AppConfig):
    name = "openkam.promotions"
    label = "promotions"
    verbose_name = _("Promotions")

    def ready(self) -> None:
        from openkam.accounts.extensions import register_panel
        from openkam.promotions.account_panels import PROMOTIONS

        register_panel(PROMOTIONS)
