"""One promotion's per-account progress as an XLSX workbook (the accounts the reader sees)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from openkam.core import exports


def progress_xlsx(promotion, rows):
    header = [
        _("Account"), _("Currency"), _("Eligible turnover"), _("Quantity"), _("Threshold"),
        _("Reached (%)"), _("Missing"), _("Bonus so far"), _("Projected at the end"),
        _("Projected bonus"),
    ]  # fmt: skip

    def lines():
        for row in rows:
            yield [
                row.account.name, promotion.currency, row.turnover, row.quantity, row.threshold,
                row.reached_pct, row.missing if row.threshold is not None else None,
                row.earned if promotion.is_bonus else None, row.projected,
                row.projected_bonus if promotion.is_bonus else None,
            ]  # fmt: skip

    return exports.xlsx_response(
        f"promotion-{promotion.pk}.xlsx", _("Promotion progress"), header, lines()
    )
