"""Contracts from an ERP's contract register, through the contracts app's services.

A row names its customer by ERP id or tax id (see `customers`) and is matched to a
stored contract by (account, contract number): a new pair is created, a stored one is
updated where the file differs, an identical one is left alone. The services check the
terms between fields (an end before the start, a renewing contract without a renewal
term, ...) and write the audit entries; their refusals are reported on the row's line
and the file's column, and the import's one transaction then keeps nothing.

Types and statuses are read in English, Polish or Russian (`KINDS`, `STATUSES`); a
contract without a status column is active: a register lists contracts in force.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.contracts.models import Contract, ContractKind, ContractStatus, NoticeUnit
from openkam.contracts.services import contract_create, contract_update
from openkam.ingest.importers.base import CURRENCY_RE
from openkam.ingest.importers.numbered import NumberedImporter
from openkam.ingest.parsing import BadValue, parse_number

KINDS = {
    ContractKind.FRAMEWORK: (
        "framework", "framework agreement", "ramowa", "umowa ramowa", "рамочный",
        "рамочный договор", "рамочное соглашение",
    ),
    ContractKind.SUPPLY: (
        "supply", "supply contract", "dostawa", "dostawy", "umowa dostawy", "umowa dostaw",
        "поставка", "поставки", "договор поставки",
    ),
    ContractKind.SERVICE: (
        "service", "service contract", "serwis", "serwisowa", "usługi", "usługowa",
        "umowa serwisowa", "umowa o świadczenie usług", "услуги", "оказание услуг",
        "договор оказания услуг", "сервисный договор",
    ),
}  # fmt: skip
STATUSES = {
    ContractStatus.ACTIVE: (
        "active", "aktywna", "obowiązuje", "obowiązująca", "w realizacji", "действует",
        "действующий", "активный",
    ),
    ContractStatus.DRAFT: ("draft", "projekt", "szkic", "проект", "черновик"),
    ContractStatus.ENDED: (
        "ended", "zakończona", "wygasła", "завершен", "завершён", "закрыт", "истек", "истёк",
    ),
    ContractStatus.TERMINATED: (
        "terminated", "rozwiązana", "wypowiedziana", "расторгнут", "расторжен",
    ),
}  # fmt: skip
YES = {"yes", "y", "true", "1", "x", "+", "tak", "t", "да", "д"}
NO = {"no", "n", "false", "0", "-", "nie", "нет", "н"}
# The file's column for each field a service may refuse (the rest are named as they are).
COLUMN_OF_FIELD = {
    "starts_on": "start_date",
    "ends_on": "end_date",
    "notice_period": "notice_days",
    "notice_unit": "notice_days",
}
TEXT_FIELDS = ("price_tier",)
Value = TypeVar("Value", bound=str)
INT_FIELDS = ("renewal_months", "payment_terms_days")


def _words(table: dict[Value, tuple[str, ...]]) -> dict[str, Value]:
    """Each word -> the value it names."""
    return {word: value for value, words in table.items() for word in words}


KIND_WORDS, STATUS_WORDS = _words(KINDS), _words(STATUSES)


def _choice(raw: str, words: dict[str, Value], what: str) -> Value:
    value = words.get(" ".join(raw.lower().split()))
    if value is None:
        accepted = ", ".join(sorted(set(words.values())))
        raise BadValue(
            _("%(value)s is no %(what)s we know (use one of %(accepted)s, or its Polish or "
              "Russian name)") % {"value": repr(raw), "what": what, "accepted": accepted}
        )  # fmt: skip
    return value


def _yes_no(raw: str) -> bool:
    text = raw.strip().lower()
    if text in YES:
        return True
    if text in NO or not text:
        return False
    raise BadValue(_("%(value)s is neither yes nor no") % {"value": repr(raw)})


def _percent(raw: str) -> Decimal | None:
    text = raw.strip().removesuffix("%").strip()
    return Decimal(parse_number(text, places=2)) if text else None


class ContractImporter(NumberedImporter):
    model = Contract
    column_of_field = COLUMN_OF_FIELD

    def _duplicate(self, number: str, first_line: int) -> str:
        return _("the customer's contract %(number)s is also on line %(line)d") % {
            "number": number, "line": first_line,
        }  # fmt: skip

    def _fields(self, line: int, row: dict) -> dict[str, Any] | None:
        """The service's fields from a parsed row (only the file's columns), or None after
        reporting a cell that does not convert."""
        fields: dict[str, Any] = {"number": row.get("number") or ""}
        converters = (
            ("kind", "kind", lambda raw: _choice(raw, KIND_WORDS, _("contract type"))),
            ("status", "status", lambda raw: _choice(raw, STATUS_WORDS, _("contract status"))),
            ("auto_renews", "auto_renews", _yes_no),
            ("discount_pct", "discount_pct", _percent),
        )
        ok = True
        for column, name, convert in converters:
            if not self.ctx.has(column) or column not in row:
                continue
            try:
                fields[name] = convert(row[column]) if row[column] else None
            except BadValue as exc:
                reason = "bad_number" if column == "discount_pct" else "bad_value"
                self.ctx.errors.add(line, column, reason, str(exc))
                ok = False
        self._dates_and_numbers(row, fields)
        ok = self._commitment(line, row, fields) and ok
        return self._settled(fields) if ok else None

    def _dates_and_numbers(self, row: dict, fields: dict[str, Any]) -> None:
        for column, name in (("start_date", "starts_on"), ("end_date", "ends_on")):
            if self.ctx.has(column) and row.get(column):
                fields[name] = date.fromisoformat(row[column])
            elif self.ctx.has(column):
                fields[name] = None
        for name in INT_FIELDS:
            if self.ctx.has(name):
                fields[name] = row.get(name)
        if self.ctx.has("notice_days"):
            fields["notice_period"] = row.get("notice_days")
            fields["notice_unit"] = NoticeUnit.DAYS
        for name in TEXT_FIELDS:
            if self.ctx.has(name):
                fields[name] = row.get(name) or ""

    def _commitment(self, line: int, row: dict, fields: dict[str, Any]) -> bool:
        """The commitment's amount and currency: an amount without a currency cell takes
        the source's currency; no amount, no currency."""
        if self.ctx.has("commitment_amount"):
            amount = row.get("commitment_amount")
            fields["commitment_amount"] = Decimal(amount) if amount else None
        if not (self.ctx.has("commitment_amount") or self.ctx.has("commitment_currency")):
            return True
        currency = (row.get("commitment_currency") or "").upper()
        if not currency and fields.get("commitment_amount") is not None:
            currency = self.ctx.currency
        if currency and not CURRENCY_RE.match(currency):
            self.ctx.errors.add(
                line, "commitment_currency", "bad_value",
                _("%(value)s is not an ISO code") % {"value": repr(currency)},
            )  # fmt: skip
            return False
        fields["commitment_currency"] = currency
        return True

    def _settled(self, fields: dict[str, Any]) -> dict[str, Any]:
        """Empty cells of the kind, status and yes/no columns: the contract's defaults."""
        if fields.get("status", "") is None:
            fields["status"] = ContractStatus.ACTIVE
        if "auto_renews" in fields and fields["auto_renews"] is None:
            fields["auto_renews"] = False
        if fields.get("kind", "") is None:
            del fields["kind"]  # a required cell: reported by the service if it is new
        return fields

    # --- writing ------------------------------------------------------------
    def _write_one(self, account: Account, contract: Contract | None, fields: dict) -> None:
        """Create the contract, or update it where the file differs."""
        actor = self.ctx.actor
        if contract is None:
            new = {"status": ContractStatus.ACTIVE, **fields}
            contract_create(actor=actor, account=account, via="import", source=self.ctx.source,
                            **new)  # fmt: skip
            self.counts["created"] += 1
            return
        changed = {name: value for name, value in fields.items()
                   if getattr(contract, name) != value}  # fmt: skip
        if not changed:
            self.counts["unchanged"] += 1
            return
        contract_update(actor=actor, contract=contract, via="import", **changed)
        self.counts["updated"] += 1
