"""Writes to price lists, tiers, prices and discount rules: keyword-only, atomic,
validated, audited.

Price lists and rules are the company's catalogue: heads of key accounts and
administrators change them (in the back office, by import, or through these); the
system itself (`actor=None`: imports, the demo) may too.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from openkam.core import audit
from openkam.ledger.models import Product
from openkam.pricing.models import (
    BandMode,
    DiscountRule,
    Price,
    PriceList,
    PriceTier,
    VolumeBand,
)
from openkam.users import permissions
from openkam.users.permissions import Actor

PRICE_LIST_FIELDS = ("name", "currency", "valid_from", "valid_to", "note")
RULE_FIELDS = (
    "name",
    "tier",
    "segment",
    "product_line",
    "min_quantity",
    "min_amount",
    "currency",
    "max_discount_pct",
    "priority",
    "valid_from",
    "valid_to",
    "note",
)
TEXT_FIELDS = ("name", "note", "tier", "segment", "product_line")


def may_edit_pricing(user: Any) -> bool:
    """Heads of key accounts and administrators keep the price lists and rules."""
    return permissions.can_manage_portfolios(user)


def _require_editor(actor: Actor) -> None:
    if actor is not None and not may_edit_pricing(actor):
        raise PermissionDenied(
            _("Only a head of key accounts or an administrator may change prices and rules.")
        )


def _check_fields(fields: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{where} got unknown fields: {sorted(unknown)}")


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    """Text trimmed; a currency code in capitals."""
    cleaned = dict(fields)
    for name in TEXT_FIELDS:
        if isinstance(cleaned.get(name), str):
            cleaned[name] = cleaned[name].strip()
    if isinstance(cleaned.get("currency"), str):
        cleaned["currency"] = cleaned["currency"].strip().upper()
    return cleaned


def _save(actor: Actor, record: Any, fields: dict[str, Any], via: str) -> bool:
    """Set the fields, validate (the model's rules), save and audit; whether it changed."""
    created = record.pk is None
    before = None if created else audit.snapshot(record, list(fields))
    for name, value in fields.items():
        setattr(record, name, value)
    record.full_clean()
    if before is not None and not audit.diff(before, audit.snapshot(record, list(fields))):
        return False
    record.save()
    if created:
        audit.record_create(actor=actor, instance=record, via=via)
    else:
        assert before is not None
        audit.record_update(actor=actor, instance=record, before=before, via=via)
    return True


# --- price lists and tiers ----------------------------------------------------------------


@transaction.atomic
def price_list_create(*, actor: Actor, via: str = "web", **fields: Any) -> PriceList:
    """A new list; its dates may not overlap another list of its currency."""
    _require_editor(actor)
    _check_fields(fields, PRICE_LIST_FIELDS, "price_list_create")
    price_list = PriceList()
    _save(actor, price_list, _normalise(fields), via)
    return price_list


@transaction.atomic
def price_list_update(
    *, actor: Actor, price_list: PriceList, via: str = "web", **fields: Any
) -> bool:
    """Change a list; whether anything changed."""
    _require_editor(actor)
    _check_fields(fields, PRICE_LIST_FIELDS, "price_list_update")
    return _save(actor, price_list, _normalise(fields), via)


@transaction.atomic
def tier_create(
    *,
    actor: Actor,
    price_list: PriceList,
    name: str,
    is_default: bool | None = None,
    position: int | None = None,
    via: str = "web",
) -> PriceTier:
    """A new tier at the end of the list (or at `position`); a list's first tier is its
    default unless told otherwise, and making a tier the default unsets the one before."""
    _require_editor(actor)
    existing = PriceTier.objects.filter(price_list=price_list)
    if is_default is None:
        is_default = not existing.exists()
    if position is None:
        last = existing.aggregate(last=Max("position"))["last"]
        position = 0 if last is None else last + 1
    if is_default:
        for other in existing.filter(is_default=True):
            _save(actor, other, {"is_default": False}, via)
    tier = PriceTier(price_list=price_list)
    _save(actor, tier, {"name": name.strip(), "position": position, "is_default": is_default}, via)
    return tier


# --- prices and volume bands --------------------------------------------------------------


def _check_bands(bands: Sequence[tuple[Decimal, Decimal]]) -> None:
    quantities = [quantity for quantity, _price in bands]
    if len(set(quantities)) != len(quantities):
        raise ValidationError({"bands": _("Two bands start at the same quantity.")})


def _replace_bands(
    actor: Actor, price: Price, bands: Sequence[tuple[Decimal, Decimal]], via: str
) -> bool:
    """The price's band set becomes `bands` (min quantity, unit price); each band
    removed, added or repriced is audited. Whether anything changed."""
    _check_bands(bands)
    stored = {band.min_quantity: band for band in price.bands.all()}
    wanted = {Decimal(quantity): Decimal(unit) for quantity, unit in bands}
    changed = False
    for quantity, band in stored.items():
        if quantity not in wanted:
            audit.record_delete(actor=actor, instance=band, via=via)
            band.delete()
            changed = True
    for quantity, unit in sorted(wanted.items()):
        band = stored.get(quantity) or VolumeBand(price=price)
        changed = _save(actor, band, {"min_quantity": quantity, "unit_price": unit}, via) or changed
    return changed


@transaction.atomic
def price_set(
    *,
    actor: Actor,
    tier: PriceTier,
    product: Product,
    unit_price: Decimal,
    band_mode: str | None = None,
    bands: Sequence[tuple[Decimal, Decimal]] | None = None,
    via: str = "web",
) -> tuple[Price, str]:
    """The product's price in the tier, created or changed; `bands` (when given) replace
    its band set. Returns the price and "created", "updated" or "unchanged"."""
    _require_editor(actor)
    price = Price.objects.filter(tier=tier, product=product).first()
    created = price is None
    if price is None:
        price = Price(tier=tier, product=product)
    fields: dict[str, Any] = {"unit_price": unit_price}
    if band_mode is not None or created:
        fields["band_mode"] = band_mode or BandMode.RANGE
    changed = _save(actor, price, fields, via)
    if bands is not None:
        changed = _replace_bands(actor, price, bands, via) or changed
    return price, "created" if created else "updated" if changed else "unchanged"


# --- discount rules -----------------------------------------------------------------------


@transaction.atomic
def discount_rule_create(*, actor: Actor, via: str = "web", **fields: Any) -> DiscountRule:
    _require_editor(actor)
    _check_fields(fields, RULE_FIELDS, "discount_rule_create")
    rule = DiscountRule()
    _save(actor, rule, _normalise(fields), via)
    return rule


@transaction.atomic
def discount_rule_update(
    *, actor: Actor, rule: DiscountRule, via: str = "web", **fields: Any
) -> bool:
    """Change a rule (end it by giving it an end date); whether anything changed."""
    _require_editor(actor)
    _check_fields(fields, RULE_FIELDS, "discount_rule_update")
    return _save(actor, rule, _normalise(fields), via)
