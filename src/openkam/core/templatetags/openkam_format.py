"""Number and money formatting for tables: grouped thousands, fixed decimals, currency,
percentages and short sums as each language writes them (CLDR data, through Babel)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from babel import Locale
from babel.numbers import format_compact_decimal, parse_pattern
from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext, ngettext

register = template.Library()


def _locale() -> Locale:
    try:
        return Locale.parse((get_language() or "en").replace("-", "_"))
    except (ValueError, LookupError):
        return Locale.parse("en")


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
def percent(value, places: int = 1) -> str:
    """A share 0..1 as a percentage the language's way: "79.7%", "79,7%", "79,7 %"."""
    number = _decimal(value)
    if number is None:
        return "—"
    locale = _locale()
    pattern = parse_pattern(locale.percent_formats[None].pattern)
    pattern.frac_prec = (int(places), int(places))
    return pattern.apply(number, locale)


@register.filter
def compact_money(value, currency: str = "") -> str:
    """A big sum that fits a tile: "161.2M PLN", "161,2 mln PLN", "161,2 млн PLN"."""
    number = _decimal(value)
    if number is None:
        return "—"
    if abs(number) < 1000:
        text = number_format(number, decimal_pos=0, force_grouping=True)
    else:
        text = format_compact_decimal(
            number, format_type="short", fraction_digits=1, locale=_locale()
        )
    return f"{text}\u00a0{currency}" if currency else text


@register.filter
def days_ago(day: date | None, today: date) -> str:
    """How long ago a day was, in days: "today", "yesterday", "12 days ago"."""
    if day is None:
        return ""
    days = (today - day).days
    if days <= 0:
        return gettext("today")
    if days == 1:
        return gettext("yesterday")
    return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}


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
