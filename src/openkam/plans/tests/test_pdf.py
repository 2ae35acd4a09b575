"""The plan as a PDF: a valid file whose text (read back with pypdf) holds the plan,
in Polish and Russian letters."""

from __future__ import annotations

import io
import logging
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from openkam.accounts.services import account_create, assignment_start
from openkam.plans import pdf, services
from openkam.plans.document import plan_document
from openkam.plans.tests.factories import make_plan


def _text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def polish_plan(company):
    plan = make_plan(
        company,
        "a",
        title="Plan współpracy 2026",
        owner=company["owner"],
        strategy="Zwiększyć udział w kategorii farb; łączyć dostawy.",
    )
    services.objective_create(
        actor=company["head"],
        plan=plan,
        title="Przychód ze sprzedaży",
        metric="revenue",
        target=Decimal("100000"),
        due_on=plan.period_end,
    )
    services.review_record(
        actor=company["head"],
        plan=plan,
        health="at_risk",
        comment="Żółta kartka: opóźnienia.",
        reviewed_on=date(2026, 6, 1),
    )
    return plan


def test_pdf_download_is_a_valid_pdf_with_the_accounts_name(client, company, polish_plan):
    client.force_login(company["owner"])
    response = client.get(f"/plans/{polish_plan.pk}/plan.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "Alfa Hurt S.A." in text
    assert "Plan współpracy 2026" in text
    assert "Przychód ze sprzedaży" in text
    assert "Żółta kartka" in text


def test_pdf_renders_cyrillic(company):
    head = company["head"]
    account = account_create(actor=head, name="ООО «Северный Ветер»", country="RU")
    assignment_start(actor=head, account=account, user=company["owner"], starts_on=date(2025, 1, 1))
    plan = services.plan_create(
        actor=head,
        account=account,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        title="План развития",
        template=None,
        relationship_summary="Ключевой клиент, ёлки и щётки.",
    )
    doc = plan_document(user=company["owner"], plan=plan, today=date(2026, 7, 1))
    text = _text(pdf.plan_pdf(doc))
    assert "ООО «Северный Ветер»" in text
    assert "ёлки и щётки" in text


def test_font_comes_from_the_python_package():
    fonts = pdf.unicode_font()
    assert fonts is not None
    assert "font_source_sans_pro" in str(fonts.regular)


def test_without_a_unicode_font_the_pdf_still_comes_with_a_warning(company, polish_plan, caplog):
    doc = plan_document(user=company["owner"], plan=polish_plan, today=date(2026, 7, 1))
    with caplog.at_level(logging.WARNING, logger="openkam.plans.pdf"):
        document = pdf.PlanPDF("Plan", None)
    assert "No Unicode font" in caplog.text
    assert document.clean("Żółw") == "?ó?w"  # Latin-1 keeps ó
    text = _text(pdf.plan_pdf(doc, fonts=None))
    assert "Alfa Hurt S.A." in text
    assert "Plan wspó?pracy 2026" in text  # ł is not Latin-1
