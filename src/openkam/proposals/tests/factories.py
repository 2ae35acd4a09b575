"""Test data for proposals: an opportunity on account A and a price list where A's
products cost 100.00 a unit, with a rule letting a KAM give up to 10 % alone."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from openkam.ledger.models import Invoice, InvoiceLine
from openkam.opportunities import services as opportunity_services
from openkam.pricing.tests import factories as pricing
from openkam.proposals import services
from openkam.proposals.models import ApprovalRule, ApprovalStep, Proposal


def priced_catalogue():
    items = (
        pricing.product("FL-1", "Mąka typ 500", line="Mąka"),
        pricing.product("SU-1", "Cukier biały", line="Cukier"),
    )
    catalogue = pricing.price_list(tiers=("Detal",))
    pricing.set_price(catalogue, "Detal", items[0], "100.00")
    pricing.set_price(catalogue, "Detal", items[1], "40.00")
    pricing.rule("Up to 10 %", "10")
    return items


def opportunity(company, account=None, owner=None):
    account = account or company["a"]
    return opportunity_services.opportunity_create(
        actor=owner or company["owner"], account=account, title="Flour for the new line",
        value=Decimal("50000"), currency="PLN",
        expected_close=company["today"] + timedelta(days=30), product_lines=["Mąka"],
    )  # fmt: skip


def proposal(company, product, discount="0", quantity="10", owner=None) -> Proposal:
    actor = owner or company["owner"]
    made = services.proposal_create(actor=actor, opportunity=opportunity(company, owner=actor))
    services.line_add(
        actor=actor, proposal=made, product=product, quantity=Decimal(quantity),
        discount_pct=Decimal(discount),
    )  # fmt: skip
    made.refresh_from_db()
    return made


def rule(name, metric, threshold="0", steps=(("head", None, 1, None),), **fields):
    """steps: (role, user, sequence, min_total)"""
    made = ApprovalRule.objects.create(
        name=name, metric=metric, threshold=Decimal(threshold), **fields
    )
    for role, user, sequence, min_total in steps:
        ApprovalStep.objects.create(
            rule=made, role=role or "", user=user, sequence=sequence,
            min_total=None if min_total is None else Decimal(min_total),
        )  # fmt: skip
    return made


def sale(account, product, day, quantity: str, cost: str, currency: str = "PLN") -> None:
    """A past sale of `product` at a known cost: what a line's unit cost is averaged from."""
    number = f"COST/{Invoice.objects.count() + 1}"
    bill = Invoice.objects.create(
        number=number, account=account, issued_on=day, currency=currency,
        net_total=Decimal(cost), source="t", external_id=number,
    )  # fmt: skip
    InvoiceLine.objects.create(
        invoice=bill, line_no=1, account=account, issued_on=day, product=product,
        quantity=Decimal(quantity), net_amount=Decimal(cost), cost_amount=Decimal(cost),
        currency=currency,
    )  # fmt: skip
