"""JSON API for pricing (mounted in openkam.api at /api/pricing): the price lists with
their tiers and prices, the discount rules, and the quote for a line.

Price lists and rules are company-wide: everyone signed in reads them (they are changed
in the back office). A quote is about an account and follows its visibility: an account
the caller may not see answers 404, as a missing one. A line that cannot be priced (no
list valid that day, no price for the product in the tier) answers 422 with the reason.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import bounds
from openkam.core.schemas import ErrorOut, Money, Quantity
from openkam.ledger.models import Product
from openkam.pricing import selectors
from openkam.pricing.models import MAX_QUANTITY, BandMode, Price
from openkam.pricing.quotes import PricingError
from openkam.users import permissions

router = Router(tags=["pricing"])

PAGE_SIZE = 100
LineQuantity = Annotated[Decimal, Field(gt=0, le=MAX_QUANTITY, max_digits=15, decimal_places=3)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]


class TierOut(Schema):
    id: int
    name: str
    position: int
    is_default: bool


class PriceListOut(Schema):
    id: int
    name: str
    currency: str
    valid_from: date
    valid_to: date | None = Field(description="The last day it applies; null: until further notice")
    note: str
    tiers: list[TierOut]
    product_count: int = Field(description="Products with a price in at least one tier")
    valid_today: bool

    @staticmethod
    def resolve_tiers(obj) -> list:
        return list(obj.tiers.all())

    @staticmethod
    def resolve_valid_today(obj) -> bool:
        return obj.covers(permissions.today())


class BandOut(Schema):
    min_quantity: Quantity = Field(description="From this quantity on")
    unit_price: Money


class PriceOut(Schema):
    product_id: int
    sku: str = Field(validation_alias="product.sku")
    product_name: str = Field(validation_alias="product.name")
    tier_id: int
    tier: str = Field(validation_alias="tier.name")
    unit_price: Money = Field(description="The list price, below the first band")
    band_mode: BandMode
    bands: list[BandOut]

    @staticmethod
    def resolve_bands(obj) -> list:
        return list(obj.bands.all())


class PriceFilters(Schema):
    q: bounds.SearchText = Field("", description="SKU, product name or product line")
    tier_id: bounds.Id | None = None


class DiscountRuleOut(Schema):
    id: int
    name: str
    tier: str = Field(description="Empty: any tier")
    segment: str = Field(description="Empty: any customer segment")
    product_line: str = Field(description="Empty: any product line")
    min_quantity: Quantity | None
    min_amount: Money | None = Field(description="The line's value before discount")
    currency: str = Field(description="Of the minimum value")
    max_discount_pct: Decimal = Field(description="The largest discount without approval")
    priority: int
    valid_from: date
    valid_to: date | None
    note: str


class RuleFilters(Schema):
    on: bounds.ApiDate | None = Field(None, description="Only the rules valid on this day")
    q: bounds.SearchText = Field("", description="Rule name, tier, segment or product line")


class QuoteQuery(Schema):
    account_id: bounds.Id
    product_id: bounds.Id
    quantity: LineQuantity
    on: bounds.ApiDate | None = Field(None, description="The day; default today")
    currency: str | None = Field(
        None, pattern=r"^[A-Za-z]{3}$", description="Default: the account's currency"
    )
    discount_pct: Percent | None = Field(None, description="A discount to check against the rule")


class NamedOut(Schema):
    id: int
    name: str


class ContractRefOut(Schema):
    id: int
    number: str


class SlabOut(Schema):
    after_quantity: Quantity = Field(description="The slab holds the units above this...")
    up_to_quantity: Quantity = Field(description="...up to this quantity")
    quantity: Quantity
    unit_price: Money
    amount: Quantity = Field(description="quantity x unit price, exact (not rounded)")


class QuoteStepOut(Schema):
    label: str
    detail: str
    amount: Money | None


class DiscountCheckOut(Schema):
    discount_pct: Decimal
    within_rule: bool
    needs_approval: bool
    discount_amount: Money
    line_total_after: Money = Field(description="After discount, rounded half up to the cent")


class QuoteOut(Schema):
    account_id: int
    product_id: int
    sku: str
    quantity: Quantity
    on: date
    currency: str
    price_list: NamedOut
    tier: NamedOut
    tier_source: str = Field(
        description="account_contract, group_contract (the group head's) or default"
    )
    contract: ContractRefOut | None = Field(
        description="The contract that named the tier, if the caller may see it"
    )
    list_unit_price: Money
    band_mode: BandMode
    band: BandOut | None = Field(description="The volume band applied; null: the list price")
    slabs: list[SlabOut] = Field(description="How the quantity is priced (one for range pricing)")
    net_unit_price: Money = Field(description="Before discount: line total / quantity, to the cent")
    line_total: Money = Field(description="Before discount, rounded half up to the cent")
    discount_rule: NamedOut | None
    max_discount_pct: Decimal = Field(description="The largest discount without approval")
    discount_check: DiscountCheckOut | None
    steps: list[QuoteStepOut]


def _quote_out(view: selectors.QuoteView) -> dict:
    quote, check = view.quote, view.check
    slabs = [
        {
            "after_quantity": slab.start,
            "up_to_quantity": slab.end,
            "quantity": slab.quantity,
            "unit_price": slab.unit_price,
            "amount": slab.amount,
        }
        for slab in quote.priced.slabs
    ]
    contract = quote.contract if view.contract_shown else None
    return {
        "account_id": quote.account.pk,
        "product_id": quote.product.pk,
        "sku": quote.product.sku,
        "quantity": quote.quantity,
        "on": quote.on,
        "currency": quote.currency,
        "price_list": quote.price_list,
        "tier": quote.tier,
        "tier_source": quote.tier_source,
        "contract": contract,
        "list_unit_price": quote.list_unit_price,
        "band_mode": quote.priced.mode,
        "band": quote.band,
        "slabs": slabs,
        "net_unit_price": quote.net_unit_price,
        "line_total": quote.line_total,
        "discount_rule": quote.rule,
        "max_discount_pct": quote.max_discount_pct,
        "discount_check": None
        if check is None
        else {
            "discount_pct": check.discount_pct,
            "within_rule": check.within_rule,
            "needs_approval": check.needs_approval,
            "discount_amount": check.discount_amount,
            "line_total_after": check.line_total_after,
        },
        "steps": view.steps,
    }


@router.get("/price-lists", response=list[PriceListOut], url_name="price_list_list")
@paginate(bounds.Pages, page_size=PAGE_SIZE)
def price_list_list(request):
    """Every price list, by currency and the latest first."""
    return selectors.price_lists(user=request.auth)


@router.get("/price-lists/{id:price_list_id}", response=PriceListOut, url_name="price_list_detail")
def price_list_detail(request, price_list_id: int):
    return bounds.one_or_404(selectors.price_lists(user=request.auth), pk=price_list_id)


@router.get(
    "/price-lists/{id:price_list_id}/prices",
    response=list[PriceOut],
    url_name="price_list_prices",
)
@paginate(bounds.Pages, page_size=PAGE_SIZE)
def price_list_prices(request, price_list_id: int, filters: Query[PriceFilters]):
    """The list's prices (a row per product and tier) with their volume bands, by SKU."""
    price_list = bounds.one_or_404(selectors.price_lists(user=request.auth), pk=price_list_id)
    products = selectors.priced_products(user=request.auth, price_list=price_list, q=filters.q)
    prices = (
        Price.objects.filter(tier__price_list=price_list, product__in=products)
        .select_related("product", "tier")
        .prefetch_related("bands")
        .order_by("product__sku", "tier__position", "tier_id", "pk")
    )
    if filters.tier_id is not None:
        prices = prices.filter(tier_id=filters.tier_id)
    return prices


