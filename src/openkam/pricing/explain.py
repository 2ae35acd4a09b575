"""A quote told step by step, in the reader's language, for the price check page and the
API: which list, which tier and why, which price and band, the line total, the rule.

A contract that named the tier is shown by its number only to a reader who may see it:
the group head's contract of a subsidiary's KAM who does not see the head company is
"the group head company's contract", with no number and no name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from openkam.contracts.models import Contract
from openkam.core.templatetags.openkam_format import amount, money, quantity
from openkam.pricing import tiers
from openkam.pricing.quotes import DiscountCheck, PriceQuote
from openkam.pricing.volume import SLAB


@dataclass(frozen=True)
class Step:
    label: str
    detail: str
    amount: Decimal | None = None  # in the quote's currency, shown in its own column


def _pct(value: Decimal) -> str:
    return f"{amount(value, 2)}\u00a0%"


def _list_step(quote: PriceQuote) -> Step:
    price_list = quote.price_list
    values = {
        "name": price_list.name,
        "currency": price_list.currency,
        "day": quote.on.isoformat(),
        "start": price_list.valid_from.isoformat(),
        "end": price_list.valid_to.isoformat() if price_list.valid_to else "",
    }
    if price_list.valid_to:
        detail = _(
            "%(name)s: the list in %(currency)s valid on %(day)s (from %(start)s to %(end)s)"
        )
    else:
        detail = _(
            "%(name)s: the list in %(currency)s valid on %(day)s (from %(start)s, until "
            "further notice)"
        )
    return Step(_("Price list"), detail % values)


def _tier_step(quote: PriceQuote, shown: Callable[[Contract], bool]) -> Step:
    name = quote.tier.name
    contract = quote.contract
    if contract is None:
        detail = _("%(tier)s: the list's default tier (no contract in force names a tier)")
    elif quote.tier_source == tiers.ACCOUNT_CONTRACT:
        detail = _("%(tier)s: named by the customer's contract %(number)s, in force on %(day)s")
    elif shown(contract):
        detail = _(
            "%(tier)s: named by the contract %(number)s of the group's head company "
            "%(head)s, in force on %(day)s (the customer has no contract naming a tier)"
        )
    else:
        detail = _(
            "%(tier)s: named by a contract of the group's head company, in force on %(day)s "
            "(the customer has no contract naming a tier)"
        )
    values = {"tier": name, "day": quote.on.isoformat()}
    if contract is not None:
        values |= {"number": contract.number, "head": contract.account.name}
    notes = [_passed_over(item, shown) for item in quote.passed_over]
    return Step(_("Price tier"), " ".join([detail % values, *notes]))


def _passed_over(contract: Contract, shown: Callable[[Contract], bool]) -> str:
    values = {"number": contract.number, "tier": contract.price_tier}
    if shown(contract):
        return (
            _("Contract %(number)s names the tier %(tier)s, which this list does not have.")
            % values
        )
    return (
        _("A contract of the group names the tier %(tier)s, which this list does not have.")
        % values
    )


def _volume_steps(quote: PriceQuote) -> list[Step]:
    priced, currency = quote.priced, quote.currency
    bands = list(quote.price.bands.all())
    if not bands:
        return [Step(_("Volume bands"), _("none for this price: the list price applies"))]
    if priced.mode != SLAB:
        if priced.band is None:
            detail = _(
                "by range: %(quantity)s is below the first band (from %(first)s), so every "
                "unit is at the list price"
            ) % {"quantity": quantity(quote.quantity), "first": quantity(bands[0].min_quantity)}
        else:
            detail = _(
                "by range: %(quantity)s reaches the band from %(min)s, so every unit is at "
                "%(price)s"
            ) % {
                "quantity": quantity(quote.quantity),
                "min": quantity(priced.band.min_quantity),
                "price": money(priced.band.unit_price, currency),
            }
        return [Step(_("Volume bands"), detail)]
    steps = []
    for slab in priced.slabs:
        label = (_("Slab from %(start)s to %(end)s") if slab.band else _("Slab up to %(end)s")) % {
            "start": quantity(slab.start),
            "end": quantity(slab.end),
        }
        detail = _("%(quantity)s × %(price)s") % {
            "quantity": quantity(slab.quantity),
            "price": money(slab.unit_price, currency),
        }
        steps.append(Step(label, detail, slab.amount))
    return steps


def _rule_step(quote: PriceQuote) -> Step:
    rule = quote.rule
    if rule is None:
        return Step(
            _("Discount rule"),
            _("no rule matches this line: any discount needs approval"),
        )
    matched = [
        label % {"value": value}
        for label, value in (
            (_("tier %(value)s"), rule.tier),
            (_("segment %(value)s"), rule.segment),
            (_("product line %(value)s"), rule.product_line),
            (_("from quantity %(value)s"), quantity(rule.min_quantity) if rule.min_quantity else ""),
            (_("from a line value of %(value)s"), money(rule.min_amount, rule.currency) if rule.min_amount is not None else ""),
        )
        if value
    ]  # fmt: skip
    on = ", ".join(matched) if matched else _("every line")
    return Step(
        _("Discount rule"),
        _("%(rule)s (%(matched)s, priority %(priority)d): up to %(pct)s without approval")
        % {
            "rule": rule.name,
            "matched": on,
            "priority": rule.priority,
            "pct": _pct(rule.max_discount_pct),
        },
    )


def quote_steps(quote: PriceQuote, *, shown: Callable[[Contract], bool]) -> list[Step]:
    """The quote's steps; `shown(contract)`: may the reader see that contract."""
    currency = quote.currency
    unit = quote.product.unit
    return [
        _list_step(quote),
        _tier_step(quote, shown),
        Step(
            _("List unit price"),
            _("%(price)s per %(unit)s in tier %(tier)s")
            % {
                "price": money(quote.list_unit_price, currency),
                "unit": unit,
                "tier": quote.tier.name,
            },
        ),
        *_volume_steps(quote),
        Step(
            _("Line total before discount"),
            _("%(quantity)s %(unit)s, rounded half up to the cent once for the line")
            % {"quantity": quantity(quote.quantity), "unit": unit},
            quote.line_total,
        ),
        Step(
            _("Net unit price before discount"),
            _("the line total over the quantity, rounded half up to the cent"),
            quote.net_unit_price,
        ),
        _rule_step(quote),
    ]


def discount_steps(check: DiscountCheck) -> list[Step]:
    verdict = (
        _("within the rule: no approval needed")
        if check.within_rule
        else _("above the rule's %(pct)s: a head of key accounts must approve it")
        % {"pct": _pct(check.max_discount_pct)}
    )
    return [
        Step(_("Discount"), f"{_pct(check.discount_pct)}: {verdict}", -check.discount_amount),
        Step(
            _("Line total after discount"),
            _("the line total less the discount, rounded half up to the cent"),
            check.line_total_after,
        ),
    ]
