"""Exports of a review and of the board to CSV and XLSX (rows the user may see only)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _

from openkam.portfolio.models import Review, ReviewItem
from openkam.portfolio.reviews.selectors import Board

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text that a spreadsheet shows as text, never runs (CSV/formula injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    return value


def review_header() -> list[str]:
    return [
        _("Change"),
        _("Rank"),
        _("Account id"),
        _("Account"),
        _("Score"),
        _("Current tier"),
        _("Proposed tier"),
        _("Reason"),
        _("Decision"),
        _("Final tier"),
        _("Decision reason"),
        _("Decided by"),
        _("Decided at"),
    ]


def review_rows(items: Iterable[ReviewItem]) -> Iterable[list]:
    for item in items:
        yield [
            item.get_change_display(),
            item.rank,
            item.account_id,
            item.account.name,
            item.score,
            item.get_current_tier_display(),
            item.get_proposed_tier_display(),
            item.reason,
            item.get_decision_display(),
            item.get_final_tier_display() if item.final_tier else "",
            item.decision_reason,
            str(item.decided_by) if item.decided_by else "",
            item.decided_at.isoformat(timespec="seconds") if item.decided_at else "",
        ]


def board_header() -> list[str]:
    return [
        _("KAM"),
        _("Role"),
        _("Key accounts"),
        _("Capacity"),
        _("Load %"),
        _("Accounts"),
        _("Groups"),
        _("Revenue"),
        _("Margin"),
        _("Key account names"),
    ]


def board_rows(data: Board) -> Iterable[list]:
    for card in data.cards:
        load = card.load
        yield [
            load.user.get_full_name() or load.user.username,
            load.user.get_role_display(),
            load.key_accounts,
            load.capacity,
            load.load_percent,
            load.accounts,
            load.groups,
            Decimal(load.revenue),
            Decimal(load.margin),
            "; ".join(account.name for account in card.key_accounts),
        ]


def export_response(
    fmt: str, filename: str, sheet: str, header: Sequence[str], rows: Iterable[list]
) -> HttpResponse:
    body = _csv(header, rows) if fmt == "csv" else _xlsx(sheet, header, rows)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _csv(header: Sequence[str], rows: Iterable[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    # The byte-order mark lets spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(sheet: str, header: Sequence[str], rows: Iterable[list]) -> bytes:
    from openpyxl import Workbook  # heavy to import: only when a workbook is asked for

    book = Workbook(write_only=True)
    worksheet = book.create_sheet(title=sheet[:31])
    worksheet.append(list(header))
    for row in rows:
        worksheet.append([_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def review_filename(review: Review) -> str:
    return f"review-{review.pk}-{review.created_at:%Y-%m-%d}"
