"""The permission matrix's world: every area's rows and the records they name.

Used by tests/test_permission_matrix.py and tests/test_no_server_errors.py.
"""

from __future__ import annotations

from matrix_rows import SEES, Route
from matrix_rows import activities as activity_rows
from matrix_rows import contracts as contract_rows
from matrix_rows import core as core_rows
from matrix_rows import credit as credit_rows
from matrix_rows import opportunities as opportunity_rows
from matrix_rows import plans as plan_rows
from matrix_rows import pricing as pricing_rows
from matrix_rows import promotions as promotion_rows
from matrix_rows import proposals as proposal_rows
from matrix_rows import receivables as receivable_rows
from matrix_rows import returns as returns_rows
from matrix_rows import sales as sales_rows
from matrix_rows import stakeholders as stakeholder_rows
from matrix_rows import tenders as tender_rows
from matrix_rows import workspace as workspace_rows

AREAS = (
    core_rows,
    plan_rows,
    stakeholder_rows,
    activity_rows,
    workspace_rows,
    contract_rows,
    pricing_rows,
    promotion_rows,
    receivable_rows,
    credit_rows,
    sales_rows,
    opportunity_rows,
    proposal_rows,
    tender_rows,
    returns_rows,
)
ROUTES: list[Route] = [route for area in AREAS for route in area.ROUTES]


def build_world(company) -> dict:
    """Every area's records: ids for the rows' paths and, per account key, the words that
    must never reach a persona who may not see that account."""
    ids: dict = {}
    secrets: dict[str, set[str]] = {key: set() for key in SEES}
    for area in AREAS:
        area_ids, area_secrets = area.world(company)
        ids.update(area_ids)
        for key, words in area_secrets.items():
            secrets[key] |= set(words)
    return {"company": company, "ids": ids, "secrets": secrets}
