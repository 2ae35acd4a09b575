"""API value types every app's schemas share."""

from decimal import Decimal
from typing import Annotated

from pydantic import PlainSerializer

CENT = Decimal("0.01")

# Money travels as a decimal string with two places ("1234.50"), never as a float.
Money = Annotated[
    Decimal,
    PlainSerializer(lambda value: str(Decimal(value).quantize(CENT)), return_type=str),
]
Quantity = Annotated[Decimal, PlainSerializer(lambda value: str(value), return_type=str)]
