"""Price lists from an ERP, one row per product and tier, through the pricing services.

A row names its list (with the list's currency and validity, the same on every row of
the list), a product by SKU (of the file's source), a tier and a unit price. A row with
a minimum quantity is a volume band of that product and tier: from that quantity on,
its unit price applies; `band_mode` says how the bands price a quantity (range or slab,
in English, Polish or Russian; empty: range).

Writing: a list named for the first time is created (its tiers in the order the file
first names them, the first one its default), a stored list keeps its tiers and gets
the new ones; its currency and dates are updated where the file differs (the pricing
rules refuse overlapping lists of one currency: a bad value on the list's first line).
Each product and tier the file names gets the file's list price and exactly the file's
bands (a stored band the file leaves out is removed); prices the file does not name are
left alone. A band row of a product and tier with no list price in the file nor stored
is an error.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from openkam.ingest.importers.base import CURRENCY_RE, ImportContext, check_code, iter_rows
from openkam.ingest.parsing import BadValue
from openkam.ledger.models import Product
from openkam.pricing import services
from openkam.pricing.models import BandMode, Price, PriceList, PriceTier

MODES = {
    BandMode.RANGE: (
        "range", "zakres", "cała ilość", "całość", "progowo", "диапазон", "весь объем",
        "на весь объем",
    ),
    BandMode.SLAB: (
        "slab", "slabs", "przedziałami", "schodkowo", "progresywnie", "ступени",
        "по ступеням", "ступенчато", "прогрессивно",
    ),
}  # fmt: skip
MODE_WORDS = {word: mode for mode, words in MODES.items() for word in words}
LIST_COLUMNS = ("currency", "valid_from", "valid_to")
COLUMN_OF_FIELD = {"name": "price_list", "bands": "min_quantity", "unit_price": "unit_price"}


def band_mode(raw: str) -> str:
    value = MODE_WORDS.get(" ".join(raw.lower().split()))
    if value is None:
        raise BadValue(
            _("%(value)s is no way of pricing volume bands we know (use range or slab, or "
              "their Polish or Russian name)") % {"value": repr(raw)}
        )  # fmt: skip
    return value


@dataclass
class ListIn:
    name: str
    line: int  # where the file first names it
    fields: dict[str, Any]  # currency, valid_from and (if a column) valid_to
    tiers: list[str] = field(default_factory=list)  # in the order the file names them


@dataclass
class ItemIn:
    """One product's price in one tier of a list, as the file gives it."""

    line: int  # the first row of the item
    product: int
    tier: str
    unit_price: Decimal | None = None  # None: only bands in the file
    mode: str | None = None
    mode_line: int = 0
    bands: dict[Decimal, tuple[int, Decimal]] = field(default_factory=dict)  # qty: (line, price)


