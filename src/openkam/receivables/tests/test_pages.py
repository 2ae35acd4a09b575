"""The receivables pages for each persona: who sees, who records, who splits."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from openkam.receivables.models import CollectionStep, Dispute, PromiseToPay
from openkam.receivables.refresh import refresh
from openkam.receivables.tests.ledgers import invoice, payment


@pytest.fixture
def ledger(company):
    a, today = company["a"], company["today"]
    old = invoice(a, "FV/OLD", today - timedelta(days=100), "1000.00")  # 70 days overdue
    new = invoice(a, "FV/NEW", today - timedelta(days=10), "500.00")  # not due
    unnamed = payment(a, today - timedelta(days=5), "300.00")
    invoice(company["b"], "FV/B", today - timedelta(days=50), "777.00")
    refresh(today)
    return {"old": old, "new": new, "unnamed": unnamed}


def _page(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


def test_the_owner_sees_the_aging_and_open_invoices_of_their_account(client, company, ledger):
    response = _page(client, company["owner"], "account_receivables:account", company["a"].pk)
    assert response.status_code == 200
    body = response.content.decode()
    assert "FV/OLD" in body and "FV/NEW" in body
    aging = response.context["receivables"].currencies[0].aging
    assert (aging.balance, aging.days_61_90, aging.not_due) == (
        Decimal("1200.00"), Decimal("700.00"), Decimal("500.00"),
    )  # fmt: skip


def test_another_kam_gets_the_404_of_a_missing_account(client, company, ledger):
    response = _page(client, company["other_kam"], "account_receivables:account", company["a"].pk)
    assert response.status_code == 404


def test_aging_as_of_a_past_day(client, company, ledger):
    day = company["today"] - timedelta(days=50)
    response = _page(
        client, company["owner"], "account_receivables:account", company["a"].pk,
        as_of=day.isoformat(),
    )  # fmt: skip
    (item,) = response.context["receivables"].currencies
    assert (item.aging.balance, item.aging.days_1_30) == (Decimal("1000.00"), Decimal("1000.00"))


def test_finance_records_a_promise_but_a_viewer_may_not(client, company, ledger):
    a = company["a"]
    url = reverse("account_receivables:promise_create", args=[a.pk])
    form = {
        "amount": "700.00", "currency": "PLN",
        "promised_on": (company["today"] + timedelta(days=7)).isoformat(),
    }  # fmt: skip
    client.force_login(company["viewer"])
    assert client.post(url, form).status_code == 404
    client.force_login(company["finance"])
    assert client.post(url, form).status_code == 302
    promise = PromiseToPay.objects.get()
    assert (promise.amount, promise.recorded_by) == (Decimal("700.00"), company["finance"])


def test_the_owner_records_a_step_and_opens_a_dispute(client, company, ledger):
    a = company["a"]
    client.force_login(company["owner"])
    step = {"action": "call", "currency": "PLN", "done_on": company["today"].isoformat()}
    assert (
        client.post(reverse("account_receivables:step_create", args=[a.pk]), step).status_code
        == 302
    )
    assert CollectionStep.objects.get().done_by == company["owner"]
    url = reverse("account_receivables:dispute_open", args=[a.pk, ledger["old"].pk])
    assert client.post(url, {"reason": "quality"}).status_code == 302
    assert Dispute.objects.get().invoice == ledger["old"]


def test_only_money_keepers_split_a_payment(client, company, ledger):
    a = company["a"]
    url = reverse("account_receivables:payment_split", args=[a.pk, ledger["unnamed"].pk])
    client.force_login(company["owner"])
    assert client.get(url).status_code == 404
    client.force_login(company["finance"])
    assert client.get(url).status_code == 200
    response = client.post(url, {f"invoice_{ledger['new'].pk}": "300.00"})
    assert response.status_code == 302
    # The split moves the payment from the oldest invoice to the new one.
    response = _page(client, company["finance"], "account_receivables:account", a.pk)
    open_amounts = {i.number: i.open_amount for i in response.context["receivables"].open_invoices}
    assert open_amounts == {"FV/OLD": Decimal("1000.00"), "FV/NEW": Decimal("200.00")}


def test_a_split_larger_than_the_payment_is_refused_and_nothing_is_written(client, company, ledger):
    a = company["a"]
    url = reverse("account_receivables:payment_split", args=[a.pk, ledger["unnamed"].pk])
    client.force_login(company["finance"])
    response = client.post(
        url, {f"invoice_{ledger['new'].pk}": "250.00", f"invoice_{ledger['old'].pk}": "100.00"}
    )
    assert response.status_code == 200
    assert "more than the payment" in response.content.decode()
    assert not ledger["unnamed"].allocations.exists()


def test_the_finance_view_lists_what_the_reader_may_see(client, company, ledger):
    client.force_login(company["finance"])
    names = {row.account.name for row in client.get(reverse("receivables:list")).context["page"]}
    assert names == {"Alfa Hurt S.A.", "Beta Trade"}
    client.force_login(company["owner"])
    names = {row.account.name for row in client.get(reverse("receivables:list")).context["page"]}
    assert names == {"Alfa Hurt S.A."}


def test_the_finance_view_exports_xlsx(client, company, ledger):
    client.force_login(company["head"])
    response = client.get(reverse("receivables:list"), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="receivables.xlsx"'


def test_the_worklist_chases_the_overdue_account(client, company, ledger):
    response = _page(client, company["owner"], "receivables:worklist")
    (item,) = response.context["due"]
    assert (item.account, item.max_days, item.overdue) == (
        company["a"], 70, Decimal("700.00"),
    )  # fmt: skip
    assert item.level.days == 60


def test_a_running_promise_pauses_chasing(client, company, ledger):
    PromiseToPay.objects.create(
        account=company["a"], amount=Decimal("700.00"), currency="PLN",
        given_on=company["today"], promised_on=company["today"] + timedelta(days=3),
    )  # fmt: skip
    response = _page(client, company["owner"], "receivables:worklist")
    assert not response.context["due"]
    (item,) = response.context["waiting"]
    assert item.paused_until == company["today"] + timedelta(days=3)


def test_refresh_is_for_money_keepers(client, company, ledger):
    client.force_login(company["owner"])
    assert client.post(reverse("receivables:refresh")).status_code == 404
    client.force_login(company["finance"])
    assert client.post(reverse("receivables:refresh")).status_code == 302


def test_an_account_page_shows_the_receivables_panel(client, company, ledger):
    response = _page(client, company["owner"], "accounts:detail", company["a"].pk)
    assert 'id="receivables"' in response.content.decode()
