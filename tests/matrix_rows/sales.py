"""Permission-matrix rows for orders (see tests/matrix_rows/__init__.py).

Who does what (src/openkam/sales/services.py, `may_order`): everyone signed in reads the
orders of the accounts they see; orders are taken, changed, copied, closed, reopened,
checked again and sent for an exception by whoever may change the account's work (the
owner, a deputy, the junior and senior KAM on their account, heads and administrators);
finance and viewers read only (404 on pages, 403 on the API).

The world's orders are held for credit (a limit of 100 against 5000), so the exception
routes have something to ask about; a cancelled one is there to be reopened.
"""

from __future__ import annotations

from matrix_rows import EDITS_A, READ_ONLY, SEES, SEES_A, SIGNED_IN, R, Route

EDITS_C = SEES["c"] - READ_ONLY

# Filled in by world(): the day of a new order, the account named in an API body.
ORDER_FORM: dict = {"amount": "10.00", "currency": "PLN", "note": "sls matrix new"}
CHANGE_FORM = {"amount": "4500.00", "note": "sls matrix change"}
CLOSE_FORM = {"status": "cancelled"}
EXCEPTION_FORM = {"reason": "sls matrix reason"}
API_ORDER: dict = {"amount": "10.00", "currency": "PLN", "note": "sls matrix api new"}
API_CHANGE = {"amount": "4400.00", "note": "sls matrix api change"}
API_CLOSE = {"status": "invoiced"}
API_EXCEPTION = {"reason": "sls matrix api reason"}

ROUTES: list[Route] = [
    # --- across accounts ----------------------------------------------------------------
    R("sales:list", "GET", "/orders/", SIGNED_IN, lists_all_visible=True),
    R("sales:list", "GET", "/orders/?status=held", SIGNED_IN, lists_all_visible=True),
    R("sales:list", "GET", "/orders/?status=cancelled", SIGNED_IN),
    # --- one order ----------------------------------------------------------------------
    R("sales:detail", "GET", "/orders/{order_a}/", SEES_A),
    R("sales:detail", "GET", "/orders/{order_a1}/", SEES["a1"]),
    R("sales:detail", "GET", "/orders/{order_b}/", SEES["b"]),
    R("sales:detail", "GET", "/orders/{order_c}/", SEES["c"]),
    R("sales:detail", "GET", "/orders/{closed_order_a}/", SEES_A),
    R("sales:change", "POST", "/orders/{order_a}/change/", EDITS_A, 302, data=CHANGE_FORM),
    R("sales:change", "POST", "/orders/{order_c}/change/", EDITS_C, 302, data=CHANGE_FORM),
    R("sales:copy", "POST", "/orders/{order_a}/copy/", EDITS_A, 302),
    R("sales:copy", "POST", "/orders/{order_b}/copy/", SEES["b"] - READ_ONLY, 302),
    R("sales:close", "POST", "/orders/{order_a}/close/", EDITS_A, 302, data=CLOSE_FORM),
    R("sales:reopen", "POST", "/orders/{closed_order_a}/reopen/", EDITS_A, 302),
    R("sales:recheck", "POST", "/orders/{order_a}/recheck/", EDITS_A, 302),
    R("sales:ask_exception", "POST", "/orders/{order_a}/exception/", EDITS_A, 302,
      data=EXCEPTION_FORM),
    R("sales:ask_exception", "POST", "/orders/{order_a1}/exception/", SEES["a1"] - READ_ONLY,
      302, data=EXCEPTION_FORM),
    # --- one account's orders -----------------------------------------------------------
    R("account_orders:list", "GET", "/accounts/{a}/orders/", SEES_A),
    R("account_orders:list", "GET", "/accounts/{a1}/orders/", SEES["a1"]),
    R("account_orders:list", "GET", "/accounts/{c}/orders/", SEES["c"]),
    R("account_orders:create", "POST", "/accounts/{a}/orders/new/", EDITS_A, 302,
      data=ORDER_FORM),
    R("account_orders:create", "POST", "/accounts/{c}/orders/new/", EDITS_C, 302,
      data=ORDER_FORM),
    # --- JSON API ----------------------------------------------------------------------
    R("api:orders_list", "GET", "/api/orders/", SIGNED_IN),
    R("api:orders_list", "GET", "/api/orders/?status=held", SIGNED_IN),
    R("api:orders_list", "GET", "/api/orders/?account_id={b}&status=held", SIGNED_IN),
    R("api:order_create", "POST", "/api/orders/", EDITS_A, 201, read_only=403,
      data=API_ORDER),
    R("api:order_detail", "GET", "/api/orders/{order_a}", SEES_A),
    R("api:order_detail", "GET", "/api/orders/{order_a1}", SEES["a1"]),
    R("api:order_detail", "GET", "/api/orders/{order_b}", SEES["b"]),
    R("api:order_copy", "POST", "/api/orders/{order_a}/copy", EDITS_A, 201, read_only=403),
    R("api:order_change", "POST", "/api/orders/{order_a}/change", EDITS_A, read_only=403,
      data=API_CHANGE),
    R("api:order_close", "POST", "/api/orders/{order_a}/close", EDITS_A, read_only=403,
      data=API_CLOSE),
    R("api:order_reopen", "POST", "/api/orders/{closed_order_a}/reopen", EDITS_A,
      read_only=403),
    R("api:order_exception", "POST", "/api/orders/{order_a}/exception", EDITS_A, 201,
      read_only=403, data=API_EXCEPTION),
]  # fmt: skip


def world(company) -> tuple[dict, dict]:
    """On a, a1, b and c: a limit of 100 (set by finance) and an order of 5000 held by it; on A also a
    cancelled order. Each order's number and note is secret to those who may not see the
    account."""
    from decimal import Decimal

    from openkam.credit.services import limit_set
    from openkam.sales import services
    from openkam.sales.models import OrderStatus

    today = company["today"]
    orders = {}
    for key in ("a", "a1", "b", "c"):
        account, tag = company[key], key.upper()
        limit_set(
            actor=company["finance"], account=account, amount=Decimal("100.00"),
            currency=account.currency, valid_from=today,
        )  # fmt: skip
        orders[key], _verdict = services.order_create(
            actor=None, account=account, currency=account.currency, amount=Decimal("5000.00"),
            number=f"slsnum{tag}z", note=f"slsnote{tag}z",
        )  # fmt: skip
        assert orders[key].status == OrderStatus.HELD, orders[key].hold_reasons
    closed, _verdict = services.order_create(
        actor=None, account=company["a"], currency=company["a"].currency,
        amount=Decimal("50.00"), number="slsclosednumAz", note="slsclosednoteAz",
    )  # fmt: skip
    services.order_close(actor=None, order=closed, status=OrderStatus.CANCELLED)

    ORDER_FORM["ordered_on"] = today.isoformat()
    API_ORDER["account_id"] = company["a"].pk
    ids = {
        "a": company["a"].pk,
        "a1": company["a1"].pk,
        "b": company["b"].pk,
        "c": company["c"].pk,
        "closed_order_a": closed.pk,
    } | {f"order_{key}": order.pk for key, order in orders.items()}
    secrets = {key: {f"sls{part}{key.upper()}z" for part in ("num", "note")} for key in orders}
    secrets["a"] |= {"slsclosednumAz", "slsclosednoteAz"}
    return ids, secrets
