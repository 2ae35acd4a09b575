"""API value types every app's schemas share."""

from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
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
    """Every error answer of the API: a sentence, or the fields of the body that are wrong."""

    detail: str | list[FieldError]


def not_null(value: Any) -> Any:
    """A field validator for PATCH bodies: a field left out stays as it is; one given must
    not be null where the record keeps text (an empty string empties it)."""
    if value is None:
        raise ValueError(_("May not be null: leave the field out to keep its value."))
    return value


# What a write on account work may answer besides its success (declared on every such
# route, so the API docs say it): 403 for a role that reads but may not change, 404 for a
# record the caller cannot see, 422 for a body the service refuses.
WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


# The request body's name of a field where the service's differs, and the field that an
# error without one belongs to, by its code.
BODY_NAMES = {"decision_reason": "reason"}
CODE_FIELDS = {"invalid_tax_id": "tax_id"}


def field_errors(error: ValidationError) -> list[dict]:
    """A service's ValidationError as `FieldError`s of the request body (the API answers
    every one so, with 422: see openkam/api.py)."""
    if hasattr(error, "error_dict"):
        return [
            {"loc": ["body", BODY_NAMES.get(name, name)], "msg": message}
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [
        {"loc": ["body", CODE_FIELDS.get(item.code or "", "__all__")], "msg": message}
        for item in error.error_list
        for message in item.messages
    ]
