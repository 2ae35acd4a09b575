"""The finance view as an XLSX workbook (the same filters and order as the page)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from openkam.core import exports
from openkam.receivables.finance import FinanceQuery

COLUMNS = (
    "balance", "not_due", "days_1_30", "days_31_60", "days_61_90", "days_over_90", "unapplied",
)  # fmt: skip


def _headers(query: FinanceQuery) -> list[str]:
    first = [_("Group")] if query.by_group else [_("ERP id"), _("Account")]
    return [
        *first,
        _("Currency"),
        _("Balance"),
        _("Not due"),
        _("1-30 days"),
        _("31-60 days"),
        _("61-90 days"),
        _("Over 90 days"),
        _("Unapplied"),
        *([] if query.by_group else [_("Oldest due date"), _("DSO (days)")]),
        _("As of"),
    ]


def finance_xlsx(rows, query: FinanceQuery):
    def lines():
        for row in rows.iterator(chunk_size=2000) if hasattr(rows, "iterator") else rows:
            if query.by_group:
                yield [row["name"], row["currency"], *(row[c] for c in COLUMNS), ""]
                continue
            yield [
                row.account.external_id, row.account.name, row.currency,
                *(getattr(row, c) for c in COLUMNS), row.oldest_due_on, row.dso_days, row.as_of,
            ]  # fmt: skip

    return exports.xlsx_response("receivables.xlsx", _("Receivables"), _headers(query), lines())
