"""Discount rules from a file, one row per rule, matched by name, through the pricing
services (the same checks and audit entries as the back office).

A rule named for the first time is created; a stored one is updated where the file
differs; a column not in the file leaves that field of stored rules as it is. The
discount is a percent (`7,5 %`); a minimum value without a currency cell takes the
source's currency. The rules' own checks (an end before the start, a discount over 100
%, a currency without a minimum value) are bad values on the row's line and column.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from openkam.ingest.importers.base import CURRENCY_RE, ImportContext, iter_rows
from openkam.ingest.parsing import BadValue, parse_number
from openkam.pricing import services
from openkam.pricing.models import DiscountRule

TEXT = ("tier", "segment", "product_line", "note")
DATES = ("valid_from", "valid_to")


def percent(raw: str) -> Decimal:
    text = raw.strip().removesuffix("%").strip()
    return Decimal(parse_number(text, places=2))


class DiscountRuleImporter:
    def __init__(self, ctx: ImportContext):
        self.ctx = ctx
        self.staged: dict[str, tuple[int, dict[str, Any]]] = {}
        self.counts = {"created": 0, "updated": 0, "unchanged": 0}

    def read(self) -> None:
        """Parse and check every row; nothing is written."""
        for line, row, ok in iter_rows(self.ctx):
            name = row.get("name") or ""
            fields = self._fields(line, row)
            if name in self.staged:
                self.ctx.errors.add(
                    line, "name", "duplicate_id",
                    _("the rule %(name)s is also on line %(line)d")
                    % {"name": name, "line": self.staged[name][0]},
                )  # fmt: skip
                continue
            if ok and name and fields is not None:
                self.staged[name] = (line, fields)

    def _fields(self, line: int, row: dict) -> dict[str, Any] | None:
        fields: dict[str, Any] = {}
        ok = True
        for name in TEXT:
            if self.ctx.has(name):
                fields[name] = row.get(name) or ""
        for name in DATES:
            if self.ctx.has(name):
                fields[name] = date.fromisoformat(row[name]) if row.get(name) else None
        if self.ctx.has("min_quantity"):
            value = row.get("min_quantity")
            fields["min_quantity"] = Decimal(value) if value else None
        if self.ctx.has("priority"):
            fields["priority"] = row.get("priority") or 0
        if row.get("max_discount_pct"):
            try:
                fields["max_discount_pct"] = percent(row["max_discount_pct"])
            except BadValue as exc:
                self.ctx.errors.add(line, "max_discount_pct", "bad_number", str(exc))
                ok = False
        return fields if self._minimum_value(line, row, fields) and ok else None

    def _minimum_value(self, line: int, row: dict, fields: dict[str, Any]) -> bool:
        """The minimum value and its currency: a value without a currency cell takes the
        source's currency; no value, no currency."""
        if self.ctx.has("min_amount"):
            value = row.get("min_amount")
            fields["min_amount"] = Decimal(value) if value else None
        if not (self.ctx.has("min_amount") or self.ctx.has("currency")):
            return True
        currency = (row.get("currency") or "").upper()
        if not currency and fields.get("min_amount") is not None:
            currency = self.ctx.currency
        if currency and not CURRENCY_RE.match(currency):
            self.ctx.errors.add(
                line, "currency", "bad_value",
                _("%(value)s is not an ISO code") % {"value": repr(currency)},
            )  # fmt: skip
            return False
        fields["currency"] = currency
        return True

    def write_all(self) -> dict[str, int]:
        stored = {rule.name: rule for rule in DiscountRule.objects.filter(name__in=self.staged)}
        actor = self.ctx.actor
        for name, (line, fields) in self.staged.items():
            rule = stored.get(name)
            try:
                if rule is None:
                    services.discount_rule_create(actor=actor, name=name, via="import", **fields)
                    self.counts["created"] += 1
                elif services.discount_rule_update(actor=actor, rule=rule, via="import", **fields):
                    self.counts["updated"] += 1
                else:
                    self.counts["unchanged"] += 1
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    column = field if field != "__all__" else ""
                    for message in messages:
                        self.ctx.errors.add(line, column, "bad_value", message)
            except PermissionDenied as exc:
                self.ctx.errors.add(line, "name", "not_allowed", str(exc))
        return dict(self.counts)

    def write_conditions(self):
        return nullcontext()

    def cleanup(self) -> None:
        """Nothing to release: the rows are in memory."""
