"""Script tags for third-party front-end code whose file depends on the installation."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def picker_assets() -> SafeString:
    """{% picker_assets %}: the searchable picker's style and scripts, when installed."""
    if not settings.SEARCHABLE_PICKERS:
        return SafeString("")
    return format_html(
        '<link rel="stylesheet" href="{}">'
        '<script src="{}" defer></script><script src="{}" defer></script>',
        static("vendor/tom-select/css/tom-select.css"),
        static("vendor/tom-select/js/tom-select.complete.min.js"),
        static("openkam/pickers.js"),
    )


@register.simple_tag
def plotly_script() -> SafeString:
    """{% plotly_script %}: plotly.js, the basic bundle unless KAM_PLOTLY_BUNDLE=full."""
    return format_html('<script src="{}" defer></script>', static(settings.PLOTLY_SCRIPT))
