"""The price of a quantity of a product for a customer on a day, and the discount it may
get without approval: `price_for` and `check_discount` (what proposals call).

The steps, in order (docs/pricing.md tells users the same):

1. the price list: the one in the currency valid on the day (lists of a currency never
   overlap);
2. the tier: from the customer's contract, else its group head's, else the list's
   default (`pricing.tiers`);
3. the list unit price of the product in that tier; none is an error naming the
   product, the list and the tier;
4. volume bands: the quantity priced by range or by slab (`pricing.volume`), exactly;
5. the line total before discount: that exact amount **rounded once, half up, to the
   cent**; the net unit price before discount is the exact amount divided by the
   quantity, rounded half up to the cent (for information: the line total is not
   recomputed from it);
6. the discount rule (`pricing.rules`) and the largest discount it allows without
   approval (0 % when no rule matches).

`check_discount` then takes the line total, applies the discount and rounds the result
half up to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db.models import Q
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.contracts.models import Contract
from openkam.ledger.models import Product
from openkam.pricing import rules, tiers, volume
from openkam.pricing.models import DiscountRule, Price, PriceList, PriceTier

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def to_cent(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class PricingError(Exception):
    """No price can be given; the message says why (and names what is missing)."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class PriceQuote:
    account: Account
    product: Product
    quantity: Decimal
    on: date
    currency: str
    price_list: PriceList
    tier: PriceTier
    tier_source: str  # tiers.ACCOUNT_CONTRACT, GROUP_CONTRACT or DEFAULT
    contract: Contract | None  # the contract that named the tier
    passed_over: tuple[Contract, ...]  # contracts in force naming a tier the list lacks
    price: Price
    list_unit_price: Decimal
    priced: volume.Priced  # the slabs (one for range pricing) and the band applied
    net_unit_price: Decimal  # before discount, to the cent
    line_total: Decimal  # before discount, to the cent
    rule: DiscountRule | None
    max_discount_pct: Decimal  # allowed without approval

    @property
    def band(self) -> volume.Band | None:
        return self.priced.band


@dataclass(frozen=True)
class DiscountCheck:
    discount_pct: Decimal
    max_discount_pct: Decimal
    line_total: Decimal  # before discount
    discount_amount: Decimal
    line_total_after: Decimal  # after discount, to the cent

    @property
    def within_rule(self) -> bool:
        return self.discount_pct <= self.max_discount_pct

    @property
    def needs_approval(self) -> bool:
        return not self.within_rule


def valid_price_list(currency: str, on: date) -> PriceList:
    """The list of the currency valid on the day, with its tiers."""
    found = (
        PriceList.objects.filter(currency=currency, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .prefetch_related("tiers")
        .order_by("-valid_from", "-pk")
        .first()
    )
    if found is None:
        raise PricingError(
            _("No price list in %(currency)s is valid on %(day)s.")
            % {"currency": currency, "day": on.isoformat()},
            "no_price_list",
        )
    return found


def _price(price_list: PriceList, tier: PriceTier, product: Product) -> Price:
    found = Price.objects.filter(tier=tier, product=product).prefetch_related("bands").first()
    if found is None:
        raise PricingError(
            _("%(product)s has no price in tier %(tier)s of the price list %(list)s.")
            % {"product": str(product), "tier": tier.name, "list": price_list.name},
            "no_price",
        )
    return found


def _quantity(quantity: Decimal | int | str) -> Decimal:
    try:
        value = Decimal(quantity)
    except (InvalidOperation, TypeError, ValueError):
        value = Decimal(0)
    if not value.is_finite() or value <= 0:
        raise PricingError(_("The quantity must be more than zero."), "bad_quantity")
    return value


def price_for(
    *,
    account: Account,
    product: Product,
    quantity: Decimal | int | str,
    on: date,
    currency: str | None = None,
) -> PriceQuote:
    """The quote for a line (see the module's docstring); PricingError when there is no
    price. The caller has found the account among what its user may see."""
    amount_of = _quantity(quantity)
    code = (currency or account.currency).strip().upper()
    price_list = valid_price_list(code, on)
    try:
        choice = tiers.choose_tier(account, price_list, on)
    except tiers.TierError as error:
        raise PricingError(str(error), "no_tier") from None
    price = _price(price_list, choice.tier, product)
    bands = [volume.Band(b.min_quantity, b.unit_price) for b in price.bands.all()]
    priced = volume.price_quantity(amount_of, price.unit_price, bands, price.band_mode)
    exact = priced.amount
    line_total = to_cent(exact)
    facts = rules.LineFacts(
        tier=choice.tier.name,
        segment=account.segment,
        product_line=product.product_line,
        quantity=amount_of,
        amount=line_total,
        currency=code,
        on=on,
    )
    candidates = DiscountRule.objects.filter(valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    rule = rules.winning_rule(candidates, facts)
    return PriceQuote(
        account=account,
        product=product,
        quantity=amount_of,
        on=on,
        currency=code,
        price_list=price_list,
        tier=choice.tier,
        tier_source=choice.source,
        contract=choice.contract,
        passed_over=choice.passed_over,
        price=price,
        list_unit_price=price.unit_price,
        priced=priced,
        net_unit_price=to_cent(exact / amount_of),
        line_total=line_total,
        rule=rule,
        max_discount_pct=rule.max_discount_pct if rule else Decimal("0.00"),
    )


def check_discount(quote: PriceQuote, discount_pct: Decimal | int | str) -> DiscountCheck:
    """Whether a discount on the quoted line is within its rule (else a head approves it),
    and the line total after it: line total x (100 - discount) / 100, to the cent."""
    try:
        pct = Decimal(discount_pct)
    except (InvalidOperation, TypeError, ValueError):
        pct = Decimal(-1)
    if not pct.is_finite() or not 0 <= pct <= HUNDRED:
        raise PricingError(_("A discount is from 0 to 100 %."), "bad_discount")
    after = to_cent(quote.line_total * (HUNDRED - pct) / HUNDRED)
    return DiscountCheck(
        discount_pct=pct,
        max_discount_pct=quote.max_discount_pct,
        line_total=quote.line_total,
        discount_amount=quote.line_total - after,
        line_total_after=after,
    )
