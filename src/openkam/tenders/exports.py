"""The tender list as an XLSX workbook (the same filters as the list)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from openkam.core import exports


def tenders_xlsx(rows):
    header = [
        _("Issuer"), _("Tender"), _("Reference number"), _("Status"), _("Published on"),
        _("Submission deadline"), _("Estimated value"), _("Our total price"),
        _("Winning price"), _("Currency"), _("Winner"), _("Outcome reason"), _("Owner"),
        _("Product lines"), _("Documents not done"), _("Submitted on"), _("Decided on"),
    ]  # fmt: skip

    def lines():
        for row in rows.iterator(chunk_size=2000):
            yield [
                row.account.name, row.title, row.reference, row.get_status_display(),
                row.published_on, row.deadline, row.estimated_value, row.our_total,
                row.winning_total, row.currency, row.winner_label,
                row.get_outcome_reason_display(),
                row.owner.get_full_name() if row.owner else "",
                ", ".join(line.product_line for line in row.lines.all()),
                sum(not document.is_done for document in row.documents.all()),
                row.submitted_on, row.decided_on,
            ]  # fmt: skip

    return exports.xlsx_response("tenders.xlsx", _("Tenders"), header, lines())
