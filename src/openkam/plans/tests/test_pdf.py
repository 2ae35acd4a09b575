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
    response = client.get(f"/plans/{polish_plan.pk}/plan.pdf?for=internal")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "Alfa Hurt S.A." in text
    assert "Plan współpracy 2026" in text
    assert "Przychód ze sprzedaży" in text
    assert "Żółta kartka" in text


@pytest.fixture
def plan_with_internal_notes(company, polish_plan):
    from openkam.workspace import services as workspace_services

    head = company["head"]
    services.risk_create(actor=head, plan=polish_plan, description="Ryzyko: odejście CFO")
    rival = workspace_services.competitor_create(actor=head, name="Konkurent Sp. z o.o.")
    workspace_services.account_competitor_add(
        actor=head, account=company["a"], competitor=rival, notes="Tnie ceny o 5%"
    )
    services.action_create(
        actor=head, plan=polish_plan, title="Spotkanie z zarządem", due_on=date(2026, 3, 1)
    )
    polish_plan.client_goals = "Obniżyć koszty logistyki."
    polish_plan.client_financial_condition = "Płynność słaba, rating B."
    polish_plan.save()
    return polish_plan


INTERNAL = (
    "Żółta kartka",  # the head's review comment
    "at risk",  # health
    "Ryzyko: odejście CFO",  # a risk
    "Konkurent Sp. z o.o.",  # a competitor
    "Tnie ceny o 5%",  # competitor notes
    "Zwiększyć udział",  # our strategy
    "Płynność słaba",  # our view of their finances
    "overdue",
)


def test_the_pdf_for_the_client_is_the_default_and_carries_nothing_internal(
    client, company, plan_with_internal_notes
):
    client.force_login(company["owner"])
    response = client.get(f"/plans/{plan_with_internal_notes.pk}/plan.pdf")
    text = _text(response.content)
    for internal in INTERNAL:
        assert internal not in text, internal
    for shared in ("Obniżyć koszty logistyki", "Przychód ze sprzedaży", "Spotkanie z zarządem"):
        assert shared in text, shared
    assert "for-the-client" in response["Content-Disposition"]


def test_the_internal_pdf_carries_everything(client, company, plan_with_internal_notes):
    client.force_login(company["owner"])
    text = _text(client.get(f"/plans/{plan_with_internal_notes.pk}/plan.pdf?for=internal").content)
    for internal in INTERNAL:
        assert internal in text, internal


def test_the_print_page_for_the_client_carries_nothing_internal(
    client, company, plan_with_internal_notes
):
    client.force_login(company["owner"])
    page = client.get(f"/plans/{plan_with_internal_notes.pk}/print/").content.decode()
    for internal in INTERNAL[:-1]:
        assert internal not in page, internal
    internal_page = client.get(f"/plans/{plan_with_internal_notes.pk}/print/?for=internal")
    assert "Żółta kartka" in internal_page.content.decode()


def test_amounts_and_words_are_never_broken_inside(company, plan_with_internal_notes):
    from django.utils import translation

    for amount in ("16063.05", "1234567.89"):
        services.objective_create(
            actor=company["head"], plan=plan_with_internal_notes, title="Marża na farbach",
            metric="margin", target=Decimal(amount), due_on=date(2026, 12, 31),
        )  # fmt: skip
    with translation.override("pl"):
        doc = plan_document(
            user=company["owner"], plan=plan_with_internal_notes, today=date(2026, 7, 1)
        )
        text = _text(pdf.plan_pdf(doc))
    assert "16 063,05 PLN" in text.replace("\xa0", " ")
    assert "1 234 567,89 PLN" in text.replace("\xa0", " ")
    assert "Wykonanie" in text or "Wykonano" in text or "Postęp" in text


def test_no_heading_is_left_alone_at_the_foot_of_a_page(company):
    headings = {"Objectives", "Actions", "Risks and competitor threats", "Review log",
                "Competitors at the account", "Client's key figures"}  # fmt: skip
    plan = make_plan(company, "a", title="Plan")
    for lines in range(0, 90, 6):
        plan.strategy = "Linia\n" * lines
        doc = plan_document(user=company["owner"], plan=plan, today=date(2026, 7, 1))
        pages = PdfReader(io.BytesIO(pdf.plan_pdf(doc))).pages
        for page in pages[:-1]:
            body = [line for line in page.extract_text().splitlines() if "·" not in line]
            assert body[-1] not in headings, (lines, body[-3:])


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
    with caplog.at_level(logging.WARNING, logger="openkam.core.pdf"):
        document = pdf.PlanPDF("Plan", None)
    assert "No Unicode font" in caplog.text
    assert document.clean("Żółw") == "?ó?w"  # Latin-1 keeps ó
    text = _text(pdf.plan_pdf(doc, fonts=None))
    assert "Alfa Hurt S.A." in text
    assert "Plan wspó?pracy 2026" in text  # ł is not Latin-1
