"""Requests built from what the routes take: random ones (hypothesis) and the edges
every run sends, and the sender that checks no answer is a 5xx."""

from __future__ import annotations

import json
import os
import re
import traceback
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as run_settings
from hypothesis import strategies as st

from fuzzing.targets import (
    Field,
    FromSchema,
    Operation,
    Page,
    characters,
    numbers_or,
    odd,
    texts,
)
from openkam.accounts.tests.factories import bearer

# Random requests per route and persona; KAM_FUZZ_EXAMPLES=50 explores longer locally.
EXAMPLES = int(os.environ.get("KAM_FUZZ_EXAMPLES", "3"))
# In CI the same examples every run (a submission lands or not on its own merits); on a
# developer's machine new ones every run, to keep finding what nobody thought of.
DERANDOMIZE = os.environ.get("CI") == "true"
PERSONAS = ("owner", "head")  # a KAM who works account A, and the head of key accounts

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
