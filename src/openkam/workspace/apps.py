from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The account workspace: competitors, the meeting brief, the timeline, the KAM home."""

    name = "openkam.workspace"
    label = "workspace"
    verbose_name = _("Account workspace")
