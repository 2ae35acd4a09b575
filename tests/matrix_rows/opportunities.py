"""Permission-matrix rows for opportunities (see tests/matrix_rows/__init__.py).

Who does what (src/openkam/opportunities/services.py, `may_sell`): everyone signed in
reads the opportunities of the accounts they see (the pipeline board and list name only
those); whoever may change the account's work creates, edits and moves them; finance and
viewers read only (404 on pages, 403 on the API).
"""

from __future__ import annotations

from matrix_rows import EDITS_A, READ_ONLY, SEES, SEES_A, SIGNED_IN, R, Route

EDITS_C = SEES["c"] - READ_ONLY

# Filled in by world(): the dates and stages the forms name.
NEW_FORM: dict = {"title": "opp matrix new", "kind": "upsell", "value": "100.00",
                  "currency": "PLN"}  # fmt: skip
EDIT_FORM: dict = {"title": "opp matrix edit", "kind": "renewal", "value": "200.00",
                   "currency": "PLN"}  # fmt: skip
MOVE_FORM: dict = {}
API_NEW: dict = {"title": "opp matrix api", "value": "10.00", "currency": "PLN"}
API_PATCH = {"title": "opp matrix api patch"}
API_MOVE = {"stage": "negotiate"}
CELL_FORM: dict = {"line": "Opp matrix line", "value": "100.00"}

ROUTES: list[Route] = [
    # --- across accounts ----------------------------------------------------------------
    R("pipeline:board", "GET", "/pipeline/", SIGNED_IN, lists_all_visible=True),
    R("pipeline:board", "GET", "/pipeline/?kind=upsell&currency=pln", SIGNED_IN),
    R("pipeline:list", "GET", "/pipeline/list/", SIGNED_IN, lists_all_visible=True),
    R("pipeline:list", "GET", "/pipeline/list/?format=xlsx", SIGNED_IN),
    # --- one opportunity ----------------------------------------------------------------
    R("opportunities:detail", "GET", "/opportunities/{opp_a}/", SEES_A),
    R("opportunities:detail", "GET", "/opportunities/{opp_a1}/", SEES["a1"]),
    R("opportunities:detail", "GET", "/opportunities/{opp_b}/", SEES["b"]),
    R("opportunities:detail", "GET", "/opportunities/{opp_c}/", SEES["c"]),
    R("opportunities:edit", "POST", "/opportunities/{opp_a}/edit/", EDITS_A, 302,
      data=EDIT_FORM),
    R("opportunities:edit", "POST", "/opportunities/{opp_c}/edit/", EDITS_C, 302,
      data=EDIT_FORM),
    R("opportunities:move", "POST", "/opportunities/{opp_a}/move/", EDITS_A, 302,
      data=MOVE_FORM),
    R("opportunities:move", "POST", "/opportunities/{opp_b}/move/", SEES["b"] - READ_ONLY, 302,
      data=MOVE_FORM),
    # --- one account's opportunities ----------------------------------------------------
    R("account_opportunities:list", "GET", "/accounts/{a}/opportunities/", SEES_A),
    R("account_opportunities:list", "GET", "/accounts/{c}/opportunities/", SEES["c"]),
    R("account_opportunities:create", "POST", "/accounts/{a}/opportunities/new/", EDITS_A, 302,
      data=NEW_FORM),
    R("account_opportunities:whitespace", "GET", "/accounts/{a}/opportunities/whitespace/",
      SEES_A),
    R("account_opportunities:whitespace", "GET", "/accounts/{c}/opportunities/whitespace/",
      SEES["c"]),
    R("account_opportunities:create_from_cell", "POST",
      "/accounts/{a}/opportunities/whitespace/new/", EDITS_A, 302, data=CELL_FORM),
    R("account_opportunities:create", "POST", "/accounts/{a1}/opportunities/new/",
      SEES["a1"] - READ_ONLY, 302, data=NEW_FORM),
    # --- JSON API ----------------------------------------------------------------------
    R("api:opportunity_stages", "GET", "/api/opportunities/stages", SIGNED_IN),
    R("api:opportunities_list", "GET", "/api/opportunities/", SIGNED_IN),
    R("api:opportunities_list", "GET", "/api/opportunities/?account_id={b}", SIGNED_IN),
    R("api:opportunities_weighted", "GET", "/api/opportunities/weighted", SIGNED_IN),
    R("api:opportunities_weighted", "GET", "/api/opportunities/weighted?by=team", SIGNED_IN),
    R("api:opportunity_create", "POST", "/api/opportunities/", EDITS_A, 201, read_only=403,
      data=API_NEW),
    R("api:opportunity_detail", "GET", "/api/opportunities/{opp_a}", SEES_A),
    R("api:opportunity_detail", "GET", "/api/opportunities/{opp_c}", SEES["c"]),
    R("api:opportunity_update", "PATCH", "/api/opportunities/{opp_a}", EDITS_A, read_only=403,
      data=API_PATCH),
    R("api:opportunity_move", "POST", "/api/opportunities/{opp_b}/move",
      SEES["b"] - READ_ONLY, read_only=403, data=API_MOVE),
]  # fmt: skip


def world(company) -> tuple[dict, dict]:
    """On a, a1, b and c: an open opportunity whose title is secret to those who may not
    see the account."""
    from datetime import timedelta
    from decimal import Decimal

    from openkam.ledger.models import Product
    from openkam.opportunities import services
    from openkam.opportunities.models import Stage

    today = company["today"]
    opportunities = {}
    for key in ("a", "a1", "b", "c"):
        account = company[key]
        opportunities[key] = services.opportunity_create(
            actor=None, account=account, title=f"opptitle{key.upper()}z",
            value=Decimal("1000.00"), currency=account.currency,
            expected_close=today + timedelta(days=30), description=f"oppdesc{key.upper()}z",
        )  # fmt: skip
    close = (today + timedelta(days=20)).isoformat()
    for form in (NEW_FORM, EDIT_FORM, API_NEW):
        form["expected_close"] = close
    API_NEW["account_id"] = company["a"].pk
    Product.objects.create(source="matrix", sku="OPPLINE", name="x", product_line=CELL_FORM["line"])
    CELL_FORM["account"] = company["a1"].pk  # a member of A's group
    MOVE_FORM["stage"] = Stage.objects.get(code="develop").pk
    ids = {key: company[key].pk for key in ("a", "a1", "b", "c")}
    ids |= {f"opp_{key}": opportunity.pk for key, opportunity in opportunities.items()}
    secrets = {
        key: {f"opp{part}{key.upper()}z" for part in ("title", "desc")} for key in opportunities
    }
    return ids, secrets
