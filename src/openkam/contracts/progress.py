"""How far a volume commitment has come: net invoiced so far against the commitment.

Scope. The invoice lines of the contract's account; for a contract that covers the
customer group (only a group's top account may have one), also those of every account of
the group (`group_root` is the contract's account). Only lines the reader may see count,
as everywhere (a reader who sees a group's top account sees its whole group).

Currency. Only lines in the commitment's currency count: two currencies are never added
up. Lines in other currencies are left out, and the contract says so (`other_currencies`).

Period. The contract year or the term under way (`dates.commitment_window`), from its
first day to today (or to its last day once it is over).

Figures. `invoiced` is the sum of the lines' net amounts; `fraction` is invoiced /
commitment; `expected` is the commitment pro rata of the days passed (today included);
`projected` runs the rate so far on to the period's end (invoiced / days passed x days in
the period). A running commitment of an active contract is *at risk* when the projection
falls short of the commitment by more than the margin (the setting
KAM_COMMITMENT_RISK_PCT, 10% by default); not before `MIN_DAYS` days of the period have
passed, when a month's invoices would swing the run rate from nothing to double.

The sums are computed by the database: one aggregate query per `CHUNK` contracts, each
contract's sum filtered to its own accounts, currency and days.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import reduce
from typing import Any, cast

from django.conf import settings
from django.db.models import DecimalField, Q, Sum

from openkam.contracts import dates
from openkam.contracts.models import Contract, ContractStatus
from openkam.core.models import MONEY_DIGITS, MONEY_PLACES
from openkam.ledger.models import InvoiceLine
from openkam.users.permissions import AnyUser

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
MIN_DAYS = 30
CHUNK = 100
MONEY = DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)


def risk_margin() -> Decimal:
    """The shortfall (a share, 0.10 for 10%) beyond which a commitment is at risk."""
    return Decimal(getattr(settings, "OPENKAM_COMMITMENT_RISK_PCT", 10)) / HUNDRED


@dataclass(frozen=True)
class CommitmentProgress:
    commitment: Decimal
    currency: str
    period_start: date
    period_end: date
    days_passed: int
    days_total: int
    invoiced: Decimal
    expected: Decimal  # pro rata of the days passed
    projected: Decimal | None  # at the rate so far, by the period's end; None: no day passed
    at_risk: bool
    other_currencies: tuple[str, ...] = ()

    @property
    def fraction(self) -> Decimal | None:
        """Invoiced / commitment (may pass 1); None for a commitment of nothing."""
        if not self.commitment:
            return None
        return self.invoiced / self.commitment

    @property
    def expected_fraction(self) -> Decimal:
        return Decimal(self.days_passed) / Decimal(self.days_total)

    @property
    def percent(self) -> int:
        """For a bar: 0..100."""
        fraction = self.fraction
        if fraction is None:
            return 100
        return int(max(Decimal(0), min(Decimal(1), fraction)) * 100)

    @property
    def expected_percent(self) -> int:
        return int(self.expected_fraction * 100)

    @property
    def is_over(self) -> bool:
        return self.days_passed >= self.days_total


def _days(window: dates.Term, today: date) -> tuple[int, int]:
    assert window.end is not None
    total = (window.end - window.start).days + 1
    if today < window.start:
        return 0, total
    return min(total, (today - window.start).days + 1), total


def _money(value: Decimal | int | None) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def _scope(contract: Contract) -> Q:
    if contract.covers_group:
        return Q(account_id=contract.account_id) | Q(account__group_root_id=contract.account_id)
    return Q(account_id=contract.account_id)


def commitment_progress(
    contracts: Iterable[Contract], *, user: AnyUser, today: date
) -> dict[int, CommitmentProgress]:
    """The progress of each contract with a volume commitment, by contract id."""
    windows: dict[int, tuple[Contract, dates.Term, int, int]] = {}
    for contract in contracts:
        if contract.commitment_amount is None or not contract.commitment_currency:
            continue
        window = dates.commitment_window(contract, contract.commitment_period, today)
        if window is None or window.end is None:
            continue
        passed, total = _days(window, today)
        windows[contract.pk] = (contract, window, passed, total)
    sums, others = _sums(windows, user=user, today=today)
    margin = risk_margin()
    progress = {}
    for pk, (contract, window, passed, total) in windows.items():
        assert contract.commitment_amount is not None and window.end is not None
        commitment = _money(contract.commitment_amount)
        invoiced = sums.get(pk, ZERO)
        projected = _money(invoiced * total / passed) if passed else None
        running = 0 < passed < total or (passed == total and today <= window.end)
        at_risk = (
            contract.status == ContractStatus.ACTIVE
            and running
            and passed >= min(MIN_DAYS, total)
            and projected is not None
            and projected < commitment * (1 - margin)
        )
        progress[pk] = CommitmentProgress(
            commitment=commitment,
            currency=contract.commitment_currency,
            period_start=window.start,
            period_end=window.end,
            days_passed=passed,
            days_total=total,
            invoiced=invoiced,
            expected=_money(commitment * passed / total),
            projected=projected,
            at_risk=at_risk,
            other_currencies=others.get(pk, ()),
        )
    return progress


def _sums(
    windows: dict[int, tuple[Contract, dates.Term, int, int]], *, user: AnyUser, today: date
) -> tuple[dict[int, Decimal], dict[int, tuple[str, ...]]]:
    """Net invoiced per contract in its currency, and the other currencies invoiced in its
    scope and days: one query per chunk of contracts, grouped by currency, with one
    filtered sum per contract (a sum over no line is NULL: no line in that currency)."""
    wanted: dict[int, tuple[str, Q]] = {}
    for pk, (contract, window, passed, _total) in windows.items():
        if passed <= 0 or window.end is None:
            continue
        days = Q(issued_on__gte=window.start, issued_on__lte=min(today, window.end))
        wanted[pk] = (contract.commitment_currency, _scope(contract) & days)
    sums: dict[int, Decimal] = {}
    others: dict[int, set[str]] = {}
    keys = list(wanted)
    lines = InvoiceLine.objects.visible_to(user).order_by()
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        rows = (
            lines.filter(reduce(operator.or_, (wanted[pk][1] for pk in chunk)))
            .values("currency")
            .annotate(
                **{
                    f"c{pk}": Sum("net_amount", filter=wanted[pk][1], output_field=MONEY)
                    for pk in chunk
                }
            )
        )
        for row in rows.iterator():
            values = cast(dict[str, Any], row)
            for pk in chunk:
                total = values[f"c{pk}"]
                if total is None:
                    continue
                if values["currency"] == wanted[pk][0]:
                    sums[pk] = _money(total)
                else:
                    others.setdefault(pk, set()).add(values["currency"])
    return sums, {pk: tuple(sorted(found)) for pk, found in others.items()}
