"""The whole plan as a PDF (fpdf2), readable in Polish and Russian.

The Unicode font and the page furniture come from openkam.core.pdf.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from fpdf.enums import XPos, YPos

from openkam.core.pdf import DocumentPDF, FontFiles, unicode_font
from openkam.plans.document import PlanDocument
from openkam.plans.templatetags.plan_format import format_figure

PlanPDF = DocumentPDF

FIND_FONT: Any = object()  # a sentinel: look for the font


def plan_pdf(doc: PlanDocument, *, fonts: FontFiles | None = FIND_FONT) -> bytes:
    """The PDF's bytes; `fonts=None` forces the core-font fallback."""
    plan = doc.plan
    pdf = PlanPDF(plan.title, unicode_font() if fonts is FIND_FONT else fonts)
    pdf.alias_nb_pages()
    pdf.add_page()
    _cover(pdf, doc)
    for _name, heading, text in doc.sections:
        pdf.heading(heading)
        pdf.paragraph(text)
    _key_figures(pdf, doc)
    _objectives(pdf, doc)
    _actions(pdf, doc)
    if doc.is_internal:
        _risks(pdf, doc)
        _competitors(pdf, doc)
        _reviews(pdf, doc)
    return bytes(pdf.output())


def _cover(pdf: PlanPDF, doc: PlanDocument) -> None:
    plan = doc.plan
    pdf.set_font(pdf.body_font, "B", 18)
    pdf.multi_cell(0, 9, pdf.clean(plan.account.name), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(pdf.body_font, "", 13)
    pdf.multi_cell(0, 7, pdf.clean(plan.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(pdf.body_font, "", 10)
    period = (_("Period"), f"{plan.period_start:%Y-%m-%d} – {plan.period_end:%Y-%m-%d}")
    printed = (_("Printed on"), f"{doc.today:%Y-%m-%d}")
    if doc.is_internal:
        facts = [
            period,
            (_("Status"), plan.get_status_display()),
            (_("Health"), plan.get_health_display() or _("not reviewed yet")),
            (_("Owner"), str(plan.owner)),
            (_("Review cadence"), plan.get_review_cadence_display()),
            (_("Next review due"), f"{doc.next_review_due:%Y-%m-%d}"),
            printed,
            (_("Internal version"), _("not for the client")),
        ]
    else:
        facts = [period, (_("Your account manager"), str(plan.owner)), printed]
    for label, value in facts:
        pdf.multi_cell(0, 5, pdf.clean(f"{label}: {value}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if doc.is_internal and doc.review_overdue:
        pdf.set_text_color(160, 0, 0)
        pdf.paragraph(_("The review of this plan is overdue."))
        pdf.set_text_color(0)


def _key_figures(pdf: PlanPDF, doc: PlanDocument) -> None:
    pdf.heading(_("Client's key figures"))
    rows = [[row["label"], row["value"]] for row in doc.plan.client_key_figures]
    pdf.grid([_("Figure"), _("Value")], rows, (60, 40))


def _objectives(pdf: PlanPDF, doc: PlanDocument) -> None:
    pdf.heading(_("Objectives"))
    currency = doc.plan.account.currency
    rows = []
    for row in doc.objectives:
        o, p = row.objective, row.progress
        title = o.title + (f" ({o.product_line})" if o.product_line else "")
        figures = [
            title,
            o.get_metric_display(),
            format_figure(p.baseline, o.metric, currency),
            format_figure(p.current, o.metric, currency),
            format_figure(p.target, o.metric, currency),
        ]
        if doc.is_internal:  # pace against time and the verdict are for us
            state = {True: _("on track"), False: _("behind"), None: "—"}[p.on_track]
            figures += [f"{p.percent} % / {p.expected_percent} %", state]
        rows.append([*figures, f"{o.due_on:%Y-%m-%d}", str(o.owner)])
    header = [_("Objective"), _("Metric"), _("Baseline"), _("Current"), _("Target")]
    weights: tuple[int, ...] = (6, 3, 1, 1, 1)
    if doc.is_internal:
        header += [_("Done / time"), _("Status")]
        weights += (1, 1)
    pdf.grid([*header, _("Due"), _("Owner")], rows, (*weights, 1, 2))


def _actions(pdf: PlanPDF, doc: PlanDocument) -> None:
    pdf.heading(_("Actions"))
    rows = [
        [
            a.title,
            str(a.objective or "—"),
            str(a.owner),
            f"{a.due_on:%Y-%m-%d}",
            _status_of(a, internal=doc.is_internal),
        ]
        for a in doc.actions
    ]
    header = [_("Action"), _("Objective"), _("Owner"), _("Due"), _("Status")]
    pdf.grid(header, rows, (5, 4, 2, 1, 2))


def _status_of(action, *, internal: bool) -> str:
    status = action.get_status_display()
    if action.done_on:
        status += f" {action.done_on:%Y-%m-%d}"
    if internal and action.is_overdue:
        status += f" ({_('overdue')})"
    return status


def _risks(pdf: PlanPDF, doc: PlanDocument) -> None:
    pdf.heading(_("Risks and competitor threats"))
    rows = [
        [
            r.get_kind_display() + (f": {r.competitor}" if r.competitor else ""),
            r.description,
            r.get_likelihood_display(),
            r.get_impact_display(),
            r.mitigation,
        ]
        for r in doc.risks
    ]
    header = [_("Type"), _("Description"), _("Likelihood"), _("Impact"), _("Mitigation")]
    pdf.grid(header, rows, (3, 5, 1, 1, 4))


def _competitors(pdf: PlanPDF, doc: PlanDocument) -> None:
    pdf.heading(_("Competitors at the account"))
    rows = [
        [
            str(c.competitor),
            c.product_lines,
            "" if c.share_of_wallet is None else f"{c.share_of_wallet} %",
            c.notes,
        ]
        for c in doc.competitors
    ]
    header = [_("Competitor"), _("Product lines"), _("Share of wallet"), _("Notes")]
    pdf.grid(header, rows, (2, 3, 1, 4))


def _reviews(pdf: PlanPDF, doc: PlanDocument) -> None:
    pdf.heading(_("Review log"))
    rows = [
        [f"{r.reviewed_on:%Y-%m-%d}", str(r.reviewer), r.get_health_display(), r.comment]
        for r in doc.reviews
    ]
    pdf.grid([_("Date"), _("Reviewer"), _("Status"), _("Comment")], rows, (1, 2, 1, 6))
