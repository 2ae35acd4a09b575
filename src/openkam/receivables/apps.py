from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceivablesConfig(AppConfig):
    name = "openkam.receivables"
    label = "receivables"
    verbose_name = _("Receivables")

    def ready(self) -> None:
        from openkam.accounts.extensions import register_panel
        from openkam.core.jobs import register_job_runner
        from openkam.receivables import jobs
        from openkam.receivables.account_panels import RECEIVABLES

        register_panel(RECEIVABLES)
        register_job_runner(
            jobs.REFRESH_KIND, "openkam.receivables.jobs.run_refresh", title=jobs.refresh_title
        )
