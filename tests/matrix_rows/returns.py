"""Permission-matrix rows for returns and refusals (see tests/matrix_rows/__init__.py).

Everyone signed in reads the analyses over the accounts they see; naming an account they
cannot see (`?account=`, `/api/returns/accounts/<id>`) answers 404, as a missing one does.
Nothing here writes.
"""

from __future__ import annotations

from matrix_rows import SEES, SEES_A, SIGNED_IN, R, Route

ROUTES: list[Route] = [
    # --- pages ---------------------------------------------------------------------------
    R("returns:analysis", "GET", "/returns/", SIGNED_IN, lists_all_visible=True),
    R("account_returns:panel", "GET", "/accounts/{a}/returns/", SEES_A),
    R("account_returns:panel", "GET", "/accounts/{c}/returns/", SEES["c"]),
    R("returns:analysis", "GET", "/returns/?scope=group&line=Retline", SIGNED_IN),
    R("returns:analysis", "GET", "/returns/?format=xlsx", SIGNED_IN),
    R("returns:analysis", "GET", "/returns/?account={a}", SEES_A),
    R("returns:analysis", "GET", "/returns/?account={b}&format=xlsx", SEES["b"]),
    R("returns:analysis", "GET", "/returns/?account={c}", SEES["c"]),
    R("returns:refusals", "GET", "/returns/refusals/", SIGNED_IN, lists_all_visible=True),
    R("returns:refusals", "GET", "/returns/refusals/?format=xlsx", SIGNED_IN),
    R("returns:refusals", "GET", "/returns/refusals/?account={a1}", SEES["a1"]),
    R("returns:refusals", "GET", "/returns/refusals/?account={b}", SEES["b"]),
    # --- JSON API ------------------------------------------------------------------------
    R("api:returns_summary", "GET", "/api/returns/summary", SIGNED_IN),
    R("api:returns_summary", "GET", "/api/returns/summary?account={a}", SEES_A),
    R("api:returns_by_reason", "GET", "/api/returns/by-reason", SIGNED_IN),
    R("api:returns_by_reason", "GET", "/api/returns/by-reason?account={b}", SEES["b"]),
    R("api:returns_by_product_line", "GET", "/api/returns/by-product-line", SIGNED_IN),
    R("api:returns_by_account", "GET", "/api/returns/by-account", SIGNED_IN),
    R("api:returns_by_account", "GET", "/api/returns/by-account?scope=group", SIGNED_IN),
    R("api:returns_monthly", "GET", "/api/returns/monthly?currency=pln", SIGNED_IN),
    R("api:returns_account", "GET", "/api/returns/accounts/{a}", SEES_A),
    R("api:returns_account", "GET", "/api/returns/accounts/{a1}", SEES["a1"]),
    R("api:returns_account", "GET", "/api/returns/accounts/{b}", SEES["b"]),
    R("api:returns_account", "GET", "/api/returns/accounts/{c}", SEES["c"]),
    R("api:returns_refusals", "GET", "/api/returns/refusals", SIGNED_IN),
    R("api:returns_refusals", "GET", "/api/returns/refusals?account={c}", SEES["c"]),
    R("api:returns_refusals_summary", "GET", "/api/returns/refusals/summary", SIGNED_IN),
]  # fmt: skip


def world(company) -> tuple[dict, dict]:
    """On a, a1, b and c: a sale and a return whose reason is secret, and an opportunity
    lost today to a competitor, both secret to those who may not see the account."""
    from datetime import timedelta
    from decimal import Decimal

    from openkam.opportunities import services
    from openkam.opportunities.models import Stage
    from openkam.returns.tests.ledgers import invoice
    from openkam.workspace import services as rivals

    day = company["today"] - timedelta(days=40)  # inside the last 12 whole months
    lost = Stage.objects.get(code="lost")
    secrets: dict[str, set[str]] = {}
    for key in ("a", "a1", "b", "c"):
        account, tag = company[key], key.upper()
        invoice(account, day, ("Retline", "1000.00"),
                ("Retline", "-10.00", f"retreason{tag}z"), currency=account.currency)  # fmt: skip
        rival = rivals.competitor_get_or_create(actor=None, name=f"refrival{tag}z")
        rivals.account_competitor_add(actor=None, account=account, competitor=rival)
        deal = services.opportunity_create(
            actor=None, account=account, title=f"refdeal{tag}z", value=Decimal("500.00"),
            currency=account.currency, expected_close=company["today"], competitors=[rival],
        )  # fmt: skip
        services.opportunity_move(actor=None, opportunity=deal, stage=lost, lost_reason="price")
        secrets[key] = {f"retreason{tag}z", f"refrival{tag}z", f"refdeal{tag}z"}
    return {}, secrets
