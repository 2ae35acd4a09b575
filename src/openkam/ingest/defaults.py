"""Source defaults: what a source's files leave unsaid, set once per source system.

A file says nothing about the country of its customers when it has no country column,
nor about the currency of a row without one, nor whether 03/04/2026 is 3 April or 4 March.
Without defaults the built-in rules apply: Poland (Russia for an accounts file with an
INN or KPP column), złoty, and dates with slashes refused as ambiguous. A source's saved
defaults (the import page, the admin, `kam import --save-defaults`) replace them for
every import of that source; options given with one import win for that import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils.translation import gettext as _

from openkam.core import audit
from openkam.core.models import AuditEntry
from openkam.ingest.models import SourceDefaults

BUILTIN_COUNTRY = "PL"
BUILTIN_CURRENCY = "PLN"
DATE_ORDERS = {"": "", "dmy": "dmy", "mdy": "mdy", "day-first": "dmy", "month-first": "mdy"}
_COUNTRY = re.compile(r"[A-Z]{2}\Z")
_CURRENCY = re.compile(r"[A-Z]{3}\Z")


class BadDefault(ValueError):
    """A default that is not a code or a date order; `field` names which."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Defaults:
    """The defaults one import applies; an empty field means "not set"."""

    source: str = ""
    country: str = ""
    currency: str = ""
    date_order: str = ""  # "", "dmy" (day first) or "mdy" (month first)
    saved: bool = False  # whether the source has saved defaults (for the messages)

    @property
    def currency_or_builtin(self) -> str:
        return self.currency or BUILTIN_CURRENCY


def check_codes(country: str, currency: str) -> tuple[str, str]:
    """Upper-cased codes; BadDefault for one that is not a code."""
    country, currency = (country or "").strip().upper(), (currency or "").strip().upper()
    if country and not _COUNTRY.match(country):
        raise BadDefault("country", _("%(value)s is not a two-letter country code") % {
            "value": repr(country)})  # fmt: skip
    if currency and not _CURRENCY.match(currency):
        raise BadDefault("currency", _("%(value)s is not a three-letter currency code") % {
            "value": repr(currency)})  # fmt: skip
    return country, currency


def normalize_date_order(value: str) -> str:
    try:
        return DATE_ORDERS[(value or "").strip().lower()]
    except KeyError:
        raise BadDefault(
            "date_order",
            _("unknown date order %(value)s (use day-first or month-first)")
            % {"value": repr(value)},
        ) from None


def source_defaults(source: str, overrides: dict[str, str] | None = None) -> Defaults:
    """The saved defaults of `source` with `overrides` (non-empty values) on top;
    BadDefault for an override that is not a code or a date order."""
    row = SourceDefaults.objects.filter(source=source).first()
    defaults = Defaults(source=source)
    if row is not None:
        defaults = replace(
            defaults,
            country=row.country,
            currency=row.currency,
            date_order=row.date_order,
            saved=True,
        )
    given = {name: value for name, value in (overrides or {}).items() if value}
    if given:
        country, currency = check_codes(given.get("country", ""), given.get("currency", ""))
        date_order = normalize_date_order(given.get("date_order", ""))
        defaults = replace(
            defaults,
            country=country or defaults.country,
            currency=currency or defaults.currency,
            date_order=date_order or defaults.date_order,
        )
    return defaults


@transaction.atomic
def save_defaults(
    *,
    source: str,
    country: str = "",
    currency: str = "",
    date_order: str = "",
    actor,
    via: str = "import",
) -> SourceDefaults | None:
    """Set the defaults of `source` (an empty value: not set; all empty: none saved);
    audited. BadDefault for a value that is not a code or a date order."""
    country, currency = check_codes(country, currency)
    date_order = normalize_date_order(date_order)
    who = actor if getattr(actor, "pk", None) else None
    row = SourceDefaults.objects.select_for_update().filter(source=source).first()
    values = {"country": country, "currency": currency, "date_order": date_order}
    if row is None and not any(values.values()):
        return None
    if row is None:
        row = SourceDefaults(source=source)
        before = dict.fromkeys(values, "")
    else:
        before = {name: getattr(row, name) for name in values}
    if before == values and row.pk is not None:
        return row
    if not any(values.values()):
        audit.build_entry(
            actor=who, instance=row, action=AuditEntry.Action.DELETE,
            changes={name: [old, None] for name, old in before.items()}, via=via,
        ).save()  # fmt: skip
        row.delete()
        return None
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_by = who
    created = row.pk is None
    row.save()
    audit.build_entry(
        actor=who,
        instance=row,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        changes={name: [before[name], value] for name, value in values.items()
                 if before[name] != value},
        via=via,
    ).save()  # fmt: skip
    return row
