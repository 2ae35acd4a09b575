"""A year of deals the demo company lost, for the refusals analysis: lost opportunities
at the key accounts, closed on days spread over the last 12 months, with reasons in
realistic proportions and, where a competitor took the deal, one or two of the
competitors recorded at the account. Deterministic: one seeded stream, accounts in id
order. Removed with the rest of the opportunities (demo/reset.py)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import numpy as np
from django.utils import timezone

from openkam.accounts.models import Account, Assignment, AssignmentRole, Tier
from openkam.ledger.models import Product
from openkam.opportunities import services
from openkam.opportunities.models import Kind, LostReason, Opportunity, Outcome, Stage
from openkam.users.models import User
from openkam.workspace.models import AccountCompetitor

STREAM = 53
REASONS = (
    LostReason.PRICE, LostReason.COMPETITOR, LostReason.TIMING, LostReason.NO_BUDGET,
    LostReason.NO_DECISION, LostReason.PRODUCT, LostReason.CREDIT,
)  # fmt: skip
WEIGHTS = (0.32, 0.24, 0.14, 0.11, 0.09, 0.06, 0.04)
# Reasons where the customer went to someone else: a competitor is named most times.
TO_A_RIVAL = {LostReason.PRICE, LostReason.COMPETITOR, LostReason.PRODUCT}
TITLES = (
    "%(line)s: przetarg na %(year)d", "%(line)s dla nowej lokalizacji",
    "%(line)s: większy wolumen w %(year)d", "%(line)s pod marką własną",
    "Odnowienie umowy ramowej na %(year)d",
)  # fmt: skip


def build_refusals(*, today: date, seed: int) -> dict[str, int]:
    rng = np.random.default_rng([seed, STREAM])
    owners = dict(
        Assignment.objects.active(today)
        .filter(role=AssignmentRole.OWNER)
        .values_list("account_id", "user_id")
    )
    accounts = list(Account.objects.filter(pk__in=owners, tier=Tier.KEY).order_by("pk"))
    users = User.objects.in_bulk(set(owners.values()))
    lost = Stage.objects.filter(is_active=True, outcome=Outcome.LOST).first()
    lines = sorted(
        set(Product.objects.exclude(product_line="").values_list("product_line", flat=True))
    )
    if lost is None or not lines:
        return {"lost": 0}
    rivals: dict[int, list] = {}
    for row in AccountCompetitor.objects.filter(account__in=accounts).select_related("competitor"):
        rivals.setdefault(row.account_id, []).append(row.competitor)
    count = 0
    for account in accounts:
        for _ in range(int(rng.poisson(2.5))):
            _lose(rng, account, users[owners[account.pk]], lines, rivals, lost, today)
            count += 1
    return {"lost": count}


def _lose(rng, account, owner, lines, rivals, lost: Stage, today: date) -> None:
    reason = REASONS[int(rng.choice(len(REASONS), p=WEIGHTS))]
    present = sorted(rivals.get(account.pk, []), key=lambda rival: rival.pk)
    named = []
    if present and reason in TO_A_RIVAL and rng.random() < 0.85:
        picks = rng.choice(len(present), size=min(len(present), 1 + int(rng.random() < 0.2)),
                           replace=False)  # fmt: skip
        named = [present[int(i)] for i in picks]
    closed = today - timedelta(days=int(rng.integers(3, 365)))
    line = lines[int(rng.integers(0, len(lines)))]
    value = Decimal(int(rng.lognormal(10.3, 0.8)) // 500 * 500 + 2000)
    title = TITLES[int(rng.integers(0, len(TITLES)))] % {"line": line, "year": closed.year}
    deal = services.opportunity_create(
        actor=owner, account=account, title=title, kind=Kind.NEW, value=value,
        currency=account.currency, expected_close=closed, product_lines=[line],
        competitors=named, via="demo",
    )  # fmt: skip
    services.opportunity_move(
        actor=owner, opportunity=deal, stage=lost, lost_reason=reason, via="demo"
    )
    # Back to the day it was lost: the deal and its history tell the same story.
    at = timezone.make_aware(datetime.combine(closed, time(15, 0)))
    Opportunity.objects.filter(pk=deal.pk).update(closed_on=closed)
    deal.stage_changes.filter(to_stage=lost).update(at=at)
    deal.stage_changes.exclude(to_stage=lost).update(at=at - timedelta(days=45))
