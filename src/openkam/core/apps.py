from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "openkam.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from openkam.core import bounds, lookups

        lookups.install()
        bounds.register_converters()
