"""Permission-matrix rows for this area (see tests/matrix_rows/__init__.py)."""

from __future__ import annotations

from matrix_rows import Route

ROUTES: list[Route] = []


def world(company) -> tuple[dict, dict]:
    """Records the rows above need: (ids for their paths, secret words per account key)."""
    return {}, {}
