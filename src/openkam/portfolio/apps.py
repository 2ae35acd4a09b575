from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "openkam.portfolio"
    label = "portfolio"
    verbose_name = _("Portfolio")

    def ready(self) -> None:
        from openkam.core.jobs import register_job_runner

        register_job_runner("portfolio-recompute", "openkam.portfolio.jobs.run_recompute_job")
