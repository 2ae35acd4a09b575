"""Permission-matrix rows for promotions (see tests/matrix_rows/__init__.py).

Promotions are the company's catalogue: everyone signed in reads them; heads and
administrators create and change them (anyone else: 404, pages and API). The figures per
account (progress, lift, the account's page) follow the account's visibility: a
promotion's page names only the accounts the reader sees, and an account the reader may
not see answers 404. The world's promotions cover every product, so every account
takes part; one is for the chosen accounts A and B.
"""

from __future__ import annotations

from matrix_rows import MANAGERS, SEES, SEES_A, SIGNED_IN, R, Route

FORM = {
    "name": "prm matrix new", "kind": "discount", "starts_on": "2026-12-01",
    "ends_on": "2026-12-31", "currency": "PLN", "audience": "all", "discount_pct": "4",
    "combinable": "on",
}  # fmt: skip
EDIT_FORM = {
    "name": "prm running", "kind": "volume_bonus", "starts_on": "2026-11-01",
    "ends_on": "2026-12-31", "currency": "PLN", "audience": "all", "bonus_pct": "3",
    "threshold_amount": "1000", "combinable": "on", "exclusion_group": "prm",
}  # fmt: skip
API_NEW = {"name": "prm api", "kind": "discount", "starts_on": "2026-12-01",
           "ends_on": "2026-12-31", "discount_pct": "2"}  # fmt: skip
API_PATCH = {"description": "prm patched"}

ROUTES: list[Route] = [
    # --- pages -------------------------------------------------------------------------
    R("promotions:list", "GET", "/promotions/", SIGNED_IN),
    R("promotions:detail", "GET", "/promotions/{prm_running}/", SIGNED_IN,
      lists_all_visible=True),
    R("promotions:detail", "GET", "/promotions/{prm_running}/?sort=name", SIGNED_IN),
    R("promotions:detail", "GET", "/promotions/{prm_past}/?sort=-lift", SIGNED_IN,
      lists_all_visible=True),
    R("promotions:detail", "GET", "/promotions/{prm_chosen}/", SIGNED_IN),
    R("promotions:export", "GET", "/promotions/{prm_running}/export.xlsx", SIGNED_IN),
    R("promotions:create", "GET", "/promotions/new/", MANAGERS),
    R("promotions:create", "POST", "/promotions/new/", MANAGERS, 302, data=FORM),
    R("promotions:edit", "GET", "/promotions/{prm_chosen}/edit/", MANAGERS),
    R("promotions:edit", "POST", "/promotions/{prm_running}/edit/", MANAGERS, 302,
      data=EDIT_FORM),
    R("account_promotions:list", "GET", "/accounts/{a}/promotions/", SEES_A),
    R("account_promotions:list", "GET", "/accounts/{a1}/promotions/", SEES["a1"]),
    R("account_promotions:list", "GET", "/accounts/{a1}/promotions/?panel=1", SEES["a1"]),
    R("account_promotions:list", "GET", "/accounts/{b}/promotions/", SEES["b"]),
    R("account_promotions:list", "GET", "/accounts/{c}/promotions/", SEES["c"]),
    # --- JSON API ----------------------------------------------------------------------
    R("api:promotion_list", "GET", "/api/promotions/", SIGNED_IN),
    R("api:promotion_list", "GET", "/api/promotions/?status=past", SIGNED_IN),
    R("api:promotion_detail", "GET", "/api/promotions/{prm_chosen}", SIGNED_IN),
    R("api:promotion_progress", "GET", "/api/promotions/{prm_running}/progress", SIGNED_IN),
    R("api:promotion_progress", "GET", "/api/promotions/{prm_chosen}/progress?sort=name",
      SIGNED_IN),
    R("api:promotion_account_progress", "GET", "/api/promotions/accounts/{a}", SEES_A),
    R("api:promotion_account_progress", "GET", "/api/promotions/accounts/{b}", SEES["b"]),
    R("api:promotion_account_progress", "GET", "/api/promotions/accounts/{c}", SEES["c"]),
    R("api:promotion_create", "POST", "/api/promotions/", MANAGERS, 201, data=API_NEW),
    R("api:promotion_update", "PATCH", "/api/promotions/{prm_running}", MANAGERS,
      data=API_PATCH),
]  # fmt: skip


def world(company) -> tuple[dict, dict]:
    """A running volume bonus and a past one for every account, and a running discount
    for the chosen accounts A and B (the accounts' names are secrets already)."""
    from datetime import date
    from decimal import Decimal

    from openkam.promotions import services

    running = services.promotion_create(
        actor=None, name="prm running", kind="volume_bonus", starts_on=date(2026, 11, 1),
        ends_on=date(2026, 12, 31), bonus_pct=Decimal("3"), threshold_amount=Decimal("1000"),
        exclusion_group="prm",
    )  # fmt: skip
    past = services.promotion_create(
        actor=None, name="prm past", kind="volume_bonus", starts_on=date(2026, 9, 1),
        ends_on=date(2026, 9, 30), bonus_pct=Decimal("2"),
    )  # fmt: skip
    chosen = services.promotion_create(
        actor=None, name="prm chosen", kind="discount", starts_on=date(2026, 11, 15),
        ends_on=date(2026, 12, 15), discount_pct=Decimal("5"), audience="accounts",
        accounts=[company["a"], company["b"]], exclusion_group="prm",
    )  # fmt: skip
    ids = {"prm_running": running.pk, "prm_past": past.pk, "prm_chosen": chosen.pk}
    return ids, {}
