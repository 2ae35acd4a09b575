"""The returns and the refusals analyses as XLSX workbooks, one sheet per table (the same
filters and the same visibility as the pages)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from openkam.core import exports
from openkam.returns import refusals, selectors
from openkam.returns.filters import ReturnsFilter, Span
from openkam.users.permissions import AnyUser


def _figures_header() -> list[str]:
    return [_("Currency"), _("Gross sales"), _("Returned value"), _("Return lines"),
            _("Return rate (%)")]  # fmt: skip


def _cells(figures: selectors.Figures) -> list:
    return [figures.currency, figures.sales, figures.returned, figures.count, figures.rate]


def returns_xlsx(user: AnyUser, flt: ReturnsFilter) -> HttpResponse:
    compared = selectors.comparison(user, flt)
    label = selectors.comparison_label(user)
    summary = [
        [flt.span.start, flt.span.last_day, *_cells(figures),
         compared[figures.currency].rate if figures.currency in compared else None, label]
        for figures in selectors.summary(user, flt)
    ]  # fmt: skip
    reasons = [
        [row.label, row.currency, row.returned, row.count, row.share]
        for row in selectors.by_reason(user, flt)
    ]
    lines = [[row.label, *_cells(row.figures)] for row in selectors.by_product_line(user, flt)]
    accounts = [
        [row.name, *_cells(row.figures), row.comparison_rate, row.excess]
        for row in selectors.by_account(user, flt)
    ]
    months = [[row.month, *_cells(row.figures)] for row in selectors.monthly(user, flt)]
    sheets: list[exports.Sheet] = [
        (_("Summary"), [_("From"), _("To"), *_figures_header(), _("Comparison rate (%)"),
                        _("Compared with")], summary),
        (_("By reason"), [_("Reason"), _("Currency"), _("Returned value"), _("Return lines"),
                          _("Share of returned value (%)")], reasons),
        (_("By product line"), [_("Product line"), *_figures_header()], lines),
        (_("By account"), [_("Account"), *_figures_header(), _("Comparison rate (%)"),
                           _("Returned above the comparison rate")], accounts),
        (_("By month"), [_("Month"), *_figures_header()], months),
    ]  # fmt: skip
    return exports.xlsx_book_response("returns.xlsx", sheets)


def refusals_xlsx(
    rows: list[refusals.RefusalRow], span: Span, names: dict[int, str]
) -> HttpResponse:
    """`rows` from `refusals.refusal_rows` (visible only); `names` of their accounts."""
    listed = [
        [row.day, refusals.source_label(row.source), names.get(row.account_id, ""), row.title,
         row.reason_label, row.competitor or "", row.value, row.currency]
        for row in rows
    ]  # fmt: skip

    def tally(found: list[refusals.Tally]) -> list[list]:
        return [[t.label, t.currency, t.count, t.value, t.share] for t in found]

    header = [_("Currency"), _("Count"), _("Value lost"), _("Share of value (%)")]
    sheets: list[exports.Sheet] = [
        (_("Refusals"), [_("Date"), _("Source"), _("Account"), _("Title"), _("Reason"),
                         _("Competitor"), _("Value lost"), _("Currency")], listed),
        (_("By reason"), [_("Reason"), *header], tally(refusals.by_reason(rows))),
        (_("By competitor"), [_("Competitor"), *header], tally(refusals.by_competitor(rows))),
        (_("By month"), [_("Month"), _("Currency"), _("Count"), _("Value lost")],
         [[t.key, t.currency, t.count, t.value] for t in refusals.monthly(rows, span)]),
    ]  # fmt: skip
    return exports.xlsx_book_response("refusals.xlsx", sheets)
