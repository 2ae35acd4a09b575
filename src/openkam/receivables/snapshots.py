"""Open items as the ERP reports them, for companies whose ERP keeps the ledger.

An open-items import (`ingest/importers/open_items.py`) stores a snapshot per source and
day. From that day on, the receivables of the source's customers are the latest
snapshot's items: they replace what the engine would compute from the invoices and
payments imported, on every page, in the credit check and in the stored aging. Before a source's first snapshot its customers' receivables are
computed as usual, so a past date still reads as it did.

A positive item is owed from its due date (its document date when the ERP gives none); a
negative one is the customer's credit, unapplied like an overpayment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from openkam.accounts.models import Account
from openkam.ledger.models import Invoice, Payment
from openkam.receivables.models import LedgerSnapshot, SnapshotItem
from openkam.users.permissions import Actor

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class KeptSnapshot:
    pk: int
    source: str
    as_of: date


@dataclass(frozen=True)
class KeptLedgers:
    """The latest snapshot of each source as of a day (read once, passed to every
    statement of a page that needs it)."""

    latest: tuple[KeptSnapshot, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.latest)

    @property
    def snapshots(self) -> tuple[int, ...]:
        return tuple(kept.pk for kept in self.latest)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(kept.source for kept in self.latest)

    def of(self, account: Account) -> KeptSnapshot | None:
        """The snapshot that gives the account's receivables, if any."""
        return next((kept for kept in self.latest if kept.source == account.source), None)

    def covered_sql(self) -> tuple[str, tuple]:
        """`IN (...)` of the accounts whose receivables the snapshots give: their sources'."""
        sources = ", ".join(["%s"] * len(self.sources))
        sql = f"IN (SELECT a.id FROM {_table(Account)} a WHERE a.source IN ({sources}))"
        return sql, self.sources

    def items_sql(self, scope_where: tuple[str, tuple]) -> tuple[str, tuple]:
        """SELECT account_id, currency, invoice_id, due_on, amount, document of the
        snapshots' items (a credit has neither invoice nor due date: it is unapplied)."""
        item = _table(SnapshotItem)
        snapshots = ", ".join(["%s"] * len(self.snapshots))
        where, params = scope_where
        sql = (
            "SELECT s.account_id, s.currency, "
            "CASE WHEN s.amount > 0 THEN s.invoice_id END, "
            "CASE WHEN s.amount > 0 THEN COALESCE(s.due_on, s.issued_on) END, "
            f"s.amount, s.document FROM {item} s "
            f"WHERE s.snapshot_id IN ({snapshots}) AND s.amount <> 0{where}"
        )
        return sql, (*self.snapshots, *params)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def kept_as_of(as_of: date) -> KeptLedgers:
    """Each source's latest snapshot on or before the day."""
    latest: dict[str, KeptSnapshot] = {}
    rows = LedgerSnapshot.objects.filter(as_of__lte=as_of).order_by("-as_of")
    for pk, source, day in rows.values_list("pk", "source", "as_of"):
        latest.setdefault(source, KeptSnapshot(pk, source, day))
    return KeptLedgers(tuple(latest.values()))


@dataclass(frozen=True)
class ItemIn:
    account_id: int
    document: str
    issued_on: date | None
    due_on: date | None
    currency: str
    amount: Decimal


def snapshot_replace(
    *, actor: Actor, source: str, as_of: date, items: Iterable[ItemIn]
) -> tuple[LedgerSnapshot, int]:
    """Store the source's open items as of the day, replacing a snapshot of the same day
    (a file sent again changes nothing). Items are matched to the customer's imported
    invoice of the same number. Returns the snapshot and how many items matched one.
    ValueError for an item of another source's customer (its ledger is not this one)."""
    items = list(items)
    strangers = Account.objects.filter(pk__in={item.account_id for item in items})
    if strangers.exclude(source=source).exists():
        raise ValueError(f"a snapshot of {source!r} lists another source's customer")
    with transaction.atomic():
        snapshot, _created = LedgerSnapshot.objects.update_or_create(
            source=source, as_of=as_of,
            defaults={"imported_by": actor, "item_count": len(items)},
        )  # fmt: skip
        snapshot.items.all().delete()
        SnapshotItem.objects.bulk_create(
            SnapshotItem(
                snapshot=snapshot,
                account_id=item.account_id,
                document=item.document,
                issued_on=item.issued_on,
                due_on=item.due_on,
                currency=item.currency,
                amount=item.amount,
            )  # fmt: skip
            for item in items
        )
        rows = snapshot.items.all()
        same_number = Invoice.objects.filter(
            account_id=OuterRef("account_id"), number=OuterRef("document")
        )
        rows.update(invoice_id=Subquery(same_number.order_by("pk").values("pk")[:1]))
    return snapshot, rows.filter(invoice__isnull=False).count()


@dataclass(frozen=True)
class Difference:
    """A customer and currency whose open total in the ERP's snapshot is not the balance
    of the invoices and payments imported up to the same day."""

    account_id: int
    currency: str
    erp: Decimal
    ledger: Decimal


def ledger_differences(snapshot: LedgerSnapshot) -> list[Difference]:
    """The tie-out of a snapshot with the imported ledger, largest gap first: only
    customers with invoices in that currency are compared (a company that imports no
    invoices for them has nothing to tie out)."""
    covered = Account.objects.filter(source=snapshot.source).values("pk")
    erp = _sums(SnapshotItem.objects.filter(snapshot=snapshot), "amount")
    owed = Coalesce("gross_total", "net_total")
    invoiced = _sums(
        Invoice.objects.filter(account_id__in=covered, issued_on__lte=snapshot.as_of), owed
    )
    paid = _sums(
        Payment.objects.filter(account_id__in=covered, paid_on__lte=snapshot.as_of), "amount"
    )
    found = []
    for key, amount in invoiced.items():
        ledger = amount - paid.get(key, ZERO)
        if ledger != erp.get(key, ZERO):
            found.append(Difference(*key, erp=erp.get(key, ZERO), ledger=ledger))
    return sorted(found, key=lambda d: (-abs(d.erp - d.ledger), d.account_id, d.currency))


def _sums(rows, amount) -> dict[tuple[int, str], Decimal]:
    totals = rows.order_by().values("account_id", "currency").annotate(total=Sum(amount))
    return {
        (row["account_id"], row["currency"]): Decimal(str(row["total"])).quantize(ZERO)
        for row in totals
    }
