from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "openkam.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        from openkam.accounts.extensions import register_panel
        from openkam.credit.commitments import register_commitments
        from openkam.credit.services import exception_approved
        from openkam.sales import services
        from openkam.sales.account_panels import ORDERS

        register_commitments(services.open_order_totals)
        exception_approved.connect(services.release_on_approval, dispatch_uid="sales-release")
        register_panel(ORDERS)