class PriceListImporter:
    def __init__(self, ctx: ImportContext):
        self.ctx = ctx
        self.products: dict[str, int] = {}
        self.lists: dict[str, ListIn] = {}
        self.items: dict[tuple[str, int, str], ItemIn] = {}
        self.counts = {"created": 0, "updated": 0, "unchanged": 0, "price_lists_created": 0}

    # --- reading ------------------------------------------------------------
    def read(self) -> None:
        """Parse and check every row; nothing is written."""
        self.products = dict(
            Product.objects.filter(source=self.ctx.source).values_list("sku", "pk")
        )
        for line, row, ok in iter_rows(self.ctx):
            name = row.get("price_list") or ""
            listed = self._list(line, row, name) if name else None
            product = self._product(line, row.get("sku"))
            unit_price = self._unit_price(line, row.get("unit_price"))
            mode = self._mode(line, row.get("band_mode") or "")
            quantity = row.get("min_quantity")
            if quantity is not None and Decimal(quantity) <= 0:
                self.ctx.errors.add(
                    line, "min_quantity", "bad_value",
                    _("a volume band starts above zero (leave the cell empty for the list "
                      "price)"),
                )  # fmt: skip
                ok = False
            tier = (row.get("tier") or "").strip()
            if not ok or listed is None or product is None or unit_price is None or not tier:
                continue
            if mode is False:
                continue
            self._item(line, listed, product, tier, unit_price, mode, quantity)

    def _list(self, line: int, row: dict, name: str) -> ListIn | None:
        """The list the row names; its currency and dates must agree with its first row."""
        fields: dict[str, Any] = {}
        if self.ctx.has("currency"):  # else a new list takes the source's currency
            currency = check_code(self.ctx, line, row, "currency", CURRENCY_RE, self.ctx.currency)
            if currency is None:
                return None
            fields["currency"] = currency
        for column in ("valid_from", "valid_to"):
            if column in row:  # a bad date is left out of the row, and reported
                value = row[column]
                fields[column] = date.fromisoformat(value) if value else None
        known = self.lists.get(name)
        if known is None:
            self.lists[name] = ListIn(name, line, fields)
            return self.lists[name]
        for column in LIST_COLUMNS:
            if column in fields and column not in known.fields:
                known.fields[column] = fields[column]  # its first row's cell was bad
            elif column in fields and fields[column] != known.fields[column]:
                shown = known.fields.get(column)
                self.ctx.errors.add(
                    line, column, "bad_value",
                    _("the price list %(list)s has %(value)s here but %(first)s on line "
                      "%(line)d: every row of a list gives the same")
                    % {"list": name, "value": _shown(fields[column]), "first": _shown(shown),
                       "line": known.line},
                )  # fmt: skip
                return None
        return known

    def _product(self, line: int, sku: str | None) -> int | None:
        if not sku:
            return None
        pk = self.products.get(sku)
        if pk is None:
            self.ctx.errors.add(
                line, "sku", "unknown_product",
                _("no product %(sku)s from source %(source)s")
                % {"sku": repr(sku), "source": repr(self.ctx.source)},
            )  # fmt: skip
        return pk

    def _unit_price(self, line: int, raw: str | None) -> Decimal | None:
        if raw is None:
            return None
        price = Decimal(raw)
        if price < 0:
            self.ctx.errors.add(line, "unit_price", "bad_value", _("a price may not be negative"))
            return None
        return price

    def _mode(self, line: int, raw: str) -> str | None | bool:
        """The band mode of the cell; None when empty; False (reported) when unknown."""
        if not raw:
            return None
        try:
            return band_mode(raw)
        except BadValue as exc:
            self.ctx.errors.add(line, "band_mode", "bad_value", str(exc))
            return False

    def _item(self, line, listed: ListIn, product: int, tier: str, unit_price, mode, quantity):
        if tier.casefold() not in {name.casefold() for name in listed.tiers}:
            listed.tiers.append(tier)
        key = (listed.name, product, tier.casefold())
        item = self.items.setdefault(key, ItemIn(line, product, tier))
        if mode is not None:
            if item.mode is not None and item.mode != mode:
                self.ctx.errors.add(
                    line, "band_mode", "bad_value",
                    _("line %(line)d prices this product's bands by %(mode)s")
                    % {"line": item.mode_line, "mode": item.mode},
                )  # fmt: skip
                return
            item.mode, item.mode_line = mode, item.mode_line or line
        if quantity is None:
            if item.unit_price is not None:
                self._twice(line, "unit_price", item.line)
                return
            item.unit_price, item.line = unit_price, min(item.line, line)
            return
        band = Decimal(quantity)
        if band in item.bands:
            self._twice(line, "min_quantity", item.bands[band][0])
            return
        item.bands[band] = (line, unit_price)

    def _twice(self, line: int, column: str, first: int) -> None:
        self.ctx.errors.add(
            line, column, "duplicate_id",
            _("the same list, product, tier and quantity are also on line %(line)d")
            % {"line": first},
        )  # fmt: skip

    # --- writing ------------------------------------------------------------
    def write_all(self) -> dict[str, int]:
        """Each list, its tiers and prices through the pricing services (inside the
        import's transaction); a refusal is a row error, and the import is rolled back."""
        stored = {pl.name: pl for pl in PriceList.objects.filter(name__in=list(self.lists))}
        products = Product.objects.in_bulk({item.product for item in self.items.values()})
        for listed in self.lists.values():
            price_list = self._write_list(listed, stored.get(listed.name))
            if price_list is None:
                continue
            tiers = self._write_tiers(listed, price_list)
            for (name, _product, _tier), item in self.items.items():
                if name == listed.name:
                    self._write_item(item, tiers[item.tier.casefold()], products[item.product])
        return dict(self.counts)

    def _write_list(self, listed: ListIn, price_list: PriceList | None) -> PriceList | None:
        actor = self.ctx.actor
        try:
            if price_list is None:
                fields = {"currency": self.ctx.currency, "valid_to": None, **listed.fields}
                price_list = services.price_list_create(
                    actor=actor, name=listed.name, via="import", **fields
                )
                self.counts["price_lists_created"] += 1
            else:
                services.price_list_update(
                    actor=actor, price_list=price_list, via="import", **listed.fields
                )
        except ValidationError as exc:
            self._report(listed.line, exc)
            return None
        except PermissionDenied as exc:
            self.ctx.errors.add(listed.line, "price_list", "not_allowed", str(exc))
            return None
        return price_list

    def _write_tiers(self, listed: ListIn, price_list: PriceList) -> dict[str, PriceTier]:
        tiers = {tier.name.casefold(): tier for tier in price_list.tiers.all()}
        for name in listed.tiers:
            if name.casefold() not in tiers:
                tiers[name.casefold()] = services.tier_create(
                    actor=self.ctx.actor, price_list=price_list, name=name, via="import"
                )
        return tiers

    def _write_item(self, item: ItemIn, tier: PriceTier, product: Product) -> None:
        unit_price = item.unit_price
        if unit_price is None:
            stored = Price.objects.filter(tier=tier, product=product).first()
            if stored is None:
                first_band = min(line for line, _price in item.bands.values())
                self.ctx.errors.add(
                    first_band, "min_quantity", "missing_required",
                    _("a volume band needs the product's list price in the tier: add a row "
                      "without a minimum quantity"),
                )  # fmt: skip
                return
            unit_price = stored.unit_price
        bands = [(quantity, price) for quantity, (_line, price) in sorted(item.bands.items())]
        try:
            _price, state = services.price_set(
                actor=self.ctx.actor,
                tier=tier,
                product=product,
                unit_price=unit_price,
                # Without the column a stored price keeps its mode (a new one: range).
                band_mode=(item.mode or BandMode.RANGE) if self.ctx.has("band_mode") else None,
                bands=bands,
                via="import",
            )
        except ValidationError as exc:
            self._report(item.line, exc)
            return
        self.counts[state] += 1

    def _report(self, line: int, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            column = COLUMN_OF_FIELD.get(name, name if name != "__all__" else "")
            for message in messages:
                self.ctx.errors.add(line, column, "bad_value", message)

    def write_conditions(self):
        return nullcontext()

    def cleanup(self) -> None:
        """Nothing to release: the rows are in memory."""


def _shown(value: Any) -> str:
    if value is None:
        return _("nothing")
    return value.isoformat() if isinstance(value, date) else str(value)
