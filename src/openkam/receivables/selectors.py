"""What a reader may see of receivables: one account's (live, as of any day), a group's,
and the stored aging across every visible account."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import DecimalField, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from openkam.accounts.models import Account
from openkam.ledger.models import Invoice, Payment
from openkam.receivables import dso, engine, snapshots
from openkam.receivables.engine import AccountScope, AgingRow
from openkam.receivables.models import (
    Allocation,
    CollectionStep,
    Dispute,
    PromiseToPay,
    ReceivablesSummary,
)
from openkam.receivables.snapshots import KeptLedgers, KeptSnapshot
from openkam.users.permissions import AnyUser, today

# The collection effectiveness index looks back this many days.
CEI_DAYS = 90
RECENT = 50


@dataclass
class CurrencyReceivables:
    """One currency of an account's (or a group's) receivables, with its figures."""

    aging: AgingRow
    dso_days: Decimal | None = None
    effectiveness: Decimal | None = None

    @property
    def currency(self) -> str:
        return self.aging.currency

    @property
    def over_90_share(self) -> Decimal | None:
        owed = self.aging.balance - self.aging.unapplied
        if owed <= 0:
            return None
        return (self.aging.days_over_90 * 100 / owed).quantize(Decimal("0.1"))


@dataclass
class ErpDocument:
    """An open document of an ERP ledger snapshot that no imported invoice matches: listed
    like an open invoice, without a page of its own."""

    account_id: int
    number: str
    issued_on: date | None
    due_on: date | None
    currency: str
    open_amount: Decimal
    days_overdue: int
    pk: None = None
    id: None = None
    amount_due: None = None


@dataclass
class AccountReceivables:
    as_of: date
    currencies: list[CurrencyReceivables] = field(default_factory=list)
    # Invoice (or ErpDocument) with open_amount, days_overdue
    open_invoices: list = field(default_factory=list)
    # The ERP snapshot the figures come from, when the ERP keeps this account's ledger.
    snapshot: KeptSnapshot | None = None

    @property
    def any(self) -> bool:
        return bool(self.currencies)


def _summed(rows: list[AgingRow]) -> list[AgingRow]:
    """Rows of several accounts added up per currency (a group's aging)."""
    by_currency: dict[str, AgingRow] = {}
    for row in rows:
        seen = by_currency.get(row.currency)
        if seen is None:
            by_currency[row.currency] = AgingRow(**{**row.__dict__, "account_id": 0})
            continue
        amounts = {name: getattr(seen, name) + getattr(row, name) for name in engine.AGING_FIELDS}
        oldest = min(filter(None, (seen.oldest_due_on, row.oldest_due_on)), default=None)
        by_currency[row.currency] = AgingRow(
            account_id=0, currency=row.currency, oldest_due_on=oldest, **amounts
        )
    return [by_currency[currency] for currency in sorted(by_currency)]


def account_receivables(
    *, user: AnyUser, account: Account, as_of: date | None = None, group: bool = False
) -> AccountReceivables:
    """An account's receivables as of a day (today by default), computed from the ledger;
    `group`: the account and every member of its group the reader may see. The account
    is one the reader may see (every caller has checked it)."""
    as_of = as_of or today()
    ids = [account.pk]
    if group:
        members = Account.objects.visible_to(user).filter(group_root_id=account.pk)
        ids = list(members.values_list("pk", flat=True))
    kept = snapshots.kept_as_of(as_of)
    rows = _summed(engine.aging(AccountScope.of_ids(ids), as_of, kept))
    result = AccountReceivables(as_of=as_of, snapshot=kept.of(account))
    for row in rows:
        result.currencies.append(CurrencyReceivables(aging=row))
    _add_figures(result, ids, as_of)
    result.open_invoices = _open_invoices(user, ids, as_of, kept)
    return result


def _add_figures(result: AccountReceivables, ids: list[int], as_of: date) -> None:
    steps = dso.month_steps(as_of)
    sales = dso.monthly_sales(ids, steps[-1][0], as_of)
    start = as_of - timedelta(days=CEI_DAYS)
    start_balances = _balances(ids, start)
    invoiced = _invoiced(ids, start, as_of)
    for item in result.currencies:
        currency = item.currency
        months = [
            (days, sum((sales.get((pk, currency), {}).get(first, Decimal(0)) for pk in ids),
                       Decimal(0)))
            for first, days in steps
        ]  # fmt: skip
        item.dso_days = dso.countback(item.aging.balance, months)
        if result.snapshot is not None:
            # The ERP's report gives today's balance, not the one 90 days ago: the index
            # would mix it with the imported ledger's, so it is not shown.
            continue
        item.effectiveness = dso.collection_effectiveness(
            start_balances.get(currency, Decimal(0)),
            invoiced.get(currency, Decimal(0)),
            item.aging.balance,
            item.aging.not_due,
        )


def _balances(ids: list[int], as_of: date) -> dict[str, Decimal]:
    """Invoiced less paid up to a day, per currency (the ledger balance)."""
    owed = _invoiced(ids, None, as_of)
    paid = (
        Payment.objects.filter(account_id__in=ids, paid_on__lte=as_of)
        .order_by()
        .values("currency")
        .annotate(total=Sum("amount"))
    )
    for row in paid:
        owed[row["currency"]] = owed.get(row["currency"], Decimal(0)) - _money(row["total"])
    return owed


def _invoiced(ids: list[int], after: date | None, through: date) -> dict[str, Decimal]:
    invoices = Invoice.objects.filter(account_id__in=ids, issued_on__lte=through)
    if after is not None:
        invoices = invoices.filter(issued_on__gt=after)
    amount = Coalesce("gross_total", "net_total", output_field=DecimalField())
    rows = invoices.order_by().values("currency").annotate(total=Sum(amount))
    totals = {row["currency"]: _money(row["total"]) for row in rows}
    return totals


def _money(value: object) -> Decimal:
    return Decimal(str(value or 0)).quantize(engine.CENT)


def _open_invoices(user: AnyUser, ids: list[int], as_of: date, kept: KeptLedgers) -> list:
    """The open invoices (and the ERP snapshot's open documents no invoice matches)."""
    items = [row for row in engine.open_items(AccountScope.of_ids(ids), as_of, kept) if row.due_on]
    invoices = Invoice.objects.visible_to(user).in_bulk(
        [row.invoice_id for row in items if row.invoice_id]
    )
    listed: list = []
    for row in items:
        days_overdue = max(0, (as_of - row.due_on).days) if row.due_on else 0
        if row.invoice_id is None:
            listed.append(
                ErpDocument(
                    row.account_id,
                    row.document,
                    None,
                    row.due_on,
                    row.currency,
                    row.amount,
                    days_overdue,
                )  # fmt: skip
            )
            continue
        invoice = invoices.get(row.invoice_id)
        if invoice is None:
            continue
        invoice.open_amount = row.amount  # type: ignore[attr-defined]
        invoice.days_overdue = days_overdue
        listed.append(invoice)
    return listed


def stored_summaries(user: AnyUser) -> QuerySet[ReceivablesSummary]:
    """The stored aging of every account the reader may see."""
    return ReceivablesSummary.objects.visible_to(user).select_related("account")


def account_promises(*, user: AnyUser, account: Account, today: date) -> list:
    """The account's promises to pay, newest first, each with `state` and `paid`."""
    from openkam.receivables.collections import promise_state, with_paid

    promises = list(
        with_paid(PromiseToPay.objects.visible_to(user).filter(account=account)).select_related(
            "contact", "recorded_by"
        )[:RECENT]
    )
    for promise in promises:
        promise.state = promise_state(promise, today)  # type: ignore[attr-defined]
    return promises


def account_disputes(*, user: AnyUser, account: Account) -> QuerySet[Dispute]:
    return (
        Dispute.objects.visible_to(user)
        .filter(invoice__account=account)
        .select_related("invoice", "opened_by")
        .order_by("resolved_on", "-opened_on", "-pk")[:RECENT]
    )


def account_steps(*, user: AnyUser, account: Account) -> QuerySet[CollectionStep]:
    return (
        CollectionStep.objects.visible_to(user)
        .filter(account=account)
        .select_related("level", "contact", "done_by")[:RECENT]
    )


def splittable_payments(*, user: AnyUser, account: Account, today: date) -> list[Payment]:
    """Payments of the last year that name no invoice of theirs, or were split by hand:
    those a person may split across invoices."""
    since = today - timedelta(days=365)
    payments = (
        Payment.objects.visible_to(user)
        .filter(account=account, paid_on__gte=since, amount__gt=0)
        .filter(Q(invoice__isnull=True) | Q(allocations__isnull=False))
        .distinct()
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=Allocation.objects.visible_to(user).select_related("invoice"),
            )
        )
        .order_by("-paid_on", "-pk")
    )
    return list(payments[:RECENT])


def split_candidates(*, user: AnyUser, payment: Payment) -> list[Invoice]:
    """The invoices a payment may be split across: the account's open ones in the
    payment's currency and those it is split to already, oldest due first."""
    open_rows = {
        row.invoice_id: row.amount
        for row in engine.open_items(AccountScope.of_ids([payment.account_id]), today())
        if row.invoice_id and row.currency == payment.currency
    }
    allocated = set(payment.allocations.values_list("invoice_id", flat=True))
    invoices = list(
        Invoice.objects.visible_to(user)
        .filter(pk__in=set(open_rows) | allocated, currency=payment.currency)
        .order_by("due_on", "issued_on", "pk")
    )
    for invoice in invoices:
        invoice.open_amount = open_rows.get(invoice.pk, Decimal(0))  # type: ignore[attr-defined]
    return invoices
