"""Orders from an ERP's order list, through the sales app's one credit gate.

A row names its customer by ERP id or tax id and is matched to a stored order by
(account, order number). A new open order is placed like one typed in: credit passes it
(open) or holds it with the reasons; the summary counts the held ones. A stored order is
changed where the file differs: a new amount is checked again, an order the ERP closed is
closed (invoiced or cancelled), and one the ERP reopened is checked like a new one. The
ERP cannot bypass the credit hold by sending an order again or reopening it.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.ingest.importers.base import CURRENCY_RE, ImportContext, iter_rows
from openkam.ingest.importers.customers import Customers
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


class OrderImporter:
    def __init__(self, ctx: ImportContext):
        self.ctx = ctx
        self.customers = Customers(ctx.source)
        self.staged: list[tuple[int, int, dict[str, Any]]] = []  # (line, account pk, fields)
        self.counts = {"created": 0, "updated": 0, "unchanged": 0, "held": 0}

    # --- reading ------------------------------------------------------------
    def read(self) -> None:
        """Parse and check every row; nothing is written."""
        first_line: dict[tuple[int, str], int] = {}
        for line, row, ok in iter_rows(self.ctx):
            account = self.customers.find(self.ctx.errors, line, row, self.ctx.has)
            fields = self._fields(line, row)
            if not ok or account is None or fields is None:
                continue
            key = (account, fields["number"])
            if key in first_line:
                self.ctx.errors.add(
                    line, "number", "duplicate_id",
                    _("the customer's order %(number)s is also on line %(line)d")
                    % {"number": fields["number"], "line": first_line[key]},
                )  # fmt: skip
                continue
            first_line[key] = line
            self.staged.append((line, account, fields))

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
    def write_all(self) -> dict[str, int]:
        """Each row through the sales services (inside the import's transaction); a refusal
        is a row error, and the import is then rolled back."""
        accounts = Account.objects.in_bulk({account for _line, account, _f in self.staged})
        stored = self._stored()
        for line, account, fields in self.staged:
            try:
                order = self._write_one(
                    accounts[account], stored.get((account, fields["number"])), fields
                )
            except ValidationError as exc:
                self._report(line, exc)
            except PermissionDenied as exc:
                column = "account_id" if self.ctx.has("account_id") else "account_tax_id"
                self.ctx.errors.add(line, column, "not_allowed", str(exc))
            else:
                self.counts["held"] += order.status == OrderStatus.HELD
        return dict(self.counts)

    def _stored(self) -> dict[tuple[int, str], Order]:
        accounts = {account for _line, account, _fields in self.staged}
        query = Order.objects.filter(account_id__in=accounts).select_related("account")
        return {(order.account_id, order.number): order for order in query}

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

    def _report(self, line: int, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            column = COLUMN_OF_FIELD.get(name, name if name != "__all__" else "")
            for message in messages:
                self.ctx.errors.add(line, column, "bad_value", message)

    def write_conditions(self):
        return nullcontext()

    def cleanup(self) -> None:
        """Nothing to release: the rows are in memory."""
