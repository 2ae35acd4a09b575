"""No input makes the application answer 5xx (property-based, with hypothesis).

Every URL pattern (django.urls.get_resolver) and every API operation (the OpenAPI
description) gets requests with random values of each parameter's type, as a signed-in
KAM and as a head: huge and negative integers, odd dates (0001-01-01, 9999-12-31), long and
unicode text, empty values, files with long names, broken JSON; in the path, the query and
the body. Each value is either one that makes sense (the permission matrix's records,
the options a form offers) or an odd one, so requests get past the first check to the
services and the database behind it. Writes are kept, and at the end every page and list
is read again: a bad value that was stored must not break a page later.

What the routes take is found, not listed here: path converters from the URL patterns,
form fields from the pages' own forms, query parameters from the code that reads them
(`GET.get("...")`, `params.get("...")`) and from the matrix rows, API parameters and bodies
from the OpenAPI description.

Bounded in time for CI: `EXAMPLES` requests per route and persona, no shrinking. The
machinery is in tests/fuzzing/: `targets.py` (what the routes take) and `requests.py`.
"""

from __future__ import annotations

import logging
import re
import time
from collections import defaultdict
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import Resolver404, resolve
from fuzzing.requests import (
    PERSONAS,
    Request,
    Sender,
    api_edges,
    api_requests,
    fuzz,
    page_edges,
    page_requests,
)
from fuzzing.targets import (
    Field,
    Forms,
    FromSchema,
    Operation,
    Page,
    api_operations,
    query_names,
    url_patterns,
)
from matrix_rows.world import ROUTES, build_world

SKIPPED = {"admin/": "Django's own admin, for staff: its forms and checks are Django's"}
# Routes that change or remove the matrix's records go last, so the others meet them.
LAST = re.compile(r"delete|remove|revoke|_end|forget|close|accept_all|reassign|logout")

# --- the test -------------------------------------------------------------------------


def _pages(world) -> dict[str, Page]:
    pages = {}
    for pattern, name in url_patterns():
        if not pattern.startswith(("api/", *SKIPPED)):
            pages.setdefault(name, Page(name, pattern))
    for route in ROUTES:
        if route.is_api:
            continue
        url = urlsplit(route.path.format(**world["ids"]))
        match = resolve(url.path)
        page = pages[match.view_name]
        page.methods.add(route.method)
        page.real = page.real or {k: str(v) for k, v in match.kwargs.items()}
        if url.query:
            page.queries.append(dict(parse_qsl(url.query)))
        for key, value in route.data.items():
            page.fields.setdefault(key, Field()).samples.add(str(value))
    return pages


def _read_forms(sender: Sender, pages: dict[str, Page], world) -> None:
    """Every page's own forms, as each persona meets them: which fields each route takes."""
    for route in ROUTES:
        if route.is_api or route.method != "GET":
            continue
        for persona in PERSONAS:
            path = route.path.format(**world["ids"])
            url = urlsplit(path)
            response = sender.send(Request(persona, "GET", url.path, parse_qsl(url.query)))
            if response is None or "html" not in response.get("Content-Type", ""):
                continue
            parser = Forms()
            parser.feed(response.content.decode(errors="ignore"))
            for action, method, fields in parser.forms:
                try:
                    target = resolve(urlsplit(action).path or url.path).view_name
                except Resolver404:
                    continue
                if target in pages:
                    page = pages[target]
                    page.methods.add(method if method == "POST" else "GET")
                    kept = page.fields if method == "POST" else page.filters
                    for name, found in fields.items():
                        kept.setdefault(name, Field(found.kind)).samples |= found.samples


def _operations(world) -> list[Operation]:
    from openkam.api import api

    operations = api_operations(api.get_openapi_schema())
    by_name = defaultdict(list)
    for operation in operations:
        by_name[operation.name].append(operation)
    for route in ROUTES:
        if not route.is_api:
            continue
        url = urlsplit(route.path.format(**world["ids"]))
        match = resolve(url.path)
        for operation in by_name[match.view_name]:
            operation.real = operation.real or {k: str(v) for k, v in match.kwargs.items()}
            if operation.method == route.method:
                operation.data = operation.data or dict(route.data)
    return operations


def _sweep(sender: Sender, world) -> None:
    """Every page and list read again: nothing stored on the way may break one."""
    for route in ROUTES:
        if route.method == "GET":
            url = urlsplit(route.path.format(**world["ids"]))
            for persona in PERSONAS:
                api = route.is_api
                sender.send(Request(persona, "GET", url.path, parse_qsl(url.query), is_api=api))


def test_no_input_gets_a_server_error(company, settings, tmp_path, caplog):
    from openkam.api import api

    settings.MEDIA_ROOT = tmp_path  # uploads land here, not in the project's var/
    caplog.set_level(logging.ERROR, logger="django.request")  # 404s are expected,
    caplog.set_level(logging.CRITICAL, logger="django.security")  # and 400s
    started = time.monotonic()
    world = build_world(company)
    sender = Sender(company)
    pages = _pages(world)
    _read_forms(sender, pages, world)
    print(f"world and forms: {time.monotonic() - started:.1f} s")
    names = sorted(query_names())
    operations = _operations(world)
    schemas = FromSchema(api.get_openapi_schema()["components"]["schemas"])
    work = [(page.name, page) for page in pages.values()]
    work += [(operation.name, operation) for operation in operations]
    work.sort(key=lambda item: bool(LAST.search(item[0])))
    for persona in PERSONAS:
        for _name, target in work:
            if isinstance(target, Page):
                edges = page_edges(target, persona)
                strategy = page_requests(target, persona, names)
            else:
                edges = api_edges(target, persona, schemas)
                strategy = api_requests(target, persona, schemas)
            for request in edges:
                sender.send(request)
            fuzz(sender, strategy)
    _sweep(sender, world)
    elapsed = time.monotonic() - started
    print(f"{sender.count} requests to {len(work)} routes in {elapsed:.1f} s")
    assert sender.failures == [], "\n\n".join(sender.failures[:30])


@pytest.mark.parametrize("prefix", sorted(SKIPPED))
def test_skipped_prefixes_exist(prefix):
    # A reasoned exception must not outlive the routes it was made for.
    assert any(pattern.startswith(prefix) for pattern, _ in url_patterns())
