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
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver
from matrix_rows import PERSONAS, SEES, SIGNED_IN, R, Route
from matrix_rows.world import ROUTES, build_world

from openkam.accounts.tests.factories import bearer
from openkam.core.models import AuditEntry

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
# Django admin has its own staff checks; "moved-" redirects are tested below.
EXEMPT_PREFIXES = ("admin:", "admin/", "static/", "moved-")


@pytest.fixture(scope="module")
def world_kept(company_kept, django_db_blocker, tmp_path_factory):
    """The company and every area's records (tests/matrix_rows/world.py), built once for
    the module's 700-odd tests (it took about a second and a half per test); files (a
    contract's) land in a temporary MEDIA_ROOT, not in the project's var/."""
    media = tmp_path_factory.mktemp("matrix-media")
    with override_settings(MEDIA_ROOT=media):
        with django_db_blocker.unblock():
            world = build_world(company_kept)
        yield world


@pytest.fixture
def world(world_kept, db):
    """Each test in its own transaction, rolled back after it: what one route writes
    never reaches the next test."""
    return world_kept


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


def test_the_system_checks_raise_no_warning():
    # e.g. a URL name with a colon (urls.W003) makes `kam serve` print warnings at start.
    from django.core.checks import run_checks

    assert run_checks() == []
