"""What the analytics take as numbers: anything numpy reads as an array of floats, including
sequences as database rows hand them over (Decimals, and None for an unknown value, read as
NaN)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TypeAlias

import numpy as np
from numpy.typing import ArrayLike

Number: TypeAlias = Decimal | float | None
Values: TypeAlias = ArrayLike | Sequence[Number] | Sequence[Sequence[Number]]


def known_values(values: Values) -> np.ndarray:
    """The values as floats, refusing an unknown one: a rank has no place for it, and NaN
    would sort above every number (an unknown value would rank best)."""
    array = np.asarray(values, dtype=float)
    if np.isnan(array).any():
        raise ValueError("ranks need known values: leave out the unknown ones (None, NaN) first")
    return array
