"""The demo company's tenders: two for each of the first key accounts (about twenty), one
decided in the autumn (won, lost — mostly on price, the winner a few percent below us —
or cancelled) and one open on the same product lines (in preparation or submitted), so
a tender's page shows the issuer's past prices. Two are due within the week with
documents still missing. Deterministic: one seeded random stream, accounts in id
order."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import numpy as np
from django.utils import timezone

from openkam.accounts.models import Account, Assignment, AssignmentRole, Tier
from openkam.ledger.models import Product
from openkam.tenders import services
from openkam.tenders.models import OutcomeReason, Status, Tender
from openkam.tenders.services import LineIn
from openkam.users.models import User

STREAM = 53
ACCOUNTS = 10
CENT = Decimal("0.01")
# A Polish public tender's usual papers (Prawo zamówień publicznych), as the team names them.
DOCUMENTS = (
    "Formularz ofertowy",
    "Formularz cenowy",
    "Odpis z KRS",
    "Zaświadczenie z urzędu skarbowego",
    "Zaświadczenie z ZUS",
    "Wadium",
)
# The decided tender of each account in turn, then the open one.
DECIDED = (
    Status.LOST, Status.WON, Status.LOST, Status.WON, Status.CANCELLED,
    Status.LOST, Status.WON, Status.LOST, Status.WON, Status.CANCELLED,
)  # fmt: skip
OPEN = (
    Status.PREPARING, Status.PREPARING, Status.SUBMITTED, Status.PREPARING, Status.SUBMITTED,
    Status.PREPARING, Status.SUBMITTED, Status.PREPARING, Status.SUBMITTED, Status.PREPARING,
)  # fmt: skip
OTHER_LOSSES = (OutcomeReason.QUALITY, OutcomeReason.LEAD_TIME)
UNKNOWN_WINNER = "Hurtownia Regionalna Sp. z o.o."


def build_tenders(*, today: date, seed: int) -> dict[str, int]:
    rng = np.random.default_rng([seed, STREAM])
    owners = dict(
        Assignment.objects.active(today)
        .filter(role=AssignmentRole.OWNER)
        .values_list("account_id", "user_id")
    )
    accounts = list(Account.objects.filter(pk__in=owners, tier=Tier.KEY).order_by("pk")[:ACCOUNTS])
    users = User.objects.in_bulk(set(owners.values()))
    lines = sorted(
        set(Product.objects.exclude(product_line="").values_list("product_line", flat=True))
    )
    counts = {"tenders": 0, "won": 0, "lost": 0}
    if not lines:
        return counts
    for index, account in enumerate(accounts):
        owner = users[owners[account.pk]]
        picked = [lines[(index + step) % len(lines)] for step in range(1 + index % 2)]
        prices = {line: Decimal(int(rng.integers(200, 5000))) / 100 for line in picked}
        _decided(rng, account, owner, picked, prices, DECIDED[index], today, index)
        _open(rng, account, owner, picked, prices, OPEN[index], today, index)
        counts["tenders"] += 2
        counts[DECIDED[index].value] = counts.get(DECIDED[index].value, 0) + 1
    return counts


def _at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _lines(rng, picked, prices, factor: Decimal | None) -> list[LineIn]:
    return [
        LineIn(
            product_line=line,
            quantity=Decimal(int(rng.integers(10, 200)) * 100),
            our_price=prices[line],
            winning_price=None if factor is None else (prices[line] * factor).quantize(CENT),
        )
        for line in picked
    ]


def _total(lines: list[LineIn], winning: bool = False) -> Decimal:
    total = Decimal(0)
    for line in lines:
        price = line.winning_price if winning else line.our_price
        total += (line.quantity or Decimal(0)) * (price or Decimal(0))
    return total.quantize(CENT)


def _rivals(account: Account) -> list:
    return [row.competitor for row in account.competitors.select_related("competitor")[:3]]


def _decided(rng, account, owner, picked, prices, status, today, index) -> None:
    published = today - timedelta(days=int(rng.integers(70, 130)))
    deadline = published + timedelta(days=30)
    rivals = _rivals(account)
    factor = None
    if status == Status.WON:
        factor = Decimal(1)
    elif status == Status.LOST:
        # Mostly lost on price, the winner 2-6% below us; now and then on quality or time.
        below = Decimal(int(rng.integers(20, 60))) / 1000
        factor = Decimal(1) - below if index % 4 != 3 else Decimal("1.03")
    lines = _lines(rng, picked, prices, factor)
    tender = services.tender_create(
        actor=owner, account=account, title=f"{picked[0]}: dostawy {published.year}/{index + 1}",
        reference=f"ZP/{published:%m}/{published.year}/{100 + index}", published_on=published,
        deadline=_at(deadline), currency=account.currency, lines=lines,
        documents=DOCUMENTS[: 3 + index % 3], competitors=rivals,
        estimated_value=(_total(lines) * Decimal("1.1")).quantize(Decimal(1)),
        our_total=_total(lines), via="demo",
    )  # fmt: skip
    for document in tender.documents.all():
        services.document_toggle(actor=owner, document=document, done=True, via="demo")
    services.tender_move(actor=owner, tender=tender, status=Status.SUBMITTED, via="demo")
    reason = ""
    if status == Status.LOST:
        reason = OutcomeReason.PRICE if index % 4 != 3 else OTHER_LOSSES[index % 2]
    elif status == Status.CANCELLED:
        reason = OutcomeReason.SPECIFICATION
    services.tender_move(
        actor=owner, tender=tender, status=status, outcome_reason=reason,
        winner=rivals[0] if status == Status.LOST and rivals else None,
        winner_name=UNKNOWN_WINNER if status == Status.LOST and not rivals else "",
        winning_total=_total(lines, winning=True) if factor is not None else None,
        outcome_note="The issuer withdrew the call to rewrite the specification."
        if status == Status.CANCELLED else "",
        via="demo",
    )  # fmt: skip
    # The demo's history: submitted on the deadline's eve, decided a few weeks after.
    Tender.objects.filter(pk=tender.pk).update(
        submitted_on=deadline - timedelta(days=1),
        decided_on=deadline + timedelta(days=int(rng.integers(10, 30))),
    )


def _open(rng, account, owner, picked, prices, status, today, index) -> None:
    if status == Status.SUBMITTED:
        deadline = today - timedelta(days=int(rng.integers(2, 15)))
    elif index < 2:
        deadline = today + timedelta(days=2 + 3 * index)  # the two due this week
    else:
        deadline = today + timedelta(days=int(rng.integers(12, 45)))
    lines = _lines(rng, picked, prices, None)
    tender = services.tender_create(
        actor=owner, account=account, title=f"{picked[0]}: dostawy {deadline.year}/{index + 11}",
        reference=f"ZP/{deadline:%m}/{deadline.year}/{200 + index}",
        published_on=min(today, deadline) - timedelta(days=21), deadline=_at(deadline, 10),
        currency=account.currency, lines=lines, documents=DOCUMENTS[: 4 + index % 3],
        competitors=_rivals(account), our_total=_total(lines), via="demo",
        estimated_value=(_total(lines) * Decimal("1.05")).quantize(Decimal(1)),
    )  # fmt: skip
    documents = list(tender.documents.all())
    # Submitted: all done. In preparation: two or three documents still missing.
    done = len(documents) if status == Status.SUBMITTED else len(documents) - 2 - index % 2
    for document in documents[: max(0, done)]:
        services.document_toggle(actor=owner, document=document, done=True, via="demo")
    if status == Status.SUBMITTED:
        services.tender_move(actor=owner, tender=tender, status=status, via="demo")
        Tender.objects.filter(pk=tender.pk).update(submitted_on=deadline - timedelta(days=1))
