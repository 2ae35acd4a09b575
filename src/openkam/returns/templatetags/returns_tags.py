"""A rate kept as a percentage number (4.17) written the language's way ("4.17%")."""

from __future__ import annotations

from decimal import Decimal

from django import template

from openkam.core.templatetags.openkam_format import percent

register = template.Library()


@register.filter
def rate(value) -> str:
    if value is None or value == "":
        return "—"
    return percent(Decimal(str(value)) / 100, 2)


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, None when absent."""
    return mapping.get(key) if mapping else None
