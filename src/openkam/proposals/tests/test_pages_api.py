"""Proposals through the pages and the API: the same approval gate on every path that can
send, the customer's PDF (no internal figures), and nothing of another KAM's account."""

from __future__ import annotations

import io
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from pypdf import PdfReader

from openkam.accounts.tests.factories import bearer
from openkam.proposals import approval_flow, services
from openkam.proposals.models import Proposal, RequestStatus, Status
from openkam.proposals.tests import factories


@pytest.fixture
def flour(company):
    import_module("openkam.proposals.migrations.0002_default_rule").create(django_apps, None)
    return factories.priced_catalogue()[0]


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_page_flow_from_opportunity_to_sent(client, company, flour):
    opportunity = factories.opportunity(company)
    client.force_login(company["owner"])
    response = client.post(reverse("proposals:create", args=[opportunity.pk]))
    proposal = Proposal.objects.get(opportunity=opportunity)
    assert response["Location"] == reverse("proposals:detail", args=[proposal.pk])
    client.post(
        reverse("proposals:line_add", args=[proposal.pk]),
        {"product": flour.pk, "quantity": "10", "discount_pct": "14"},
    )
    client.post(reverse("proposals:submit", args=[proposal.pk]))
    client.post(reverse("proposals:send", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == Status.AWAITING  # the page cannot send it either
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert "waiting for approval" in page
    request = proposal.approvals.get()
    assert (
        client.post(
            reverse("proposals:decide", args=[proposal.pk, request.pk]), {"decision": "approve"}
        ).status_code
        == 404
    )  # the KAM may not decide it
    client.force_login(company["head"])
    assert proposal.number in client.get(reverse("proposals:approvals")).content.decode()
    client.post(
        reverse("proposals:decide", args=[proposal.pk, request.pk]), {"decision": "approve"}
    )
    client.force_login(company["owner"])
    client.post(reverse("proposals:send", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == Status.SENT


def test_a_proposal_below_cost_says_so_where_the_head_decides(client, company, flour):
    factories.sale(company["a"], flour, company["today"], quantity="10", cost="950")  # 95.00
    proposal = factories.proposal(company, flour, discount="12")  # 88.00 a unit, 12 % > 10 %
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    client.force_login(company["head"])
    waiting = client.get(reverse("proposals:approvals")).content.decode()
    assert '<td class="num below-cost">-7.95%</td>' in waiting
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert '<dd class="stat-value below-cost" id="proposal-margin">' in page
    assert '-7.95% · <span class="below-cost">below cost</span>' in page


@pytest.mark.parametrize(
    ("language", "shipped"),
    [("en", "Discount above the discount rule"), ("pl", "Rabat powyżej reguły rabatowej"),
     ("ru", "Скидка выше правила скидок")],
)  # fmt: skip
def test_the_shipped_rule_reads_in_the_heads_language_a_named_one_as_named(
    client, company, flour, language, shipped
):
    factories.rule("Marża poniżej 3 %", "margin", "3")
    proposal = factories.proposal(company, flour, discount="12")  # above the 10 % rule
    factories.sale(company["a"], flour, company["today"], quantity="10", cost="950")
    services.line_update(actor=company["owner"], line=proposal.lines.get(), discount_pct=Decimal(12))
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    client.force_login(company["head"])
    client.cookies["django_language"] = language
    waiting = client.get(reverse("proposals:approvals")).content.decode()
    assert f"<td>{shipped}</td>" in waiting and "<td>Marża poniżej 3 %</td>" in waiting
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert f"<span>{shipped}<br>" in page


def test_a_proposal_above_cost_is_not_flagged(client, company, flour):
    factories.sale(company["a"], flour, company["today"], quantity="10", cost="800")
    proposal = factories.proposal(company, flour, discount="12")
    approval_flow.submit(actor=company["owner"], proposal=proposal)
    client.force_login(company["head"])
    assert "below-cost" not in client.get(reverse("proposals:approvals")).content.decode()
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert "9.09%" in page and "below-cost" not in page


def test_the_pdf_is_in_the_customers_language_without_internal_figures(client, company, flour):
    proposal = factories.proposal(company, flour, discount="14", quantity="12")
    Proposal.objects.filter(pk=proposal.pk).update(internal_note="Sekretna marża 9 procent")
    client.force_login(company["owner"])
    response = client.get(reverse("proposals:pdf", args=[proposal.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert company["a"].name in text
    assert "Oferta handlowa" in text or "Commercial proposal" in text
    assert "86,00" in text and "1032,00" in text.replace("\xa0", "").replace(" ", "")
    assert "Sekretna" not in text and "Margin" not in text and "Marża" not in text


def test_another_kams_proposal_is_missing_on_every_path(client, company, flour):
    proposal = factories.proposal(company, flour)
    client.force_login(company["other_kam"])
    for name in ("proposals:detail", "proposals:pdf"):
        assert client.get(reverse(name, args=[proposal.pk])).status_code == 404
    assert proposal.number not in client.get(reverse("proposals:list")).content.decode()
    client.logout()
    headers = {"HTTP_AUTHORIZATION": bearer(company["other_kam"])["Authorization"]}
    assert client.get(f"/api/proposals/{proposal.pk}", **headers).status_code == 404
    assert client.get("/api/proposals/", **headers).json()["items"] == []


def _api(client, user):
    client.force_login(user)
    return client


def test_the_api_cannot_send_before_approval_and_records_the_decision(client, company, flour):
    opportunity = factories.opportunity(company)
    api = _api(client, company["owner"])
    made = api.post(
        "/api/proposals/", {"opportunity_id": opportunity.pk}, content_type="application/json"
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    api.post(
        f"/api/proposals/{pk}/lines",
        {"product_id": flour.pk, "quantity": "10", "discount_pct": "14"},
        content_type="application/json",
    )
    submitted = api.post(f"/api/proposals/{pk}/submit").json()
    assert submitted["status"] == "awaiting"
    assert submitted["send_refusals"] == ["The proposal is waiting for approval."]
    refused = api.post(f"/api/proposals/{pk}/send")
    assert refused.status_code == 422
    request_id = submitted["approvals"][0]["id"]
    head = _api(client, company["head"])
    assert [row["id"] for row in head.get("/api/proposals/approvals").json()] == [request_id]
    rejected = head.post(
        f"/api/proposals/{pk}/approvals/{request_id}", {"decision": "reject"},
        content_type="application/json",
    )  # fmt: skip
    assert rejected.status_code == 422  # a rejection needs its reason
    decided = head.post(
        f"/api/proposals/{pk}/approvals/{request_id}", {"decision": "approve", "note": "ok"},
        content_type="application/json",
    ).json()  # fmt: skip
    assert decided["status"] == "approved"
    assert decided["approvals"][0]["status"] == RequestStatus.APPROVED
    sent = _api(client, company["owner"]).post(f"/api/proposals/{pk}/send").json()
    assert sent["status"] == "sent"
