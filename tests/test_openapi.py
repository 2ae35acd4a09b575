"""The API description (/api/openapi.json) says what each route takes and answers.

Two schemas of one name used to share one entry (plans' review body and the key-account
review's were both `ReviewIn`, so the docs of POST /api/reviews showed the plan's body);
a write's 403 ("read-only") and 404 (not visible) must be documented."""

from __future__ import annotations

import enum
import typing

from pydantic import BaseModel

from openkam.api import api


def _models(annotation, found: set) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel | enum.Enum):
        if annotation not in found:
            found.add(annotation)
            if issubclass(annotation, BaseModel):
                for field in annotation.model_fields.values():
                    _models(field.annotation, found)
        return
    for argument in typing.get_args(annotation):
        _models(argument, found)


def _operations():
    for _prefix, router in api._routers:
        for view in router.path_operations.values():
            yield from view.operations


def test_every_schema_name_is_one_schema():
    found: set = set()
    for operation in _operations():
        for model in [*operation.models, *(operation.response_models or {}).values()]:
            _models(model, found)
    by_name: dict[str, set[str]] = {}
    for model in found:
        by_name.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    assert {name: places for name, places in by_name.items() if len(places) > 1} == {}


def test_the_review_bodies_are_documented_apart():
    paths = api.get_openapi_schema()["paths"]

    def body(path: str) -> str:
        content = paths[path]["post"]["requestBody"]["content"]["application/json"]
        return content["schema"]["$ref"].rsplit("/", 1)[1]

    assert body("/api/reviews") == "ReviewIn"
    assert body("/api/plans/{plan_id}/reviews") == "PlanReviewIn"


# Heads and administrators only: everybody else gets the 404 of a missing record.
FOR_MANAGERS = {"/api/portfolio/recompute", "/api/reviews", "/api/reviews/items/{item_id}/decision"}
# Writes that name no record: a read-only role's 403, nothing to be missing.
NO_RECORD = {"/api/workspace/competitors"}


def test_every_write_documents_read_only_and_not_found():
    undocumented = []
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method, spec in methods.items():
            if method == "get":
                continue
            needed = {404} if path in FOR_MANAGERS else {403} if path in NO_RECORD else {403, 404}
            missing = needed - {int(code) for code in spec["responses"]}
            if missing:
                undocumented.append(f"{method.upper()} {path}: {sorted(missing)}")
    assert undocumented == []
