"""Permission-matrix rows for accounts, contacts, the ledger, import, the user's own
settings, portfolio analysis, key-account reviews and the board (see
tests/matrix_rows/__init__.py)."""

from __future__ import annotations

from matrix_rows import (
    ACCOUNT_FORM,
    EDITS_A,
    IMPORTERS,
    MANAGERS,
    SEES,
    SEES_A,
    SIGNED_IN,
    R,
    Route,
)

ROUTES: list[Route] = [
    # --- pages -------------------------------------------------------------------------
    R("home", "GET", "/", SIGNED_IN),
    R("accounts:list", "GET", "/accounts/", SIGNED_IN, lists_all_visible=True),
    R("accounts:list", "GET", "/accounts/?q=a&sort=-revenue", SIGNED_IN),
    R("accounts:detail", "GET", "/accounts/{a}/", SEES_A),
    R("accounts:detail", "GET", "/accounts/{a1}/", SEES["a1"]),
    R("accounts:edit", "GET", "/accounts/{a}/edit/", EDITS_A),
    R("accounts:edit", "POST", "/accounts/{a}/edit/", EDITS_A, 302, data=ACCOUNT_FORM),
    R("account_stakeholders:contact_create", "GET", "/accounts/{a}/stakeholders/new/", EDITS_A),
    R("account_stakeholders:contact_create", "POST", "/accounts/{a}/stakeholders/new/", EDITS_A, 302,
      data={"last_name": "Matrix"}),
    R("stakeholders:contact_edit", "GET", "/stakeholders/{contact_a}/edit/", EDITS_A),
    R("stakeholders:contact_edit", "POST", "/stakeholders/{contact_a}/edit/", EDITS_A, 302,
      data={"last_name": "Matrix"}),
    R("ledger:invoice_detail", "GET", "/ledger/invoices/{invoice_a}/", SEES_A),
    # --- import (heads and administrators) ---------------------------------------------
    R("ingest:upload", "GET", "/import/", IMPORTERS),
    R("ingest:job", "GET", "/import/jobs/{job}/", IMPORTERS),
    R("ingest:job_progress", "GET", "/import/jobs/{job}/progress/", IMPORTERS),
    R("ingest:forget_mapping", "POST", "/import/mappings/{column_mapping}/forget/", IMPORTERS,
      status=302),  # fmt: skip
    # --- the user's own settings -------------------------------------------------------
    R("users:deputies", "GET", "/me/deputies/", SIGNED_IN),
    R("users:deputy_end", "POST", "/me/deputies/{deputy_row}/end/",
      frozenset({"owner", "head", "admin"}), 302),
    R("users:tokens", "GET", "/me/tokens/", SIGNED_IN),
    R("users:token_revoke", "POST", "/me/tokens/{owner_token}/revoke/",
      frozenset({"owner"}), 302),
    # --- JSON API ----------------------------------------------------------------------
    R("api:account_list", "GET", "/api/accounts", SIGNED_IN, lists_all_visible=True),
    R("api:account_detail", "GET", "/api/accounts/{a}", SEES_A),
    R("api:account_detail", "PATCH", "/api/accounts/{a}", EDITS_A, read_only=403,
      data={"city": "Matrix City"}),
    R("api:account_revenue", "GET", "/api/accounts/{a}/revenue", SEES_A),
    R("api:contact_list", "GET", "/api/contacts", SIGNED_IN),
    R("api:contact_detail", "GET", "/api/contacts/{contact_a}", SEES_A),
    R("api:product_list", "GET", "/api/ledger/products", SIGNED_IN),
    R("api:invoice_list", "GET", "/api/ledger/invoices", SIGNED_IN),
    R("api:invoice_list", "GET", "/api/ledger/invoices?account_id={a}", SIGNED_IN),
    R("api:invoice_detail", "GET", "/api/ledger/invoices/{invoice_a}", SEES_A),
    R("api:payment_list", "GET", "/api/ledger/payments", SIGNED_IN),
    # --- portfolio analysis (reading for all; settings, models and recompute for heads) --
    R("portfolio:analysis", "GET", "/portfolio/", SIGNED_IN),
    R("portfolio:accounts", "GET", "/portfolio/accounts/", SIGNED_IN),
    R("portfolio:accounts", "GET", "/portfolio/accounts/?scope=entity", SIGNED_IN,
      lists_all_visible=True),
    R("portfolio:accounts", "GET", "/portfolio/accounts/?abc=A&basis=margin&sort=-score",
      SIGNED_IN),
    R("portfolio:export_csv", "GET", "/portfolio/export.csv", SIGNED_IN),
    R("portfolio:export_csv", "GET", "/portfolio/export.csv?scope=entity", SIGNED_IN,
      lists_all_visible=True),
    R("portfolio:export_xlsx", "GET", "/portfolio/export.xlsx?scope=entity", SIGNED_IN),
    R("portfolio:export_xlsx", "GET", "/portfolio/export.xlsx", SIGNED_IN),
    R("portfolio:recompute", "POST", "/portfolio/recompute/", MANAGERS, 302),
    R("portfolio:recompute_progress", "GET", "/portfolio/recompute/progress/", MANAGERS),
    R("portfolio:settings", "GET", "/portfolio/settings/", MANAGERS),
    R("portfolio:model_list", "GET", "/portfolio/models/", SIGNED_IN),
    R("portfolio:model_create", "GET", "/portfolio/models/new/", MANAGERS),
    R("portfolio:model_edit", "GET", "/portfolio/models/{scoring_model}/", SIGNED_IN),
    R("portfolio:model_edit", "POST", "/portfolio/models/{scoring_model}/", MANAGERS),
    R("portfolio:manual_score", "POST", "/portfolio/scores/{a}/", EDITS_A, 302),
    # --- key-account reviews and the portfolio board ------------------------------------
    R("reviews:list", "GET", "/portfolio/reviews/", SIGNED_IN),
    R("reviews:recompute", "POST", "/portfolio/reviews/recompute/", MANAGERS, 302),
    R("reviews:detail", "GET", "/portfolio/reviews/{review}/", SIGNED_IN),
    R("reviews:decide", "POST", "/portfolio/reviews/{review}/items/{review_item_a}/decide/", MANAGERS, 302),
    R("reviews:accept_all", "POST", "/portfolio/reviews/{review}/accept-all/", MANAGERS, 302),
    R("reviews:close", "POST", "/portfolio/reviews/{review}/close/", MANAGERS, 302),
    R("reviews:export", "GET", "/portfolio/reviews/{review}/export.csv", SIGNED_IN),
    R("reviews:board", "GET", "/portfolio/board/", SIGNED_IN),
    R("reviews:reassign", "POST", "/portfolio/board/reassign/", MANAGERS, 422),
    R("reviews:rebalance", "POST", "/portfolio/board/rebalance/", MANAGERS, 302),
    R("reviews:board_export", "GET", "/portfolio/board/export.csv", SIGNED_IN),
    R("api:portfolio_summary", "GET", "/api/portfolio/summary", SIGNED_IN),
    R("api:portfolio_accounts", "GET", "/api/portfolio/accounts", SIGNED_IN),
    R("api:portfolio_account", "GET", "/api/portfolio/accounts/{a}", SEES_A),
    R("api:portfolio_account", "GET", "/api/portfolio/accounts/{a1}", SEES["a1"]),
    R("api:portfolio_accounts", "GET", "/api/portfolio/accounts?scope=entity", SIGNED_IN,
      lists_all_visible=True),
    R("api:portfolio_models", "GET", "/api/portfolio/models", SIGNED_IN),
    R("api:portfolio_recompute", "POST", "/api/portfolio/recompute", MANAGERS),
    R("api:review_list", "GET", "/api/reviews", SIGNED_IN),
    R("api:review_list", "POST", "/api/reviews", MANAGERS, 201),
    R("api:review_detail", "GET", "/api/reviews/{review}", SIGNED_IN),
    R("api:review_decision", "POST", "/api/reviews/items/{review_item_a}/decision", MANAGERS,
      data={"accept": True}),
    R("api:board_loads", "GET", "/api/reviews/board/loads", SIGNED_IN),
]  # fmt: skip


