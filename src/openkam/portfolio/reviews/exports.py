"""Exports of a review and of the board to CSV and XLSX (rows the user may see only)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _

from openkam.core import exports
from openkam.portfolio.models import Review, ReviewItem
from openkam.portfolio.reviews.selectors import Board


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
            item.reason_text,
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
        _("Key and strategic"),
        _("Capacity"),
        _("Load %"),
        _("Accounts"),
        _("Groups"),
        _("Currency"),
        _("Revenue"),
        _("Margin"),
        _("Revenue in other currencies"),
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
            load.currency,
            _cents(load.revenue),
            _cents(load.margin),
            "; ".join(f"{amount} {code}" for code, amount in load.other_currencies.items()),
            "; ".join(account.name for account in card.key_accounts),
        ]


def _cents(value) -> Decimal:
    """Money with its two decimals, whichever database summed it (SQLite drops them)."""
    return Decimal(value).quantize(Decimal("0.01"))


def export_response(
    fmt: str, filename: str, sheet: str, header: Sequence[str], rows: Iterable[list]
) -> HttpResponse:
    """The rows as a CSV or XLSX download, through the one safe writer (core/exports)."""
    if fmt == "csv":
        return exports.csv_response(f"{filename}.csv", header, rows)
    return exports.xlsx_response(f"{filename}.xlsx", sheet, header, rows)


def review_filename(review: Review) -> str:
    return f"review-{review.pk}-{review.created_at:%Y-%m-%d}"
