"""Shared pieces of the permission matrix: personas, who sees what, and the Route row.

The matrix itself is tests/test_permission_matrix.py. Each workspace area keeps its own
rows in a sibling module (plans, stakeholders, activities, workspace) with:

- `ROUTES`: its Route rows;
- `world(company) -> (ids, secrets)`: the records its rows need (ids for the paths) and,
  per account key ("a", "a1", "b", "c"), words that must never reach a persona who may
  not see that account (e.g. a plan title).
"""

from __future__ import annotations

from dataclasses import dataclass, field

PERSONAS = (
    "anonymous",
    "owner",
    "other_kam",
    "junior",
    "senior",
    "deputy",
    "past_deputy",
    "head",
    "admin",
    "finance",
    "viewer",
)
SIGNED_IN = frozenset(PERSONAS) - {"anonymous"}
READ_ONLY = frozenset({"finance", "viewer"})
SEE_ALL = frozenset({"head", "admin", "finance", "viewer"})
# Who sees which account (see src/openkam/users/tests/test_visibility.py).
SEES = {
    "a": SEE_ALL | {"owner", "deputy"},
    "a1": SEE_ALL | {"owner", "deputy"},
    "b": SEE_ALL | {"other_kam"},
    "c": SEE_ALL | {"junior", "senior"},
}
SEES_A = SEES["a"]
EDITS_A = SEES_A - READ_ONLY
IMPORTERS = frozenset({"head", "admin"})
MANAGERS = frozenset({"head", "admin"})  # may manage portfolios (reviews, scoring, board)

ACCOUNT_FORM = {
    "name": "Alfa Hurt S.A.",
    "tax_id": "5260250995",
    "country": "PL",
    "currency": "PLN",
    "city": "Matrix City",
}


@dataclass(frozen=True)
class Route:
    name: str  # URL pattern name, namespace included
    method: str
    path: str  # formatted with the ids of the `world` fixture
    ok: frozenset[str]
    status: int = 200
    read_only: int = 404  # for finance/viewer on a record they see but may not change
    data: dict = field(default_factory=dict)
    lists_all_visible: bool = False  # the page names every account the persona sees

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def writes(self) -> bool:
        return self.method != "GET"

    def expected(self, persona: str) -> int:
        if persona == "anonymous":
            return 401 if self.is_api else 302
        if persona in self.ok:
            return self.status
        if persona in READ_ONLY and self.writes and persona in SEES_A:
            return self.read_only
        return 404


R = Route
