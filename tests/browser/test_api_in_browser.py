"""The JSON API as a browser meets it: its docs page, and scripts on our pages calling it
with the session cookie (reads) and the CSRF token (writes)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Runs in the page: calls the API with the session cookie, optionally with the CSRF
# token the base template hands to htmx, and returns the status and the JSON body.
CALL_API = """async ({method, url, body, withToken}) => {
    const headers = {'Content-Type': 'application/json'};
    if (withToken) {
        headers['X-CSRFToken'] = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken'];
    }
    const response = await fetch(url, {method, headers, body: body && JSON.stringify(body),
                                       credentials: 'same-origin'});
    return {status: response.status, json: await response.json().catch(() => null)};
}"""


def call_api(page, method: str, url: str, body=None, *, with_token: bool = False) -> dict:
    return page.evaluate(
        CALL_API, {"method": method, "url": url, "body": body, "withToken": with_token}
    )


def test_api_docs_render_from_our_own_server(page, login, company, page_problems):
    login("owner")
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("OpenKAM API")
    assert page_problems.external_requests == []
    assert page_problems.js_errors == []


def test_page_script_reads_only_the_kams_own_accounts(page, login, company):
    login("owner")
    page.goto("/accounts/")
    answer = call_api(page, "GET", "/api/accounts")
    assert answer["status"] == 200
    names = [item["name"] for item in answer["json"]["items"]]
    assert names == ["Alfa Hurt S.A.", "Alfa Logistyka Sp. z o.o."]


def test_page_script_change_without_the_csrf_token_is_refused(page, login, company):
    login("owner")
    page.goto("/accounts/")
    url = f"/api/accounts/{company['a'].pk}"
    answer = call_api(page, "PATCH", url, {"city": "Opole"})
    assert answer["status"] == 403
    company["a"].refresh_from_db()
    assert company["a"].city == ""


def test_page_script_change_with_the_csrf_token_is_saved(page, login, company):
    login("owner")
    page.goto("/accounts/")
    url = f"/api/accounts/{company['a'].pk}"
    answer = call_api(page, "PATCH", url, {"city": "Opole"}, with_token=True)
    assert (answer["status"], answer["json"]["city"]) == (200, "Opole")
    company["a"].refresh_from_db()
    assert company["a"].city == "Opole"
