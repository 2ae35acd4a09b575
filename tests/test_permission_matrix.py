"""The permission matrix: every page and API route, for every persona, with no leak.

One row per route and method in ROUTES. A row says who may use it; everyone else gets
what a stranger gets:

- anonymous: pages redirect to the login page, the API answers 401;
- a persona in `ok`: the row's `status` (200, or 302 after a form post);
- a read-only persona (finance, viewer) that sees the record but may not change it:
  the row's `read_only` status (404 on pages, 403 on the API);
- anybody else: 404, the same answer as for a record that does not exist.

Every response, whatever its status, must not contain the name, contact or invoice
number of an account the persona may not see. A denied write must not write anything.

`test_every_route_is_in_the_matrix` fails when a new URL pattern has no row: adding a
route means adding a line here.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver
from matrix_rows import (
    ACCOUNT_FORM,
    EDITS_A,
    IMPORTERS,
    MANAGERS,
    PERSONAS,
    SEES,
    SEES_A,
    SIGNED_IN,
    R,
    Route,
)
from matrix_rows import activities as activity_rows
from matrix_rows import plans as plan_rows
from matrix_rows import stakeholders as stakeholder_rows
from matrix_rows import workspace as workspace_rows

from openkam.accounts.tests.factories import bearer, build_ledger
from openkam.core.models import AuditEntry, Job
from openkam.ingest.models import ColumnMapping
from openkam.stakeholders.services import contact_create

AREAS = (plan_rows, stakeholder_rows, activity_rows, workspace_rows)

ROUTES = [
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
ROUTES += [route for area in AREAS for route in area.ROUTES]

# Routes that hold no account data, each with the reason it is outside the matrix.
EXEMPT = {
    "login": "the login form itself",
    "logout": "ends the session; no data",
    "set_language": "stores the language choice; no data",
    "api:openapi-json": "the API description, no records",
    "api:openapi-view": "the API documentation page, no records",
    "api:api-root": "the API index, no records",
    "ingest:map": "a pending upload lives in its uploader's session, so its address is 404 "
    "to everyone else; importers only, tested in ingest/tests/test_saved_mappings.py",
}
# Django admin has its own staff checks; "moved:" redirects are tested below.
EXEMPT_PREFIXES = ("admin:", "admin/", "static/", "moved:")


@pytest.fixture
def world(company):
    """The company, its ledger, a contact per account, an import job and a token."""
    from openkam.users.models import Deputy
    from openkam.users.tokens import api_token_create

    invoices = build_ledger(company)
    contacts = {
        key: contact_create(actor=company["head"], account=company[key], last_name=f"Kontakt{key}")
        for key in ("a", "b", "c")
    }
    api_token_create(user=company["owner"], name="owner's script")
    job = Job.objects.create(kind="import", title="accounts.csv", created_by=company["head"])
    column_mapping = ColumnMapping.objects.create(source="erp", kind="invoices", mapping={"Nr": "-"})
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
    for area in AREAS:
        area_ids, area_secrets = area.world(company)
        ids.update(area_ids)
        for key, words in area_secrets.items():
            secrets[key] |= set(words)
    return {"company": company, "ids": ids, "secrets": secrets}


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


def _request(client, route: Route, persona: str, world):
    company = world["company"]
    path = route.path.format(**world["ids"])
    headers = {}
    if persona != "anonymous":
        if route.is_api:
            headers = bearer(company[persona])
        else:
            client.force_login(company[persona])
    if route.method == "GET":
        return client.get(path, headers=headers)
    if route.is_api:
        return client.generic(
            route.method, path, _json(route.data), content_type="application/json", **_meta(headers)
        )
    return client.post(path, route.data, headers=headers)


def _json(data: dict) -> str:
    import json

    return json.dumps(data)


def _meta(headers: dict) -> dict:
    return {f"HTTP_{name.upper()}": value for name, value in headers.items()}


def _route_id(route: Route) -> str:
    return f"{route.method} {route.path}"


def _text(response) -> str:
    """The body as text; exports stream and may be binary (xlsx): keep what decodes."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode(errors="ignore")


