"""The start page: the user's own portfolio, key accounts, top accounts, recent jobs."""

from __future__ import annotations

from django.urls import reverse

from openkam.accounts import services
from openkam.accounts.tests.factories import add_invoice, months_ago
from openkam.core.models import Job

URL = reverse("home")


def test_home_counts_only_the_users_accounts(client, company):
    client.force_login(company["owner"])
    assert client.get(URL).context["counts"] == {"total": 2, "key": 0, "strategic": 0}


def test_home_counts_key_accounts(client, company):
    services.account_set_tier(actor=company["head"], account=company["a"], tier="key")
    client.force_login(company["owner"])
    assert client.get(URL).context["counts"]["key"] == 1


def test_top_accounts_are_ranked_by_revenue(client, company):
    today = company["today"]
    add_invoice(company["a1"], months_ago(today, 1), [("900.00", "0")])
    add_invoice(company["a"], months_ago(today, 1), [("100.00", "0")])
    client.force_login(company["owner"])
    top = client.get(URL).context["top_accounts"]
    assert [account.name for account in top] == ["Alfa Logistyka Sp. z o.o.", "Alfa Hurt S.A."]


def test_recent_jobs_are_shown_to_heads(client, company):
    Job.objects.create(kind="import", title="invoices-2026.csv", created_by=company["head"])
    client.force_login(company["head"])
    assert "invoices-2026.csv" in client.get(URL).content.decode()


def test_recent_jobs_are_not_shown_to_kams(client, company):
    Job.objects.create(kind="import", title="invoices-2026.csv", created_by=company["head"])
    client.force_login(company["owner"])
    assert "invoices-2026.csv" not in client.get(URL).content.decode()


def test_navigation_offers_deputies_tokens_and_api_docs(client, company):
    client.force_login(company["owner"])
    body = client.get(URL).content.decode()
    assert all(
        link in body for link in ('href="/me/deputies/"', 'href="/me/tokens/"', 'href="/api/docs"')
    )


def test_import_link_only_for_those_who_may_import(client, company):
    client.force_login(company["owner"])
    assert 'href="/import/"' not in client.get(URL).content.decode()
    client.force_login(company["head"])
    assert 'href="/import/"' in client.get(URL).content.decode()


def test_a_jobs_title_reads_in_the_readers_language(client, company):
    Job.objects.create(
        kind="import",
        title="Import Invoices: faktury.csv",  # as the uploader saw it, in English
        params={"kind": "invoices", "file_name": "faktury.csv"},
        created_by=company["head"],
    )
    client.force_login(company["head"])
    client.cookies["django_language"] = "pl"
    page = client.get(URL).content.decode()
    assert "faktury.csv" in page and "Import Invoices" not in page
