"""Permission-matrix rows for pricing (see tests/matrix_rows/__init__.py).

Price lists and discount rules are the company's catalogue: everyone signed in reads
them (they are changed in the back office). The price check of an account and the API's
quote follow the account's visibility: a KAM who may not see it gets 404. The world has
a contract on each account naming its tier, so the quote shows the contract's number:
secret to those who may not see that account.
"""

from __future__ import annotations

from matrix_rows import SEES, SEES_A, SIGNED_IN, R, Route


def _check(account: str) -> str:
    return f"/accounts/{{{account}}}/pricing/?product={{prc_product}}&quantity=120&on=2026-12-02&currency=PLN&discount_pct=3"


def _quote(account: str) -> str:
    return f"/api/pricing/quote?account_id={{{account}}}&product_id={{prc_product}}&quantity=120"


ROUTES: list[Route] = [
    # --- pages -------------------------------------------------------------------------
    R("pricing:list", "GET", "/pricing/", SIGNED_IN),
    R("pricing:detail", "GET", "/pricing/{prc_list}/", SIGNED_IN),
    R("pricing:detail", "GET", "/pricing/{prc_list}/?q=prc&page=2", SIGNED_IN),
    R("pricing:rules", "GET", "/pricing/rules/", SIGNED_IN),
    R("pricing:rules", "GET", "/pricing/rules/?q=key&current=1", SIGNED_IN),
    R("account_pricing:check", "GET", "/accounts/{a}/pricing/", SEES_A),
    R("account_pricing:check", "GET", _check("a"), SEES_A),
    R("account_pricing:check", "GET", _check("a1"), SEES["a1"]),
    R("account_pricing:check", "GET", _check("b"), SEES["b"]),
    R("account_pricing:check", "GET", _check("c"), SEES["c"]),
    # --- JSON API ----------------------------------------------------------------------
    R("api:price_list_list", "GET", "/api/pricing/price-lists", SIGNED_IN),
    R("api:price_list_detail", "GET", "/api/pricing/price-lists/{prc_list}", SIGNED_IN),
    R("api:price_list_prices", "GET", "/api/pricing/price-lists/{prc_list}/prices", SIGNED_IN),
    R("api:price_list_prices", "GET",
      "/api/pricing/price-lists/{prc_list}/prices?q=prc&tier_id={prc_tier}", SIGNED_IN),
    R("api:discount_rule_list", "GET", "/api/pricing/discount-rules", SIGNED_IN),
    R("api:discount_rule_list", "GET", "/api/pricing/discount-rules?on=2026-12-02&q=key",
      SIGNED_IN),
    R("api:discount_rule_detail", "GET", "/api/pricing/discount-rules/{prc_rule}", SIGNED_IN),
    R("api:pricing_quote", "GET", _quote("a"), SEES_A),
    R("api:pricing_quote", "GET", _quote("a1"), SEES["a1"]),
    R("api:pricing_quote", "GET", _quote("b"), SEES["b"]),
    R("api:pricing_quote", "GET", _quote("c") + "&discount_pct=2.5&currency=PLN", SEES["c"]),
]  # fmt: skip


def world(company) -> tuple[dict, dict]:
    """A price list valid today with tiers Detal (default) and Key, a product priced in
    both with volume bands, two discount rules, and on a, a1, b and c a contract naming
    the Key tier (its number secret to those who may not see the account)."""
    from datetime import date
    from decimal import Decimal

    from openkam.contracts import services as contract_services
    from openkam.ledger.models import Product
    from openkam.pricing import services

    listed = services.price_list_create(
        actor=None, name="prc list 2026", currency="PLN", valid_from=date(2026, 1, 1)
    )
    services.tier_create(actor=None, price_list=listed, name="Detal")
    key = services.tier_create(actor=None, price_list=listed, name="Key")
    item = Product.objects.create(
        source="matrix", sku="PRC-1", name="prc widget", product_line="prc line"
    )
    bands = [(Decimal("100"), Decimal("9.50")), (Decimal("500"), Decimal("9.00"))]
    for tier, unit, mode in (
        (listed.tiers.get(name="Detal"), "12.00", "range"),
        (key, "10.00", "slab"),
    ):
        services.price_set(
            actor=None,
            tier=tier,
            product=item,
            unit_price=Decimal(unit),
            band_mode=mode,
            bands=bands,
        )
    rule = services.discount_rule_create(
        actor=None, name="prc standard", max_discount_pct=Decimal("5"), valid_from=date(2026, 1, 1)
    )
    services.discount_rule_create(
        actor=None, name="prc key line", tier="Key", product_line="prc line",
        max_discount_pct=Decimal("10"), valid_from=date(2026, 1, 1),
    )  # fmt: skip
    for key_ in ("a", "a1", "b", "c"):
        contract_services.contract_create(
            actor=None, account=company[key_], number=f"prcnum{key_.upper()}z", kind="supply",
            status="active", starts_on=date(2026, 1, 1), price_tier="key",
        )  # fmt: skip
    ids = {"prc_list": listed.pk, "prc_tier": key.pk, "prc_product": item.pk, "prc_rule": rule.pk}
    secrets = {key_: {f"prcnum{key_.upper()}z"} for key_ in ("a", "a1", "b", "c")}
    return ids, secrets
