from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo company generator: it may import any app, and no app imports it."""

    name = "openkam.demo"
    label = "demo"
    verbose_name = _("Demo company")