@router.get("/discount-rules", response=list[DiscountRuleOut], url_name="discount_rule_list")
@paginate(bounds.Pages, page_size=PAGE_SIZE)
def discount_rule_list(request, filters: Query[RuleFilters]):
    """The discount rules, the highest priority first."""
    return selectors.discount_rules(user=request.auth, on=filters.on, q=filters.q)


@router.get(
    "/discount-rules/{id:rule_id}", response=DiscountRuleOut, url_name="discount_rule_detail"
)
def discount_rule_detail(request, rule_id: int):
    return bounds.one_or_404(selectors.discount_rules(user=request.auth), pk=rule_id)


@router.get(
    "/quote",
    response={200: QuoteOut, 404: ErrorOut, 422: ErrorOut},
    url_name="pricing_quote",
)
def pricing_quote(request, params: Query[QuoteQuery]):
    """The price of a quantity of a product for a visible account on a day: the list, the
    tier and why, the volume band, the line total and the largest discount allowed
    without approval, with the steps (docs/pricing.md)."""
    user = request.auth
    account = access.visible_or_404(Account, user, pk=params.account_id)
    product = bounds.one_or_404(Product, pk=params.product_id)
    try:
        view = selectors.account_quote(
            user=user,
            account=account,
            product=product,
            quantity=params.quantity,
            on=params.on or permissions.today(),
            currency=params.currency,
            discount_pct=params.discount_pct,
        )
    except PricingError as error:
        return Status(422, {"detail": str(error)})
    return _quote_out(view)
