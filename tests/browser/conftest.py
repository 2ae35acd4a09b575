"""End-to-end fixtures: the live Django server driven by Debian's headless Chromium.

Skip policy: without a Chromium executable the browser tests skip with the reason, so
a laptop without Chromium still runs the rest of the suite. With KAM_REQUIRE_BROWSER=1
(set by .ci/run in CI) a missing Chromium is a failure instead: CI must never pass by
skipping. KAM_CHROMIUM names the executable explicitly.

Browsers are never downloaded (`playwright install` is not used): Playwright's Python
package only drives the Chromium the system provides.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .data import add_sales

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_CHROMIUM = "/usr/bin/chromium"
# Generous for a cold Chromium on a loaded CI machine, short enough that a broken page
# fails in seconds rather than minutes. Passing tests take about one second each.
TIMEOUT_MS = 10_000
# How long a test's teardown waits for the live server to finish requests still in flight.
REQUEST_DRAIN_SECONDS = 10.0


def find_chromium() -> tuple[str | None, str]:
    """The Chromium executable to use, or None and why none was found."""
    override = os.environ.get("KAM_CHROMIUM")
    if override:
        path = shutil.which(override)
        if path:
            return path, ""
        return None, f"KAM_CHROMIUM={override!r} is not an executable file"
    for candidate in (shutil.which("chromium"), DEFAULT_CHROMIUM):
        if candidate and os.access(candidate, os.X_OK):
            return candidate, ""
    return None, (
        "no Chromium found (looked for `chromium` on PATH and /usr/bin/chromium; "
        "install Debian's `chromium` package or set KAM_CHROMIUM)"
    )


def browser_required() -> bool:
    return os.environ.get("KAM_REQUIRE_BROWSER", "").strip() == "1"


@pytest.fixture(scope="package")
def chromium_executable() -> str:
    path, reason = find_chromium()
    if path is None:
        if browser_required():
            pytest.fail(f"KAM_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="package")
def browser(chromium_executable):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)

    # Playwright's sync API keeps an asyncio loop marked as running in this thread, and
    # Django refuses ORM calls while a loop runs. The tests' ORM calls are ordinary
    # synchronous code, so allow them, but only while Playwright is alive: the flag is
    # restored when the last browser test of this package is done.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class PageProblems:
    """What went wrong on the page besides what a test looks at."""

    js_errors: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(browser, live_server, page_problems) -> Iterator:
    """A fresh browser context (no cookies) per test, confined to the live server."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1366, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(TIMEOUT_MS)
    server_host = urlsplit(live_server.url).netloc

    def only_local(route):
        # Every script and stylesheet must come from our own server (from PyPI
        # packages), never from a CDN; a request elsewhere is recorded and refused.
        if urlsplit(route.request.url).netloc == server_host:
            route.continue_()
        else:
            page_problems.external_requests.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    new_page = context.new_page()
    new_page.on("pageerror", lambda error: page_problems.js_errors.append(str(error)))
    new_page.on(
        "response",
        lambda response: (
            page_problems.failed_responses.append(f"{response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    yield new_page
    context.close()
    wait_for_requests_in_flight()


def wait_for_requests_in_flight() -> None:
    """Let the live server finish the requests the closed page left behind.

    The live server lives for the whole session and answers each request in its own
    thread. A page closed while its lazy panels were still loading leaves such threads
    reading the database; the test's flush then fails on a locked table, and the next
    test starts on the previous test's rows. The threads are named after their target.
    """
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(REQUEST_DRAIN_SECONDS)


@pytest.fixture
def login(page):
    """Log in through the real login form, as a person would."""

    def log_in(username: str, password: str | None = None) -> None:
        response = page.goto("/login/")
        assert response.ok, f"the login page answered {response.status}"
        page.fill("#id_username", username)
        page.fill("#id_password", password or "pw-" + username)
        with page.expect_navigation():
            page.click("form button[type=submit]")
        assert "/login/" not in page.url, f"login as {username!r} failed: still on {page.url}"

    return log_in


@pytest.fixture
def shot(page):
    """Save a full-page screenshot when KAM_BROWSER_SHOTS names a folder (for eyes)."""

    def take(name: str) -> Path | None:
        folder = os.environ.get("KAM_BROWSER_SHOTS")
        if not folder:
            return None
        path = Path(folder) / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def sales(live_server, company):
    """The personas' company with invoices: Alfa in several months, Beta in one.

    Requesting live_server makes pytest-django give `company` a transactional database,
    so the server thread sees the committed rows.
    """
    return {**company, **add_sales(company)}
