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

Bounded in time for CI: `EXAMPLES` requests per route and persona, no shrinking.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as run_settings
from hypothesis import strategies as st
from matrix_rows.world import ROUTES, build_world

from openkam.accounts.tests.factories import bearer

# Random requests per route and persona; KAM_FUZZ_EXAMPLES=50 explores longer locally.
EXAMPLES = int(os.environ.get("KAM_FUZZ_EXAMPLES", "3"))
# In CI the same examples every run (a submission lands or not on its own merits); on a
# developer's machine new ones every run, to keep finding what nobody thought of.
DERANDOMIZE = os.environ.get("CI") == "true"
PERSONAS = ("owner", "head")  # a KAM who works account A, and the head of key accounts
SKIPPED = {"admin/": "Django's own admin, for staff: its forms and checks are Django's"}
# Routes that change or remove the matrix's records go last, so the others meet them.
LAST = re.compile(r"delete|remove|revoke|_end|forget|close|accept_all|reassign|logout")
SRC = Path(__file__).resolve().parents[1] / "src" / "openkam"

# --- values ---------------------------------------------------------------------------

ODD_INTS = [0, -1, 1, 7, 2**31, 2**63 - 1, 2**63, 2**64, 10**30, -(2**63) - 1]
ODD_DAYS = [
    "0001-01-01", "9999-12-31", "1899-12-31", "1900-01-01", "2999-12-31", "3000-01-01",
    "2026-02-30", "2026-13-01", "20261202", "2026-12-02",
]  # fmt: skip
ODD_MOMENTS = [f"{day}T00:00" for day in ODD_DAYS] + [
    "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "2026-12-02T10:00:00Z",
    "2026-12-02 10:00",
]  # fmt: skip
ODD_TEXTS = [
    "",
    " ",
    "x" * 60_000,
    "ż" * 300,
    "Ж" * 5000,
    "\u202e",
    "%",
    "' OR 1=1 --",
    "-0",
    "1e400",
]

characters = st.characters(codec="utf-8", exclude_categories=["Cs"])
texts = st.sampled_from(ODD_TEXTS) | st.text(characters, max_size=30)
ints = st.sampled_from(ODD_INTS) | st.integers()
days = st.sampled_from(ODD_DAYS) | st.dates().map(str)
moments = st.sampled_from(ODD_MOMENTS) | st.datetimes().map(lambda d: d.isoformat())
odd = st.one_of(ints.map(str), texts, days, moments)


def numbers_or(real) -> st.SearchStrategy:
    """An id in a path or a form: the record's own most of the time, else any number."""
    return st.just(str(real)) | ints.map(str) if real is not None else ints.map(str) | texts


# --- what the routes take -------------------------------------------------------------


PLAUSIBLE = {
    "date": "2026-12-02",
    "datetime-local": "2026-12-02T10:00",
    "number": "1",
    "checkbox": "on",
}


@dataclass
class Field:
    kind: str = "text"  # an <input> type, "select", "textarea"
    samples: set[str] = field(default_factory=set)

    def plausible(self) -> st.SearchStrategy:
        """What a person would send: what the form offers, else a value of its kind."""
        options = sorted(value for value in self.samples if value)
        if options:
            return st.sampled_from(options)
        return st.just(PLAUSIBLE.get(self.kind, "fuzz"))

    def first(self) -> str:
        """The plausible value the edge requests send alongside the one at the edge."""
        options = sorted(value for value in self.samples if value)
        return options[0] if options else PLAUSIBLE.get(self.kind, "fuzz")

    def odd(self) -> st.SearchStrategy:
        by_kind = {
            "date": days,
            "datetime-local": moments,
            "number": ints.map(str) | texts,
            "checkbox": st.sampled_from(["on", "", "0", "true"]) | texts,
        }.get(self.kind, odd)
        return by_kind | odd


@dataclass
class Page:
    """A URL pattern of a page: how to fill its path, and what it may be sent."""

    name: str
    pattern: str
    methods: set[str] = field(default_factory=lambda: {"GET"})
    real: dict[str, str] = field(default_factory=dict)
    queries: list[dict[str, str]] = field(default_factory=list)
    filters: dict[str, Field] = field(default_factory=dict)  # its GET forms' fields
    fields: dict[str, Field] = field(default_factory=dict)  # its POST forms' fields

    def params(self) -> list[tuple[str, str]]:
        """(name, what it is) of the path's parameters: a converter or a regex."""
        groups = re.findall(REGEX_GROUP, self.pattern)
        plain = re.sub(REGEX_GROUP, "", self.pattern)
        found = [(name, kind or "str") for kind, name in re.findall(CONVERTER, plain)]
        return found + groups

    def path(self, values: dict[str, str]) -> str:
        def value(name: str) -> str:
            return quote(values[name], safe="")

        path = re.sub(REGEX_GROUP, lambda match: value(match[1]), self.pattern)
        path = re.sub(CONVERTER, lambda match: value(match[2]), path)
        return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


