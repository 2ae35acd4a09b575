from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    name = "openkam.ingest"
    label = "ingest"
    verbose_name = _("Ingest")

    def ready(self) -> None:
        from openkam.core.jobs import register_job_runner
        from openkam.ingest.jobs import IMPORT_KIND, import_title

        register_job_runner(IMPORT_KIND, "openkam.ingest.jobs.run_import_job", import_title)
