"""Review exports read back as CSV and XLSX; the review page's queries do not grow with items."""

# ruff: noqa: F811 (pytest fixtures imported from review_fixtures)

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from openkam.accounts.models import Account
from openkam.core.exports import safe_text
from openkam.portfolio.recompute import recompute_portfolio
from openkam.portfolio.reviews import services as reviews
from openkam.portfolio.reviews.tests.review_fixtures import (  # noqa: F401 (fixtures)
    add_customers,
    count_queries,
    item_of,
    revenue_model,
    review,
    scored,
)
from openkam.portfolio.tests.conftest import TODAY


def export(client, user, review, fmt: str):
    client.force_login(user)
    return client.get(reverse("reviews:export", args=[review.pk, fmt]))


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return list(book.active.iter_rows(values_only=True))


def test_csv_export_holds_every_item_with_its_proposal(client, scored, review):
    rows = csv_rows(export(client, scored["head"], review, "csv"))
    assert rows[0][:4] == ["Change", "Rank", "Account id", "Account"]
    assert [(row[0], row[3], row[6]) for row in rows[1:]] == [
        ("promote", "Beta Trade", "Key"),
        ("keep", "Alfa Hurt S.A.", "Key"),
        ("demote", "Gamma Retail", "Standard"),
    ]


def test_csv_export_is_an_attachment_named_for_the_review(client, scored, review):
    response = export(client, scored["head"], review, "csv")
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="review-{review.pk}-' in response["Content-Disposition"]


def test_xlsx_export_reads_back_with_decisions(client, scored, review):
    reviews.review_decide(actor=scored["head"], item=item_of(review, scored["b"]), accept=True)
    rows = xlsx_rows(export(client, scored["head"], review, "xlsx"))
    beta = next(row for row in rows[1:] if row[3] == "Beta Trade")
    assert (beta[1], beta[8], beta[9], beta[11]) == (1, "accepted", "Key", str(scored["head"]))


def test_export_holds_only_a_kams_own_accounts(client, scored, review):
    rows = csv_rows(export(client, scored["owner"], review, "csv"))
    assert [row[3] for row in rows[1:]] == ["Alfa Hurt S.A."]


def test_export_of_a_missing_review_is_404(client, scored):
    client.force_login(scored["head"])
    assert client.get(reverse("reviews:export", args=[999, "csv"])).status_code == 404


@pytest.mark.parametrize("text", ["=SUM(A1)", "+1", "-2", "@cmd"])
def test_text_that_a_spreadsheet_would_run_is_kept_as_text(text):
    assert safe_text(text) == "'" + text


def test_account_name_starting_with_equals_exports_as_text(client, scored, review):
    scored["b"].name = "=HYPERLINK(1)"
    scored["b"].save(update_fields=["name"])
    rows = xlsx_rows(export(client, scored["head"], review, "xlsx"))
    assert "'=HYPERLINK(1)" in [row[3] for row in rows[1:]]


def _review_with(company, extra: int):
    start = Account.objects.count()
    add_customers(company, extra, start=start)
    model = revenue_model(f"Model {start}")
    recompute_portfolio(today=TODAY)
    return reviews.review_create(actor=company["head"], scoring_model=model, kam_count=50)


def test_review_page_queries_do_not_grow_with_items(client, ledger):
    client.force_login(ledger["head"])
    small = _review_with(ledger, 3)
    small_count = count_queries(lambda: client.get(reverse("reviews:detail", args=[small.pk])))
    large = _review_with(ledger, 12)
    assert large.items.count() > small.items.count() + 8
    large_count = count_queries(lambda: client.get(reverse("reviews:detail", args=[large.pk])))
    assert large_count == small_count


def test_review_list_queries_do_not_grow_with_reviews(client, ledger):
    client.force_login(ledger["owner"])
    _review_with(ledger, 2)
    one = count_queries(lambda: client.get(reverse("reviews:list")))
    for _ in range(3):
        _review_with(ledger, 1)
    assert count_queries(lambda: client.get(reverse("reviews:list"))) == one
