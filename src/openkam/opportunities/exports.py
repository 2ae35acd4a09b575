"""The pipeline as an XLSX workbook (the same filters as the list)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from openkam.core import exports


def pipeline_xlsx(rows):
    header = [
        _("Account"), _("Opportunity"), _("Type"), _("Stage"), _("Probability (%)"),
        _("Value"), _("Weighted value"), _("Currency"), _("Expected close"), _("Owner"),
        _("Product lines"), _("Closed on"), _("Lost reason"),
    ]  # fmt: skip

    def lines():
        for row in rows.iterator(chunk_size=2000):
            yield [
                row.account.name, row.title, row.get_kind_display(), row.stage.label,
                row.probability, row.value, row.weighted_value, row.currency,
                row.expected_close, row.owner.get_full_name() if row.owner else "",
                ", ".join(line.product_line for line in row.product_lines.all()),
                row.closed_on, row.get_lost_reason_display(),
            ]  # fmt: skip

    return exports.xlsx_response("pipeline.xlsx", _("Pipeline"), header, lines())
