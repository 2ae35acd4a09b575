"""The demo company's pipeline: opportunities at every stage for the key accounts, some
won and some lost with their reasons, in the product lines each account buys least (the
cross-sell a KAM would go after) and, for the larger ones, an upsell and a renewal.
Deterministic: one seeded random stream, the accounts in id order."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from django.db.models import Sum

from openkam.accounts.models import Account, Assignment, AssignmentRole, Tier
from openkam.ledger.models import InvoiceLine, Product
from openkam.opportunities import services
from openkam.opportunities.models import Kind, LostReason, Outcome, Stage
from openkam.users.models import User

STREAM = 47
HUNDRED = Decimal(100)
LOSS_REASONS = (LostReason.PRICE, LostReason.COMPETITOR, LostReason.TIMING, LostReason.NO_BUDGET)
# Written by the company's Polish KAMs, in Polish, as the rest of the demo's own notes.
TITLES = {
    Kind.CROSS_SELL: "%(line)s dla całej grupy",
    Kind.UPSELL: "%(line)s: większy wolumen w %(year)d",
    Kind.RENEWAL: "Odnowienie umowy ramowej na %(year)d",
    Kind.NEW: "%(line)s dla nowej lokalizacji",
}


def build_opportunities(*, today: date, seed: int) -> dict[str, int]:
    rng = np.random.default_rng([seed, STREAM])
    owners = dict(
        Assignment.objects.active(today)
        .filter(role=AssignmentRole.OWNER)
        .values_list("account_id", "user_id")
    )
    accounts = list(Account.objects.filter(pk__in=owners, tier=Tier.KEY).order_by("pk"))
    users = User.objects.in_bulk(set(owners.values()))
    stages = list(Stage.objects.filter(is_active=True))
    lines = sorted(
        set(Product.objects.exclude(product_line="").values_list("product_line", flat=True))
    )
    bought = _bought(accounts, today)
    counts = {"opportunities": 0, "won": 0, "lost": 0}
    for index, account in enumerate(accounts):
        owner = users[owners[account.pk]]
        yearly = sum(bought.get(account.pk, {}).values(), Decimal(0))
        if yearly <= 0 or not lines:
            continue
        least = sorted(lines, key=lambda line: bought.get(account.pk, {}).get(line, Decimal(0)))
        for number in range(2 + index % 3):
            outcome = _place(rng, number, stages, counts)
            _write(rng, account, owner, least[number % len(least)], yearly, outcome, today)
            counts["opportunities"] += 1
    return counts


def _bought(accounts: list[Account], today: date) -> dict[int, dict[str, Decimal]]:
    """12 months' net revenue per account and product line."""
    rows = (
        InvoiceLine.objects.filter(
            account_id__in=[a.pk for a in accounts], issued_on__gt=today - timedelta(days=365)
        )
        .values("account_id", "product__product_line")
        .annotate(total=Sum("net_amount"))
    )
    found: dict[int, dict[str, Decimal]] = {}
    for row in rows:
        found.setdefault(row["account_id"], {})[row["product__product_line"] or ""] = row["total"]
    return found


def _place(rng, number: int, stages: list[Stage], counts: dict[str, int]) -> Stage:
    """Most opportunities open, spread over the stages; about one in five closed."""
    roll = float(rng.random())
    closed = [stage for stage in stages if not stage.is_open]
    if number > 0 and roll < 0.2 and closed:
        stage = closed[int(rng.integers(0, len(closed)))]
        counts["won" if stage.outcome == Outcome.WON else "lost"] += 1
        return stage
    open_stages = [stage for stage in stages if stage.is_open]
    return open_stages[int(rng.integers(0, len(open_stages)))]


def _write(rng, account, owner, line: str, yearly: Decimal, stage: Stage, today: date) -> None:
    kind = (Kind.CROSS_SELL, Kind.UPSELL, Kind.RENEWAL, Kind.NEW)[int(rng.integers(0, 4))]
    share = Decimal(int(rng.integers(3, 25))) / HUNDRED
    value = max(Decimal(5000), (yearly * share / 1000).quantize(Decimal(1)) * 1000)
    close = today + timedelta(days=int(rng.integers(-20, 150)))
    title = TITLES[kind] % {"line": line, "year": close.year}
    opportunity = services.opportunity_create(
        actor=owner, account=account, title=title, kind=kind, value=value,
        currency=account.currency, expected_close=close, product_lines=[line],
        stage=stage if stage.is_open else None, via="demo",
    )  # fmt: skip
    if not stage.is_open:
        reason = LOSS_REASONS[int(rng.integers(0, len(LOSS_REASONS)))]
        services.opportunity_move(
            actor=owner, opportunity=opportunity, stage=stage,
            lost_reason=reason if stage.outcome == Outcome.LOST else "", via="demo",
        )  # fmt: skip
