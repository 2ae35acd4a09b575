"""What the analytics take as numbers: anything numpy reads as an array of floats, including
sequences as database rows hand them over (Decimals, and None for an unknown value, read as
NaN)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TypeAlias

from numpy.typing import ArrayLike

Number: TypeAlias = Decimal | float | None
Values: TypeAlias = ArrayLike | Sequence[Number] | Sequence[Sequence[Number]]
