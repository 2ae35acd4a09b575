from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "openkam.portfolio"
    label = "portfolio"
    verbose_name = _("Portfolio")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from openkam.accounts.extensions import register_panel
        from openkam.core.jobs import register_job_runner
        from openkam.portfolio.account_panels import SCORE
        from openkam.portfolio.jobs import (
            RECOMPUTE_KIND,
            recompute_after_import,
            recompute_title,
        )

        register_job_runner(
            RECOMPUTE_KIND, "openkam.portfolio.jobs.run_recompute_job", recompute_title
        )
        post_save.connect(
            recompute_after_import,
            sender="ingest.ImportBatch",
            dispatch_uid="portfolio-recompute-after-import",
        )
        register_panel(SCORE)
