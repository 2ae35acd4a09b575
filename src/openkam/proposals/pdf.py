"""The proposal as the customer gets it: a PDF in the customer's language (the proposal's
`language`), with the lines at their net prices. Nothing internal is printed: no margin,
cost, allowance, approval or internal note."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf.enums import XPos, YPos

from openkam.core.pdf import DocumentPDF, unicode_font
from openkam.core.templatetags.openkam_format import money, percent, quantity
from openkam.proposals.models import Proposal


def proposal_pdf(proposal: Proposal) -> bytes:
    with translation.override(proposal.language):
        title = _("Commercial proposal %(number)s") % {"number": proposal}
        pdf = DocumentPDF(title, unicode_font())
        pdf.alias_nb_pages()
        pdf.add_page()
        _cover(pdf, proposal, title)
        _lines(pdf, proposal)
        _totals(pdf, proposal)
        if proposal.customer_note:
            pdf.heading(_("Notes"))
            pdf.paragraph(proposal.customer_note)
        return bytes(pdf.output())


def _line(pdf: DocumentPDF, text: str, size: int = 10, style: str = "") -> None:
    pdf.set_font(pdf.body_font, style, size)
    pdf.multi_cell(0, 6, pdf.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _cover(pdf: DocumentPDF, proposal: Proposal, title: str) -> None:
    company = settings.KAM_COMPANY_NAME
    if company:
        _line(pdf, company, 11, "B")
    _line(pdf, title, 16, "B")
    _line(pdf, proposal.title, 12)
    _line(pdf, _("For: %(customer)s") % {"customer": proposal.account.name}, 11, "B")
    if proposal.account.tax_id:
        _line(pdf, _("Tax id: %(tax_id)s") % {"tax_id": proposal.account.tax_id})
    _line(pdf, _("Date: %(day)s") % {"day": f"{proposal.priced_on:%Y-%m-%d}"})
    _line(pdf, _("Valid until: %(day)s") % {"day": f"{proposal.valid_until:%Y-%m-%d}"})
    if proposal.created_by:
        name = proposal.created_by.get_full_name() or proposal.created_by.username
        _line(pdf, _("Your account manager: %(name)s") % {"name": name})


def _lines(pdf: DocumentPDF, proposal: Proposal) -> None:
    pdf.heading(_("Offer"))
    header = [
        _("Product"), _("Quantity"), _("List price"), _("Discount"), _("Net unit price"),
        _("Net value"),
    ]  # fmt: skip
    rows = [
        [
            f"{line.product.sku} {line.product.name}",
            quantity(line.quantity),
            money(line.list_unit_price, proposal.currency),
            percent(line.discount_pct / 100),
            money(line.net_unit_price, proposal.currency),
            money(line.net_total, proposal.currency),
        ]
        for line in proposal.lines.select_related("product")
    ]
    pdf.grid(header, rows, (6, 2, 2, 2, 2, 3))


def _totals(pdf: DocumentPDF, proposal: Proposal) -> None:
    pdf.ln(2)
    if proposal.total_before_discount != proposal.total:
        before = money(proposal.total_before_discount, proposal.currency)
        _line(pdf, _("Value before discount: %(amount)s") % {"amount": before})
    total = money(proposal.total, proposal.currency)
    _line(pdf, _("Total net value: %(amount)s") % {"amount": total}, 12, "B")
    _line(pdf, _("Prices are net, before VAT."), 9)