def _leaked(body: str, persona: str, world) -> set[str]:
    return {
        secret
        for key, who in SEES.items()
        if persona not in who
        for secret in world["secrets"][key]
        if secret in body
    }


def _check_cell(route: Route, persona: str, world) -> list[str]:
    """One cell of the matrix: the status the row promises and, whatever the status,
    not a word about the accounts the persona may not see. Returns what went wrong."""
    writes_before = AuditEntry.objects.count()
    response = _request(Client(), route, persona, world)
    expected = route.expected(persona)
    problems = []
    if response.status_code != expected:
        problems.append(f"{persona}: status {response.status_code}, expected {expected}")
    elif expected == 302 and persona == "anonymous":
        if not response["Location"].startswith("/login/"):
            problems.append(f"{persona}: redirected to {response['Location']}, not to /login/")
    if route.writes and persona not in route.ok and AuditEntry.objects.count() != writes_before:
        problems.append(f"{persona}: a denied write wrote something")
    leaked = _leaked(_text(response), persona, world)
    if leaked:
        problems.append(f"{persona}: leaked {sorted(leaked)}")
    return problems


# One test per row, every persona in turn on the same world. Each persona's request runs
# in a savepoint that is rolled back, so a write by one persona never changes what the
# next one meets (and the world is built once per row, not once per cell).
@pytest.mark.parametrize("route", ROUTES, ids=[_route_id(r) for r in ROUTES])
def test_route_answers_every_persona_and_leaks_nothing(world, route):
    problems = []
    for persona in PERSONAS:
        with transaction.atomic():
            problems += _check_cell(route, persona, world)
            transaction.set_rollback(True)
    assert problems == []


LISTS = [r for r in ROUTES if r.lists_all_visible]
LIST_CASES = [(route, persona) for route in LISTS for persona in sorted(SIGNED_IN)]


@pytest.mark.parametrize(
    "route,persona", LIST_CASES, ids=[f"{_route_id(r)} as {p}" for r, p in LIST_CASES]
)
def test_list_names_every_visible_account(client, world, route, persona):
    body = _text(_request(client, route, persona, world))
    company = world["company"]
    missing = {company[key].name for key, who in SEES.items() if persona in who} - {
        name for name in (company[key].name for key in SEES) if name in body
    }
    assert missing == set()


def _url_names(patterns, namespaces=(), prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            space = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _url_names(pattern.url_patterns, space, prefix + str(pattern.pattern))
        elif pattern.name:
            yield ":".join((*namespaces, pattern.name))
        else:
            yield prefix + str(pattern.pattern)


def test_every_route_is_in_the_matrix():
    covered = {route.name for route in ROUTES} | set(EXEMPT)
    uncovered = {
        name
        for name in _url_names(get_resolver().url_patterns)
        if name not in covered and not name.startswith(EXEMPT_PREFIXES)
    }
    assert uncovered == set(), "add a row to ROUTES (or a reasoned entry to EXEMPT)"


def test_matrix_rows_name_real_routes():
    known = set(_url_names(get_resolver().url_patterns))
    assert {route.name for route in ROUTES} - known == set()


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - SEES["b"]))
def test_account_search_does_not_find_invisible_accounts(client, world, persona):
    response = _request(client, R("accounts:list", "GET", "/accounts/?q=Beta", SIGNED_IN),
                        persona, world)  # fmt: skip
    assert "Beta Trade" not in response.content.decode()


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - SEES["b"]))
def test_api_search_does_not_find_invisible_accounts(client, world, persona):
    response = _request(client, R("api:account_list", "GET", "/api/accounts?q=Beta", SIGNED_IN),
                        persona, world)  # fmt: skip
    assert response.json() == {"items": [], "count": 0}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/planner/?week=2026-11-16", "/activities/planner/?week=2026-11-16"),
        ("/reviews/7/", "/portfolio/reviews/7/"),
        ("/board/", "/portfolio/board/"),
        ("/invoices/12/", "/ledger/invoices/12/"),
        ("/me/calendar/", "/activities/calendar/"),
    ],
)
def test_a_bookmark_of_a_moved_page_redirects_to_its_new_address(client, old, new):
    # The redirect says nothing about the record: the new address applies the access rule.
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, new)
