"""Valid Polish NIP and Russian INN numbers: random digits with the right check digit."""

from __future__ import annotations

import numpy as np

NIP_WEIGHTS = np.array([6, 5, 7, 2, 3, 4, 5, 6, 7])
INN_WEIGHTS = np.array([2, 4, 10, 3, 5, 9, 4, 6, 8])


def _unique_digits(rng: np.random.Generator, count: int, first_min: int) -> np.ndarray:
    """`count` distinct rows of 9 digits whose first digit is at least `first_min`."""
    chosen: dict[bytes, np.ndarray] = {}
    while len(chosen) < count:
        batch = rng.integers(0, 10, size=(count * 2, 9))
        batch[:, 0] = rng.integers(first_min, 10, size=len(batch))
        for row in batch:
            chosen.setdefault(row.tobytes(), row)
            if len(chosen) == count:
                break
    return np.array(list(chosen.values())).reshape(count, 9)


def polish_nips(rng: np.random.Generator, count: int) -> list[str]:
    """Distinct NIPs; a body whose checksum is 10 is never issued, so it is redrawn."""
    result: list[str] = []
    seen: set[str] = set()
    while len(result) < count:
        digits = _unique_digits(rng, count - len(result), first_min=1)
        checks = (digits @ NIP_WEIGHTS) % 11
        for row, check in zip(digits, checks, strict=True):
            if check == 10:
                continue
            nip = "".join(map(str, row)) + str(check)
            if nip not in seen:
                seen.add(nip)
                result.append(nip)
    return result


def russian_inns(rng: np.random.Generator, count: int) -> list[str]:
    """Distinct 10-digit INNs of organisations."""
    digits = _unique_digits(rng, count, first_min=1)
    checks = (digits @ INN_WEIGHTS) % 11 % 10
    return ["".join(map(str, row)) + str(check) for row, check in zip(digits, checks, strict=True)]
