"""API value types every app's schemas share."""

from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from ninja import Schema
from pydantic import PlainSerializer

CENT = Decimal("0.01")

# Money travels as a decimal string with two places ("1234.50"), never as a float.
Money = Annotated[
    Decimal,
    PlainSerializer(lambda value: str(Decimal(value).quantize(CENT)), return_type=str),
]
Quantity = Annotated[Decimal, PlainSerializer(lambda value: str(value), return_type=str)]


class FieldError(Schema):
    loc: list[str]
    msg: str


class ErrorOut(Schema):
    """Every error answer of the API: a sentence, the fields that are wrong, or (from the
    stakeholder map) messages by field name."""

    detail: str | list[FieldError] | dict[str, list[str]]


def field_errors(
    error: ValidationError,
    *,
    rename: dict[str, str] | None = None,
    code_fields: dict[str, str] | None = None,
) -> list[dict]:
    """A service's ValidationError as `FieldError`s of the request body: a field's errors
    under its name (or `rename[name]`), the others under the field their code names, or
    `__all__`."""
    rename, code_fields = rename or {}, code_fields or {}
    if hasattr(error, "error_dict"):
        return [
            {"loc": ["body", rename.get(name, name)], "msg": message}
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [
        {"loc": ["body", code_fields.get(item.code or "", "__all__")], "msg": message}
        for item in error.error_list
        for message in item.messages
    ]
