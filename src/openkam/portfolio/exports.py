"""The visible customers' figures and scores as CSV or XLSX (same filters as the cell page)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from io import BytesIO

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from openkam.portfolio.models import AccountMetrics

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


def row_of(m: AccountMetrics) -> list:
    """Money stays Decimal (exact in both formats); ratios rounded for reading."""
    score = getattr(m, "score", None)
    return [
        m.account_id,
        m.account.name,
        m.account.external_id,
        m.account.segment,
        m.account.currency,
        m.scope,
        m.revenue,
        m.margin,
        m.revenue_prev,
        _round(m.growth * 100 if m.growth is not None else None, 1),
        m.invoice_count,
        m.avg_invoice,
        m.product_lines,
        round(m.relationship_days / 365.25, 1),
        _round(m.avg_days_late, 1),
        m.worst_days_late,
        getattr(m, "visible_abc", m.abc),
        m.xyz,
        m.rfm_recency,
        m.rfm_frequency,
        m.rfm_monetary,
        score,
    ]


def _rows(metrics) -> Iterator[list]:
    for m in metrics:
        yield row_of(m)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(metrics, filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # a BOM so spreadsheet programs read UTF-8 names correctly
        yield writer.writerow(headers())
        for row in _rows(metrics):
            yield writer.writerow(["" if v is None else v for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(metrics, filename: str) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Customers")[:31])
    sheet.append(headers())
    for row in _rows(metrics):
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
