"""Reads of the price catalogue and quotes for an account.

Price lists and discount rules are company-wide: every active user reads all of them
(nobody else reads any). A quote is about one account, which the caller found among what
the user may see; what it shows of contracts follows their visibility (`explain`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from openkam.accounts.models import Account
from openkam.contracts.models import Contract
from openkam.ledger.models import Product
from openkam.pricing import explain
from openkam.pricing.models import DiscountRule, Price, PriceList, PriceTier
from openkam.pricing.quotes import DiscountCheck, PriceQuote, check_discount, price_for
from openkam.users import permissions
from openkam.users.permissions import AnyUser


def price_lists(*, user: AnyUser) -> QuerySet[PriceList]:
    """Every list, with its tiers and the number of products it prices."""
    if not permissions.is_active_user(user):
        return PriceList.objects.none()
    return (
        PriceList.objects.annotate(product_count=Count("tiers__prices__product", distinct=True))
        .prefetch_related("tiers")
        .order_by("currency", "-valid_from", "name", "pk")
    )


def valid_on(lists: list[PriceList], day: date) -> set[int]:
    """The ids of the lists valid on the day."""
    return {price_list.pk for price_list in lists if price_list.covers(day)}


@dataclass(frozen=True)
class PriceRow:
    """One product of a list: its price in each tier (None where it has none)."""

    product: Product
    prices: list[Price | None] = field(default_factory=list)


def priced_products(*, user: AnyUser, price_list: PriceList, q: str = "") -> QuerySet[Product]:
    """The products with a price in the list, by SKU; `q` searches SKU, name and line."""
    if not permissions.is_active_user(user):
        return Product.objects.none()
    products = Product.objects.filter(
        pk__in=Price.objects.filter(tier__price_list=price_list).values("product_id")
    )
    if q:
        products = products.filter(
            Q(sku__icontains=q) | Q(name__icontains=q) | Q(product_line__icontains=q)
        )
    return products.order_by("sku", "pk")


def price_rows(
    *, price_list: PriceList, tiers: list[PriceTier], products: list[Product]
) -> list[PriceRow]:
    """The prices (with their bands) of these products in each tier (two queries)."""
    prices = (
        Price.objects.filter(tier__price_list=price_list, product__in=products)
        .prefetch_related("bands")
        .order_by("pk")
    )
    found = {(price.product_id, price.tier_id): price for price in prices}
    return [
        PriceRow(product, [found.get((product.pk, tier.pk)) for tier in tiers])
        for product in products
    ]


def discount_rules(*, user: AnyUser, on: date | None = None, q: str = "") -> QuerySet[DiscountRule]:
    """The rules, the strongest first; `on`: only those valid that day."""
    if not permissions.is_active_user(user):
        return DiscountRule.objects.none()
    rules = DiscountRule.objects.all()
    if on is not None:
        rules = rules.filter(valid_from__lte=on).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )
    if q:
        rules = rules.filter(
            Q(name__icontains=q)
            | Q(tier__icontains=q)
            | Q(segment__icontains=q)
            | Q(product_line__icontains=q)
        )
    return rules.order_by("-priority", "name", "pk")


@dataclass(frozen=True)
class QuoteView:
    """A quote as a reader sees it: the quote, the discount checked (if asked), the steps."""

    quote: PriceQuote
    check: DiscountCheck | None
    steps: list[explain.Step]
    contract_shown: bool  # the reader may see the contract that named the tier


def account_quote(
    *,
    user: AnyUser,
    account: Account,
    product: Product,
    quantity: Decimal,
    on: date,
    currency: str | None = None,
    discount_pct: Decimal | None = None,
) -> QuoteView:
    """The quote for a visible account (PricingError when there is none), told in steps
    that name only the contracts the user may see."""
    quote = price_for(account=account, product=product, quantity=quantity, on=on, currency=currency)
    named = [c.pk for c in (quote.contract, *quote.passed_over) if c is not None]
    visible = set(
        Contract.objects.visible_to(user).filter(pk__in=named).values_list("pk", flat=True)
    )
    steps = explain.quote_steps(quote, shown=lambda contract: contract.pk in visible)
    check = None
    if discount_pct is not None:
        check = check_discount(quote, discount_pct)
        steps += explain.discount_steps(check)
    shown = quote.contract is not None and quote.contract.pk in visible
    return QuoteView(quote=quote, check=check, steps=steps, contract_shown=shown)
