"""The visible customers' figures and scores as CSV or XLSX (same filters as the cell page)."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from openkam.core import exports

CHUNK = 2000


def headers() -> list[str]:
    return [
        _("Account id"),
        _("Account"),
        _("ERP id"),
        _("Segment"),
        _("Currency"),
        _("Scope"),
        _("Revenue"),
        _("Margin"),
        _("Revenue, previous period"),
        _("Growth %"),
        _("Invoices"),
        _("Average invoice"),
        _("Product lines"),
        _("Relationship (years)"),
        _("Average days late"),
        _("Worst days late"),
        _("ABC"),
        _("XYZ"),
        _("R"),
        _("F"),
        _("M"),
        _("Score"),
    ]


def _round(value, places: int):
    return None if value is None else round(value, places)


# Plain values, not model instances: an export of 50,000 customers stays a few seconds.
FIELDS = (
    "account_id",
    "account__name",
    "account__external_id",
    "account__segment",
    "account__currency",
    "scope",
    "revenue",
    "margin",
    "revenue_prev",
    "growth",
    "invoice_count",
    "avg_invoice",
    "product_lines",
    "relationship_days",
    "avg_days_late",
    "worst_days_late",
    "abc",
    "xyz",
    "rfm_recency",
    "rfm_frequency",
    "rfm_monetary",
    "score",
)


def row_of(m: dict, abc: str) -> list:
    """Money stays Decimal (exact in both formats); ratios rounded for reading."""
    growth = m["growth"]
    return [
        m["account_id"],
        m["account__name"],
        m["account__external_id"],
        m["account__segment"],
        m["account__currency"],
        m["scope"],
        m["revenue"],
        m["margin"],
        m["revenue_prev"],
        _round(growth * 100 if growth is not None else None, 1),
        m["invoice_count"],
        m["avg_invoice"],
        m["product_lines"],
        round(m["relationship_days"] / 365.25, 1),
        _round(m["avg_days_late"], 1),
        m["worst_days_late"],
        abc,
        m["xyz"],
        m["rfm_recency"],
        m["rfm_frequency"],
        m["rfm_monetary"],
        m["score"],
    ]


def _rows(metrics, cutoffs, basis: str) -> Iterator[list]:
    for m in metrics.values(*FIELDS).iterator(chunk_size=CHUNK):
        yield row_of(m, cutoffs.label(m[basis]))


def csv_response(metrics, cutoffs, basis: str, filename: str) -> StreamingHttpResponse:
    """Streamed: 50,000 customers never sit in memory at once. Cells are written by the
    shared safe writer (core.exports): no text can run as a formula."""
    return exports.csv_streaming_response(
        f"{filename}.csv", headers(), _rows(metrics, cutoffs, basis)
    )


def xlsx_response(metrics, cutoffs, basis: str, filename: str) -> HttpResponse:
    return exports.xlsx_response(
        f"{filename}.xlsx", _("Customers"), headers(), _rows(metrics, cutoffs, basis)
    )