def world(company) -> tuple[dict, dict]:
    """The company's ledger, a contact per account, an import job, a saved column mapping,
    the owner's API token and an open key-account review."""
    from openkam.accounts.tests.factories import build_ledger
    from openkam.core.models import Job
    from openkam.ingest.models import ColumnMapping
    from openkam.stakeholders.services import contact_create
    from openkam.users.models import Deputy
    from openkam.users.tokens import api_token_create

    invoices = build_ledger(company)
    contacts = {
        key: contact_create(actor=company["head"], account=company[key], last_name=f"Kontakt{key}")
        for key in ("a", "b", "c")
    }
    api_token_create(user=company["owner"], name="owner's script")
    job = Job.objects.create(
        kind="import",
        title="Import Accounts: kontrahenci-2026-11.csv",
        params={"kind": "accounts", "file_name": "kontrahenci-2026-11.csv"},
        created_by=company["head"],
    )
    column_mapping = ColumnMapping.objects.create(
        source="erp", kind="invoices", mapping={"Nr": "-"}
    )
    review = _scored_review(company)
    ids = {
        "scoring_model": review.scoring_model_id,
        "review": review.pk,
        "review_item_a": review.items.get(account=company["a"]).pk,
        "a": company["a"].pk,
        "a1": company["a1"].pk,
        "contact_a": contacts["a"].pk,
        "invoice_a": invoices["a_now"].pk,
        "job": job.pk,
        "column_mapping": column_mapping.pk,
        "deputy_row": Deputy.objects.get(deputy=company["deputy"]).pk,
        "owner_token": company["owner"].api_tokens.get().pk,
    }
    secrets = {
        key: {company[key].name}
        | {c.last_name for c in contacts.values() if c.account_id == company[key].pk}
        | {i.number for i in invoices.values() if i.account_id == company[key].pk}
        for key in SEES
    }
    return ids, secrets


def _scored_review(company):
    """A scoring model, a recompute and an open key-account review over the company."""
    from openkam.portfolio.models import ScoringCriterion, ScoringModel
    from openkam.portfolio.recompute import recompute_portfolio
    from openkam.portfolio.reviews.services import review_create

    model = ScoringModel.objects.create(name="Revenue only")
    ScoringCriterion.objects.create(
        scoring_model=model, criterion="revenue_potential", weight=1, metric="revenue"
    )
    recompute_portfolio(today=company["today"])
    return review_create(actor=company["head"], scoring_model=model)