REGEX_GROUP = r"\(\?P<(\w+)>([^)]*)\)"  # re_path: (?P<pk>\d+)
CONVERTER = r"<(?:(\w+):)?(\w+)>"  # path: <id:pk>


def url_patterns(patterns=None, prefix="", namespaces=()):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            space = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from url_patterns(pattern.url_patterns, text, space)
        else:
            yield text, ":".join((*namespaces, pattern.name or text))


def query_names() -> set[str]:
    """The query parameters the code reads, and those the matrix rows send."""
    code = "\n".join(p.read_text() for p in SRC.rglob("*.py") if "tests" not in p.parts)
    names = set(re.findall(r"""(?:GET|params)\.get(?:list)?\(\s*["'](\w+)["']""", code))
    for route in ROUTES:
        names |= {key for key, _ in parse_qsl(urlsplit(route.path).query)}
    return names


class Forms(HTMLParser):
    """The forms of a page: (action, method, {field name: Field})."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, str, dict[str, Field]]] = []
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action, method = attrs.get("action") or "", (attrs.get("method") or "get").upper()
            self.forms.append((action, method, {}))
        elif tag in ("input", "select", "textarea", "button") and self.forms:
            name = attrs.get("name")
            if not name:
                return
            kind = attrs.get("type", tag) if tag == "input" else tag
            found = self.forms[-1][2].setdefault(name, Field(kind))
            if attrs.get("value"):
                found.samples.add(attrs["value"])
            self.select = name if tag == "select" else None
        elif tag == "option" and self.select and self.forms and attrs.get("value") is not None:
            self.forms[-1][2][self.select].samples.add(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


# --- the API's operations -------------------------------------------------------------


@dataclass
class Operation:
    name: str  # URL name, to find the matrix's records
    method: str
    template: str  # /api/plans/{plan_id}
    parameters: list[dict]
    body: dict | None
    real: dict[str, str] = field(default_factory=dict)
    data: dict = field(default_factory=dict)


def api_operations(schema: dict) -> list[Operation]:
    operations = []
    for template, methods in schema["paths"].items():
        probe = re.sub(r"{(\w+)}", "1", template)
        name = resolve(probe).view_name
        for method, spec in methods.items():
            body = (spec.get("requestBody", {}).get("content", {}).get("application/json", {})).get(
                "schema"
            )
            operations.append(
                Operation(name, method.upper(), template, spec.get("parameters", []), body)
            )
    return operations


class FromSchema:
    """Hypothesis strategies for values of an OpenAPI (JSON) schema, odd ones included."""

    def __init__(self, components: dict):
        self.components = components

    def resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def __call__(self, schema: dict, valid=None, depth: int = 0) -> st.SearchStrategy:
        if "$ref" in schema:
            return self(self.resolve(schema), valid, depth)
        if "anyOf" in schema or "oneOf" in schema:
            options = schema.get("anyOf") or schema.get("oneOf")
            return st.one_of([self(option, valid, depth) for option in options])
        if "allOf" in schema:
            return self(schema["allOf"][0], valid, depth)
        known = st.just(valid) if valid is not None else st.nothing()
        return st.one_of(known, known, self._typed(schema, valid, depth), self._odd(depth))

    def _typed(self, schema: dict, valid, depth: int) -> st.SearchStrategy:
        kind = schema.get("type")
        if "enum" in schema:
            return st.sampled_from(schema["enum"])
        if kind == "integer":
            return ints
        if kind == "number":
            return ints | st.floats(allow_nan=False, allow_infinity=False)
        if kind == "boolean":
            return st.booleans()
        if kind == "string":
            return {"date": days, "date-time": moments}.get(schema.get("format"), texts)
        if kind == "array":
            return st.lists(self(schema.get("items", {}), None, depth + 1), max_size=4)
        if kind == "object" or "properties" in schema:
            valid = valid if isinstance(valid, dict) else {}
            properties = schema.get("properties", {})
            required = set(schema.get("required", ())) | set(valid)
            return st.fixed_dictionaries(
                {
                    k: self(p, valid.get(k), depth + 1)
                    for k, p in properties.items()
                    if k in required
                },
                optional={
                    k: self(p, None, depth + 1) for k, p in properties.items() if k not in required
                },
            )
        return self._odd(depth)

    def _odd(self, depth: int) -> st.SearchStrategy:
        plain = st.one_of(ints, texts, days, st.booleans(), st.none())
        if depth > 1:
            return plain
        return plain | st.lists(plain, max_size=3) | st.dictionaries(texts, plain, max_size=3)


# --- requests -------------------------------------------------------------------------


@dataclass
class Request:
    persona: str
    method: str
    path: str
    query: list[tuple[str, str]]
    body: object = None
    files: dict = field(default_factory=dict)
    is_api: bool = False

    def __str__(self) -> str:
        body = self.body if isinstance(self.body, str) else repr(self.body)
        files = {k: (f.name, f.size) for k, f in self.files.items()}
        url = self.path + ("?" + urlencode(self.query) if self.query else "")
        return f"{self.persona}: {self.method} {url[:500]} body={body[:500]} files={files}"


def page_requests(page: Page, persona: str, names: list[str]) -> st.SearchStrategy:
    @st.composite
    def build(draw):
        values = {}
        for name, kind in page.params():
            real = page.real.get(name)
            if kind in ("id", "int") or kind.startswith("\\d"):
                values[name] = draw(numbers_or(real))
            elif "|" in kind and "(" not in kind:
                values[name] = draw(st.sampled_from(kind.split("|")) | texts)
            else:
                values[name] = draw(st.just(real) | texts if real is not None else texts)
        # The page's own query (a matrix row's, its filter form's), each value plausible
        # or odd, and a couple of other parameters the code reads anywhere.
        known = draw(st.sampled_from(page.queries or [{}]))
        own = {name: Field(samples={value}) for name, value in known.items()} | page.filters
        query = [
            (name, draw(found.odd() | found.plausible()))
            for name, found in sorted(own.items())
            if draw(st.booleans())
        ]
        for name in draw(st.lists(st.sampled_from(names), max_size=2, unique=True)):
            query.append((name, draw(odd)))
        method = draw(st.sampled_from(sorted(page.methods)))
        body, files = {}, {}
        if method == "POST" and page.fields:
            # Either one odd value among plausible ones (it gets past the form to the
            # service and the database), or odd values anywhere, some fields left out.
            odd_one = draw(st.sampled_from(sorted(page.fields)) | st.none())
            for name, found in sorted(page.fields.items()):
                if found.kind == "file":
                    files[name] = draw(uploads)
                elif odd_one is not None:
                    body[name] = draw(found.odd() if name == odd_one else found.plausible())
                elif draw(st.integers(0, 3)):
                    body[name] = draw(found.odd() | found.plausible())
        return Request(
            persona, method, page.path({k: str(v) for k, v in values.items()}), query, body, files
        )

    return build()


@st.composite
def _upload(draw):
    stem = draw(st.text(characters, min_size=1, max_size=300))
    suffix = draw(st.sampled_from([".csv", ".xlsx", ".xls", ".vcf", ".txt", ""]))
    content = draw(
        st.sampled_from([b"", b"BEGIN:VCARD\r\nEND:VCARD\r\n", b"PK\x03\x04broken", b"a;b\n1;2\n"])
        | st.binary(max_size=200)
    )
    return SimpleUploadedFile(stem + suffix, content)


uploads = _upload()


def api_requests(operation: Operation, persona: str, schemas: FromSchema) -> st.SearchStrategy:
    @st.composite
    def build(draw):
        values, query = {}, []
        for parameter in operation.parameters:
            name, where = parameter["name"], parameter["in"]
            if where == "path":
                values[name] = draw(numbers_or(operation.real.get(name)))
            elif where == "query" and (parameter.get("required") or draw(st.booleans())):
                value = draw(schemas(parameter.get("schema", {})))
                values_list = value if isinstance(value, list) else [value]
                query += [
                    (name, json.dumps(v) if isinstance(v, dict) else str(v)) for v in values_list
                ]
        body = None
        if operation.body is not None:
            properties = schemas.resolve(operation.body).get("properties", {})
            if properties and draw(st.booleans()):
                # One odd value among the matrix's plausible ones: past the schema's
                # checks to the service and the database.
                data = dict(operation.data)
                name = draw(st.sampled_from(sorted(properties)))
                data[name] = draw(schemas(properties[name]))
                body = json.dumps(data)
            else:
                raw = st.sampled_from(["", "{", "null", "[]", '"x"', '{"a": 1e999}'])
                data = schemas(operation.body, operation.data).map(json.dumps)
                body = draw(data | data | raw)
        path = re.sub(r"{(\w+)}", lambda m: quote(values[m[1]], safe=""), operation.template)
        return Request(persona, operation.method, path, query, body, is_api=True)

    return build()


# --- the edges, on every run -------------------------------------------------------------
# Besides the random requests, each route gets the values that broke one before, one field
# at a time, so every CI run meets them: an id no column holds, the last and first days
# Python knows, a search too long to read, a null where a record keeps text.

EDGE_ID = str(2**63)
EDGE_DAYS = {
    "date": ("9999-12-31", "0001-01-01"),
    "datetime-local": ("9999-12-31T23:59", "0001-01-01T00:00"),
}
EDGE_QUERIES = (EDGE_ID, "9999-12-31", "x" * 60_000)


def page_edges(page: Page, persona: str) -> list[Request]:
    path = page.path({name: page.real.get(name, "x") for name, _kind in page.params()})
    requests = []
    names = sorted(set(page.queries[0] if page.queries else ()) | set(page.filters))
    if names and "GET" in page.methods:
        for value in EDGE_QUERIES:
            requests.append(Request(persona, "GET", path, [(name, value) for name in names]))
    if "POST" in page.methods:
        fields = {n: f for n, f in page.fields.items() if f.kind not in ("file", "submit")}
        plausible = {name: found.first() for name, found in fields.items()}
        for name, found in sorted(fields.items()):
            edges = EDGE_DAYS.get(found.kind, (EDGE_ID,) if found.kind == "select" else ())
            for value in edges:
                requests.append(Request(persona, "POST", path, [], {**plausible, name: value}))
    return requests


def api_edges(operation: Operation, persona: str, schemas: FromSchema) -> list[Request]:
    def kind(schema: dict) -> dict:
        schema = schemas.resolve(schema)
        options = schema.get("anyOf") or [schema]
        return next((o for o in options if o.get("type") != "null"), options[0])

    def query_edge(schema: dict):
        found = kind(schema)
        if found.get("type") == "string":
            return "9999-12-31" if found.get("format") == "date" else "x" * 60_000
        return EDGE_ID

    def body_edge(schema: dict):
        found = kind(schema)
        formats = {"date": "9999-12-31", "date-time": "0001-01-01T00:00:00+14:00"}
        if found.get("type") == "string" and "enum" not in found:
            return formats.get(found.get("format", ""), None)
        return {"integer": 2**63, "array": [2**63]}.get(found.get("type", ""), None)

    values = {p["name"]: operation.real.get(p["name"], "1") for p in operation.parameters}
    path = re.sub(r"{(\w+)}", lambda m: quote(values[m[1]], safe=""), operation.template)
    data = json.dumps(operation.data) if operation.body is not None else None
    query = [(p["name"], query_edge(p.get("schema", {}))) for p in operation.parameters]
    query = [
        (name, value) for (name, value), p in zip(query, operation.parameters) if p["in"] == "query"
    ]
    requests = []
    if query:
        requests.append(Request(persona, operation.method, path, query, data, is_api=True))
    if operation.body is not None:
        for name, schema in sorted(schemas.resolve(operation.body).get("properties", {}).items()):
            body = json.dumps({**operation.data, name: body_edge(schema)})
            requests.append(Request(persona, operation.method, path, [], body, is_api=True))
    return requests


class Sender:
    """Sends requests as the personas and keeps every 5xx (and every exception) it meets."""

    def __init__(self, company):
        self.users = {persona: company[persona] for persona in PERSONAS}
        self.tokens = {persona: bearer(user) for persona, user in self.users.items()}
        self.client = Client()
        self.failures: list[str] = []
        self.count = 0

    def send(self, request: Request):
        self.count += 1
        client = self.client
        try:
            with transaction.atomic():  # a failed request leaves the database usable
                if request.is_api:
                    url = request.path + ("?" + urlencode(request.query) if request.query else "")
                    response = client.generic(
                        request.method,
                        url,
                        request.body or "",
                        content_type="application/json",
                        headers=self.tokens[request.persona],
                    )
                else:
                    client.force_login(self.users[request.persona])
                    if request.method == "GET":
                        response = client.get(request.path, request.query)
                    else:
                        url = request.path + (
                            "?" + urlencode(request.query) if request.query else ""
                        )
                        response = client.post(url, {**request.body, **request.files})
        except Exception as error:  # the client re-raises what the view raised: a 500
            where = traceback.extract_tb(error.__traceback__)
            ours = [f for f in where if "/openkam/" in f.filename] or where
            self.failures.append(
                f"{request}\n  -> {type(error).__name__}: {str(error)[:300]} "
                f"at {ours[-1].filename.split('/src/')[-1]}:{ours[-1].lineno}"
            )
            return None
        if response.status_code >= 500:
            self.failures.append(f"{request}\n  -> {response.status_code}")
        return response


def fuzz(sender: Sender, strategy: st.SearchStrategy) -> None:
    @run_settings(
        max_examples=EXAMPLES,
        derandomize=DERANDOMIZE,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(request):
        sender.send(request)

    run()


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
