"""What the routes take: odd and plausible values, the URL patterns' converters, the
pages' forms, the query parameters the code reads, the API's operations and bodies."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

from django.urls import URLResolver, get_resolver, resolve
from hypothesis import strategies as st
from matrix_rows.world import ROUTES

SRC = Path(__file__).resolve().parents[2] / "src" / "openkam"

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
