"""Reads of promotions: the catalogue (everyone signed in), which accounts take part,
each account's progress from the ledger, the lift after the period, and for proposals
which promotions apply to a line and the rebate an account is expected to get.

Per-account figures follow the account's visibility: only accounts the reader may see
are listed, counted or added up (`eligible_accounts`). The proposal functions take an
account the caller has already found among those the user may see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Case, DecimalField, Q, QuerySet, Sum, Value, When

from openkam.accounts.models import Account
from openkam.ledger.models import InvoiceLine, Product
from openkam.promotions import maths, stacking
from openkam.promotions.models import Promotion, PromotionAudience, PromotionStatus
from openkam.users import permissions
from openkam.users.permissions import AnyUser

ZERO = Decimal(0)
SORTS = ("progress", "-progress", "name", "-name", "bonus", "-bonus", "lift", "-lift")


def catalogue(*, user: AnyUser) -> QuerySet[Promotion]:
    """Every promotion (the company's catalogue), newest first; none for the signed out."""
    if not permissions.is_active_user(user):
        return Promotion.objects.none()
    return Promotion.objects.prefetch_related("products").order_by("-starts_on", "name", "pk")


def by_status(promotions: Iterable[Promotion], today: date) -> dict[str, list[Promotion]]:
    found: dict[str, list[Promotion]] = {status: [] for status in PromotionStatus.values}
    for promotion in promotions:
        found[promotion.status(today)].append(promotion)
    return found


# --- who takes part and what is covered -------------------------------------------------


def eligible_q(promotion: Promotion) -> Q:
    """The accounts that may take part, as a filter on Account."""
    rule = Q(is_archived=False)
    if promotion.audience == PromotionAudience.SEGMENTS:
        rule &= Q(segment__in=promotion.segments)
    elif promotion.audience == PromotionAudience.ACCOUNTS:
        rule &= Q(pk__in=promotion.accounts.values("pk"))
    if promotion.tier:
        rule &= Q(tier=promotion.tier)
    return rule


def eligible_accounts(*, user: AnyUser, promotion: Promotion) -> QuerySet[Account]:
    """The accounts taking part that the reader may see."""
    return Account.objects.visible_to(user).filter(eligible_q(promotion)).order_by("name", "pk")


def is_eligible(promotion: Promotion, account: Account) -> bool:
    if account.is_archived or (promotion.tier and account.tier != promotion.tier):
        return False
    if promotion.audience == PromotionAudience.SEGMENTS:
        return account.segment in promotion.segments
    if promotion.audience == PromotionAudience.ACCOUNTS:
        return any(chosen.pk == account.pk for chosen in promotion.accounts.all())
    return True


def covers_everything(promotion: Promotion) -> bool:
    return not promotion.product_lines and not promotion.products.all()


def covers(promotion: Promotion, product: Product | None, product_line: str | None) -> bool:
    """Whether the promotion covers the product (or the line); with neither, any line."""
    if covers_everything(promotion):
        return True
    if product is not None:
        in_products = any(item.pk == product.pk for item in promotion.products.all())
        return in_products or product.product_line in promotion.product_lines
    if product_line is not None:
        lines = set(promotion.product_lines)
        lines |= {item.product_line for item in promotion.products.all()}
        return product_line in lines
    return True


def lines_q(promotion: Promotion) -> Q:
    """The invoice lines a promotion counts: its currency, and its products or lines."""
    rule = Q(currency=promotion.currency)
    if covers_everything(promotion):
        return rule
    return rule & (
        Q(product_id__in=[item.pk for item in promotion.products.all()])
        | Q(product__product_line__in=promotion.product_lines)
    )


def _sums(
    promotion: Promotion, accounts: QuerySet[Account], windows: dict[str, maths.Window]
) -> dict[int, dict[str, Any]]:
    """Per account: the net turnover and quantity of the promotion's lines in each window
    (returns are negative lines, so they count against it). One query."""
    money = DecimalField(max_digits=20, decimal_places=3)
    sums = {}
    for key, window in windows.items():
        inside = Q(issued_on__gte=window.first, issued_on__lte=window.last)
        sums[f"{key}_amount"] = Sum(
            Case(When(inside, then="net_amount"), default=Value(ZERO), output_field=money)
        )
        sums[f"{key}_quantity"] = Sum(
            Case(When(inside, then="quantity"), default=Value(ZERO), output_field=money)
        )
    first = min(window.first for window in windows.values())
    last = max(window.last for window in windows.values())
    rows = (
        InvoiceLine.objects.filter(lines_q(promotion))
        .filter(account_id__in=accounts.values("pk"), issued_on__gte=first, issued_on__lte=last)
        .order_by()
        .values("account_id")
        .annotate(**sums)
    )
    return {row["account_id"]: dict(row) for row in rows}


# --- progress -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    promotion: Promotion
    account: Account
    turnover: Decimal
    quantity: Decimal
    measured: Decimal  # what the threshold is measured on (quantity or turnover)
    threshold: Decimal | None
    reached_pct: Decimal | None
    missing: Decimal
    earned: Decimal
    projected: Decimal  # the measure at the period's end at the pace so far
    projected_turnover: Decimal
    projected_bonus: Decimal

    @property
    def reached(self) -> bool:
        return self.threshold is None or self.measured >= self.threshold

    @property
    def by_quantity(self) -> bool:
        return self.promotion.threshold_quantity is not None

    @property
    def capped(self) -> bool:
        limit = self.promotion.limit_per_account
        return limit is not None and self.earned >= limit and self.earned > 0


def _threshold(promotion: Promotion) -> Decimal | None:
    if promotion.threshold_quantity is not None:
        return promotion.threshold_quantity
    return promotion.threshold_amount


def _progress(promotion: Promotion, account: Account, row: dict | None, today: date) -> Progress:
    turnover = maths.cents((row or {}).get("now_amount") or ZERO)
    quantity = (row or {}).get("now_quantity") or ZERO
    elapsed = maths.elapsed_days(promotion.starts_on, promotion.ends_on, today)
    threshold = _threshold(promotion)
    measured = quantity if promotion.threshold_quantity is not None else turnover
    projected = maths.projection(measured, elapsed, promotion.days)
    projected_turnover = maths.cents(maths.projection(turnover, elapsed, promotion.days))

    def bonus_on(value: Decimal, amount: Decimal) -> Decimal:
        if not promotion.is_bonus:
            return ZERO
        return maths.bonus(
            turnover=amount,
            reached=threshold is None or value >= threshold,
            bonus_pct=promotion.bonus_pct,
            bonus_amount=promotion.bonus_amount,
            limit=promotion.limit_per_account,
        )

    return Progress(
        promotion=promotion, account=account, turnover=turnover, quantity=quantity,
        measured=measured, threshold=threshold, reached_pct=maths.share(measured, threshold),
        missing=maths.missing(measured, threshold), earned=bonus_on(measured, turnover),
        projected=projected if promotion.threshold_quantity is not None else maths.cents(projected),
        projected_turnover=projected_turnover,
        projected_bonus=bonus_on(projected, projected_turnover),
    )  # fmt: skip


def _now_window(promotion: Promotion, today: date) -> maths.Window:
    last = min(today, promotion.ends_on)
    return maths.Window(promotion.starts_on, max(last, promotion.starts_on))


def progress_of(promotion: Promotion, accounts: QuerySet[Account], today: date) -> list[Progress]:
    """Each account's progress in the period up to today (accounts found by the caller)."""
    if today < promotion.starts_on:
        found: dict = {}
    else:
        found = _sums(promotion, accounts, {"now": _now_window(promotion, today)})
    return [_progress(promotion, account, found.get(account.pk), today) for account in accounts]


def progress_rows(
    *, user: AnyUser, promotion: Promotion, today: date, sort: str = "-progress"
) -> list[Progress]:
    rows = progress_of(promotion, eligible_accounts(user=user, promotion=promotion), today)
    return sort_rows(rows, sort)


def sort_rows(rows: list[Any], sort: str) -> list[Any]:
    sort = sort if sort in SORTS else "-progress"
    key = sort.lstrip("-")

    def value(row: Any) -> tuple:
        if key == "name":
            return (row.account.name.lower(), row.account.pk)
        if key == "bonus":
            return (getattr(row, "earned", ZERO), row.account.pk)
        if key == "lift":
            return (getattr(row, "lift", ZERO), row.account.pk)
        reached = row.reached_pct if getattr(row, "reached_pct", None) is not None else None
        return (reached if reached is not None else row.turnover, row.account.pk)

    return sorted(rows, key=value, reverse=sort.startswith("-"))


# --- after the period: lift and pull-forward ----------------------------------------------


@dataclass(frozen=True)
class LiftRow:
    account: Account
    figures: maths.Lift

    @property
    def lift(self) -> Decimal:
        return self.figures.lift


def lift_of(promotion: Promotion, accounts: QuerySet[Account], today: date) -> list[LiftRow]:
    before, during, after = maths.windows(promotion.starts_on, promotion.ends_on)
    windows = {f"b{i}": window for i, window in enumerate(before)}
    windows["during"] = during
    windows["after"] = maths.Window(after.first, min(after.last, max(today, after.first)))
    found = _sums(promotion, accounts, windows)
    rows = []
    for account in accounts:
        row = found.get(account.pk) or {}
        figures = maths.Lift(
            before=tuple(maths.cents(row.get(f"b{i}_amount") or ZERO) for i in range(len(before))),
            during=maths.cents(row.get("during_amount") or ZERO),
            after=maths.cents(row.get("after_amount") or ZERO),
            after_complete=today > after.last,
        )  # fmt: skip
        rows.append(LiftRow(account, figures))
    return rows


def lift_rows(
    *, user: AnyUser, promotion: Promotion, today: date, sort: str = "-lift"
) -> tuple[list[LiftRow], maths.Lift]:
    """Each visible account's lift and the total (one currency: the promotion's)."""
    rows = lift_of(promotion, eligible_accounts(user=user, promotion=promotion), today)
    total = maths.total_lift([row.figures for row in rows])
    return sort_rows(rows, sort if sort.lstrip("-") in ("lift", "name") else "-lift"), total


# --- one account ----------------------------------------------------------------------------


def for_account(account: Account, *, since: date | None = None) -> list[Promotion]:
    """The promotions the account takes part in (ending on or after `since`)."""
    rows = Promotion.objects.prefetch_related("accounts", "products")
    if since is not None:
        rows = rows.filter(ends_on__gte=since)
    return [promotion for promotion in rows if is_eligible(promotion, account)]


def account_progress(account: Account, today: date, *, since: date | None = None) -> list[Progress]:
    """The account's progress in each promotion it takes part in; the caller found the
    account among those the user may see."""
    one = Account.objects.filter(pk=account.pk)
    rows = []
    for promotion in for_account(account, since=since):
        rows.extend(progress_of(promotion, one, today))
    return rows


def account_lift(account: Account, promotion: Promotion, today: date) -> maths.Lift:
    return lift_of(promotion, Account.objects.filter(pk=account.pk), today)[0].figures


@dataclass(frozen=True)
class Clash:
    product_line: str
    choices: list[stacking.Choice]


def clashes(account: Account, on: date) -> list[Clash]:
    """Product lines on which more than one of the account's promotions applies on the
    day, with which one the customer gets and why."""
    active = [promotion for promotion in for_account(account, since=on) if promotion.covers(on)]
    if len(active) < 2:
        return []
    lines = _lines_of(active)
    found = []
    for line in sorted(lines):
        here = [promotion for promotion in active if covers(promotion, None, line)]
        choices = stacking.resolve(here)
        if any(not choice.applies for choice in choices):
            found.append(Clash(line, choices))
    return found


def _lines_of(promotions: list[Promotion]) -> set[str]:
    lines: set[str] = set()
    for promotion in promotions:
        if covers_everything(promotion):
            lines |= set(
                Product.objects.exclude(product_line="")
                .values_list("product_line", flat=True)
                .distinct()
            )
        lines |= set(promotion.product_lines)
        lines |= {item.product_line for item in promotion.products.all() if item.product_line}
    return lines


# --- for proposals ----------------------------------------------------------------------


def candidates(
    account: Account, on: date, product: Product | None = None, product_line: str | None = None
) -> list[Promotion]:
    """Every promotion running on the day that the account takes part in and that covers
    the product or line (before the stacking rules)."""
    rows = Promotion.objects.filter(starts_on__lte=on, ends_on__gte=on).prefetch_related(
        "accounts", "products"
    )
    return [
        promotion
        for promotion in rows
        if is_eligible(promotion, account) and covers(promotion, product, product_line)
    ]


def applicable(
    account: Account, on: date, product: Product | None = None, product_line: str | None = None
) -> list[Promotion]:
    """The promotions the account gets on the day for the product (or line, or any line
    when neither is given), after the stacking rules: best first."""
    choices = stacking.resolve(candidates(account, on, product, product_line))
    return [choice.promotion for choice in choices if choice.applies]


def expected_rebate_pct(account: Account, product: Product, on: date) -> Decimal:
    """The bonus (in % of the eligible turnover) the account is expected to get on the
    product from the volume bonuses that apply on the day: a bonus counts when the
    account's pace so far reaches its threshold by the period's end; a fixed bonus and the
    limit per account are turned into the share of the projected turnover they make."""
    total = ZERO
    one = Account.objects.filter(pk=account.pk)
    for promotion in applicable(account, on, product=product):
        if not promotion.is_bonus:
            continue
        progress = progress_of(promotion, one, on)[0]
        if progress.projected_turnover <= 0:
            if promotion.bonus_pct is not None and progress.threshold is None:
                total += promotion.bonus_pct
            continue
        total += progress.projected_bonus * 100 / progress.projected_turnover
    return total.quantize(Decimal("0.01"))
