"""Orders from an ERP's order list, through the sales app's one credit gate.

A row names its customer by ERP id or tax id and is matched to a stored order by
(account, order number). A new open order is placed like one typed in: credit passes it
(open) or holds it with the reasons; the summary counts the held ones. A stored order is
changed where the file differs: a new amount is checked again, an order the ERP closed is
closed (invoiced or cancelled), and one the ERP reopened is checked like a new one. The
ERP cannot bypass the credit hold by sending an order again or reopening it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.ingest.importers.base import CURRENCY_RE
from openkam.ingest.importers.numbered import NumberedImporter
from openkam.ingest.parsing import BadValue
from openkam.sales import services
from openkam.sales.models import CLOSED_STATUSES, Order, OrderStatus

STATUSES = {
    OrderStatus.OPEN: (
        "open", "confirmed", "otwarte", "otwarta", "potwierdzone", "w realizacji", "przyjęte",
        "открыт", "открытый", "согласован", "к выполнению", "в работе",
    ),
    OrderStatus.INVOICED: (
        "invoiced", "closed", "zrealizowane", "zafakturowane", "zamknięte", "выполнен",
        "закрыт", "отгружен",
    ),
    OrderStatus.CANCELLED: (
        "cancelled", "canceled", "anulowane", "anulowana", "odrzucone", "отменен", "отменён",
        "отклонен",
    ),
}  # fmt: skip
STATUS_WORDS = {word: status for status, words in STATUSES.items() for word in words}
COLUMN_OF_FIELD = {"amount": "amount", "ordered_on": "order_date", "number": "number"}


def _status(raw: str) -> str:
    status = STATUS_WORDS.get(" ".join(raw.lower().split()))
    if status is None:
        raise BadValue(
            _("%(value)s is no order status we know (open, invoiced or cancelled, or their "
              "Polish or Russian names)") % {"value": repr(raw)}
        )  # fmt: skip
    return status


class OrderImporter(NumberedImporter):
    model = Order
    column_of_field = COLUMN_OF_FIELD
    count_names = ("created", "updated", "unchanged", "held")

    def _duplicate(self, number: str, first_line: int) -> str:
        return _("the customer's order %(number)s is also on line %(line)d") % {
            "number": number, "line": first_line,
        }  # fmt: skip

    def _fields(self, line: int, row: dict) -> dict[str, Any] | None:
        fields: dict[str, Any] = {
            "number": row.get("number") or "",
            "ordered_on": date.fromisoformat(row["order_date"]) if row.get("order_date") else None,
            "amount": Decimal(row["amount"]) if row.get("amount") else None,
            "note": row.get("note") or "",
            "status": OrderStatus.OPEN,
        }
        if self.ctx.has("status") and row.get("status"):
            try:
                fields["status"] = _status(row["status"])
            except BadValue as exc:
                self.ctx.errors.add(line, "status", "bad_value", str(exc))
                return None
        currency = (row.get("currency") or self.ctx.currency).upper()
        if not CURRENCY_RE.match(currency):
            self.ctx.errors.add(
                line, "currency", "bad_value",
                _("%(value)s is not an ISO code") % {"value": repr(currency)},
            )  # fmt: skip
            return None
        fields["currency"] = currency
        return fields

    # --- writing ------------------------------------------------------------
    def _written(self, order: Order) -> None:
        self.counts["held"] += order.status == OrderStatus.HELD

    def _write_one(self, account: Account, order: Order | None, fields: dict) -> Order:
        actor, status = self.ctx.actor, fields["status"]
        if order is None:
            order, _verdict = services.order_create(
                actor=actor, account=account, currency=fields["currency"],
                amount=fields["amount"], ordered_on=fields["ordered_on"],
                number=fields["number"], note=fields["note"], source=self.ctx.source,
                external_id="", via="import",
            )  # fmt: skip
            if status in CLOSED_STATUSES:
                services.order_close(actor=actor, order=order, status=status, via="import")
            self.counts["created"] += 1
            return order
        changed = self._update(order, fields, status)
        self.counts["updated" if changed else "unchanged"] += 1
        return order

    def _update(self, order: Order, fields: dict, status: str) -> bool:
        actor, changed = self.ctx.actor, False
        if order.is_closed and status not in CLOSED_STATUSES:
            services.order_reopen(actor=actor, order=order, via="import")
            changed = True
        if fields["amount"] != order.amount or fields["note"] != order.note:
            if order.is_closed:
                raise ValidationError({"amount": _("A closed order cannot be changed.")})
            services.order_change(
                actor=actor, order=order, amount=fields["amount"], note=fields["note"], via="import"
            )
            changed = True
        if status in CLOSED_STATUSES and order.status != status:
            if order.is_closed:
                raise ValidationError({"status": _("A closed order cannot be closed again.")})
            services.order_close(actor=actor, order=order, status=status, via="import")
            changed = True
        return changed
