"""Shared test data for plans: a plan on an account with a pinned period."""

from __future__ import annotations

from datetime import date

from openkam.plans import services

YEAR_START = date(2026, 1, 1)
YEAR_END = date(2026, 12, 31)


def make_plan(company, key: str = "a", *, title: str = "", template=None, **fields):
    account = company[key]
    owner = fields.pop("owner", None) or company["head"]
    return services.plan_create(
        actor=company["head"],
        account=account,
        period_start=fields.pop("period_start", YEAR_START),
        period_end=fields.pop("period_end", YEAR_END),
        title=title or f"Plan {key}",
        owner=owner,
        template=template,
        **fields,
    )
