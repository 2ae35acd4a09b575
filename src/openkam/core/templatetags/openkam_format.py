"""Number and money formatting for tables: grouped thousands, fixed decimals, currency."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def amount(value, places: int = 2) -> str:
    """1234567.5 -> "1,234,567.50" (separators follow the active language)."""
    number = _decimal(value)
    if number is None:
        return ""
    return number_format(number, decimal_pos=int(places), force_grouping=True)


@register.filter
def money(value, currency: str = "") -> str:
    """An amount with its currency code: "1,234.50 PLN"."""
    text = amount(value)
    if not text:
        return ""
    return f"{text}\u00a0{currency}" if currency else text


@register.filter
def quantity(value) -> str:
    number = _decimal(value)
    if number is None:
        return ""
    places = 0 if number == number.to_integral_value() else 3
    return number_format(number, decimal_pos=places, force_grouping=True)


@register.filter
def audit_value(value) -> str:
    """How an old or new value in the audit trail reads: empty values shown as a dash."""
    if value is None or value == "":
        return "—"
    return str(value)


@register.filter
def sub(value, other):
    """value - other for Decimals (e.g. net minus cost = margin)."""
    left, right = _decimal(value), _decimal(other)
    if left is None or right is None:
        return None
    return left - right
