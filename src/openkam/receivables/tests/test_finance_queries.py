"""The finance view's queries: a fixed number of them whoever reads, and every one of them
narrowed to the reader's accounts (a hidden account answers as a missing one)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openkam.accounts import services
from openkam.accounts.models import Account, Assignment, AssignmentRole
from openkam.receivables import finance
from openkam.receivables.models import ReceivablesSummary
from openkam.users.models import Role

# session, user, collection policy, the reader's accounts (a KAM's), the totals (which
# count the rows and name the currencies and the as-of day), the page of rows, the KAM
# filter's owners
PAGE_QUERIES = 7
GROUP_PAGE_QUERIES = PAGE_QUERIES + 1  # groups are counted apart


def _summary(account, currency: str, balance: str, day, *, overdue: str = "0") -> None:
    ReceivablesSummary.objects.create(
        account=account, currency=currency, as_of=day, balance=Decimal(balance),
        not_due=Decimal(balance) - Decimal(overdue), days_over_90=Decimal(overdue),
        overdue=Decimal(overdue),
    )  # fmt: skip


@pytest.fixture
def stored(company):
    """Stored aging of A and its subsidiary A1 (the owner's), of B (another KAM's, in a
    currency of its own and computed a day later) and of C (a junior's)."""
    today = company["today"]
    _summary(company["a"], "PLN", "1000.00", today, overdue="400.00")
    _summary(company["a1"], "PLN", "200.00", today)
    _summary(company["b"], "EUR", "777.00", today + timedelta(days=1), overdue="777.00")
    _summary(company["b"], "PLN", "50.00", today + timedelta(days=1))
    _summary(company["c"], "PLN", "0.00", today)
    return company


def _get(client, user, **params):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("receivables:list"), params)
    assert response.status_code == 200
    return response, queries


def test_a_kam_reads_only_their_accounts_in_every_part_of_the_page(client, stored):
    company = stored
    response, _ = _get(client, company["owner"], all="1")
    context = response.context
    assert {row.account for row in context["page"]} == {company["a"], company["a1"]}
    assert context["page"].paginator.count == 2
    assert [(t["currency"], t["balance"], t["count"]) for t in context["totals"]] == [
        ("PLN", Decimal("1200.00"), 2)
    ]
    assert context["currencies"] == ["PLN"]  # B's euros are not named
    assert context["as_of"] == company["today"]  # nor B's later day
    assert context["kams"] == [company["owner"]]
    body = response.content.decode()
    assert company["b"].name not in body and "EUR" not in body


def test_the_head_reads_every_account(client, stored):
    company = stored
    response, _ = _get(client, company["head"], all="1")
    context = response.context
    assert context["page"].paginator.count == 5
    assert context["currencies"] == ["EUR", "PLN"]
    assert context["as_of"] == company["today"] + timedelta(days=1)
    assert [(t["currency"], t["count"]) for t in context["totals"]] == [("EUR", 1), ("PLN", 4)]
    assert set(context["kams"]) == {company["owner"], company["other_kam"]}


def test_the_filters_narrow_the_totals_but_not_the_currencies(client, stored):
    company = stored
    response, _ = _get(client, company["head"], currency="EUR")
    context = response.context
    assert [(t["currency"], t["balance"], t["count"]) for t in context["totals"]] == [
        ("EUR", Decimal("777.00"), 1)
    ]
    assert context["page"].paginator.count == 1
    assert context["currencies"] == ["EUR", "PLN"]
    response, _ = _get(client, company["head"], kam=str(company["other_kam"].pk), all="1")
    context = response.context
    assert {row.account for row in context["page"]} == {company["b"]}
    assert [(t["currency"], t["overdue"], t["count"]) for t in context["totals"]] == [
        ("EUR", Decimal("777.00"), 1), ("PLN", Decimal("0.00"), 1),
    ]  # fmt: skip
    response, _ = _get(client, company["owner"], kam=str(company["other_kam"].pk), all="1")
    assert (response.context["totals"], response.context["page"].paginator.count) == ([], 0)
    assert response.context["currencies"] == ["PLN"]


def test_settled_accounts_are_left_out_and_counted_so(client, stored):
    response, _ = _get(client, stored["junior"])
    assert response.context["page"].paginator.count == 0
    assert list(response.context["page"]) == []
    assert response.context["currencies"] == ["PLN"]


def test_a_kam_with_nothing_to_see_meets_a_page_without_receivables(client, stored, make_user):
    # A KAM with no account: nothing stored is theirs, not even the day of the refresh.
    response, _ = _get(client, make_user("newkam", Role.KAM))
    context = response.context
    assert (context["page"].paginator.count, context["totals"], context["currencies"]) == (
        0, [], [],
    )  # fmt: skip
    assert context["as_of"] is None and context["kams"] == []


def test_per_group_a_kam_counts_and_names_only_what_they_see(client, stored):
    company = stored
    Assignment.objects.create(
        account=company["a1"], user=company["other_kam"], role=AssignmentRole.OWNER,
        starts_on=company["today"] - timedelta(days=10),
    )  # fmt: skip
    response, _ = _get(client, company["other_kam"], by="group", all="1")
    rows = list(response.context["page"])
    names = sorted((row["name"], row["currency"]) for row in rows)
    # A1's head company is hidden from them: A1 stands under its own name.
    assert names == [(company["a1"].name, "PLN"), (company["b"].name, "EUR"),
                     (company["b"].name, "PLN")]  # fmt: skip
    assert response.context["page"].paginator.count == 3
    response, _ = _get(client, company["head"], by="group", all="1")
    groups = {(row["name"], row["currency"]): row["balance"] for row in response.context["page"]}
    assert groups[(company["a"].name, "PLN")] == Decimal("1200.00")


@pytest.mark.parametrize("persona", ["head", "owner", "senior", "deputy", "finance"])
def test_the_page_runs_a_fixed_number_of_queries(client, stored, persona):
    _, queries = _get(client, stored[persona])
    assert len(queries) <= PAGE_QUERIES, [q["sql"][:120] for q in queries]
    _, queries = _get(client, stored[persona], by="group")
    assert len(queries) <= GROUP_PAGE_QUERIES, [q["sql"][:120] for q in queries]


def test_the_number_of_queries_does_not_grow_with_the_accounts(client, stored):
    company = stored
    _, before = _get(client, company["owner"])
    for n in range(30):
        extra = services.account_create(
            actor=company["head"], name=f"Extra {n}", parent=company["a"]
        )
        _summary(extra, "PLN", "10.00", company["today"], overdue="10.00")
    response, after = _get(client, company["owner"])
    assert len(after) == len(before)
    assert response.context["page"].paginator.count == 32


def test_the_ids_go_as_one_parameter_however_many(client, stored):
    """The reader's ids are one array (PostgreSQL) or one JSON array (SQLite), never a
    parameter each: SQLite caps them, PostgreSQL parses a long list slowly."""
    company = stored
    for n in range(40):
        extra = services.account_create(
            actor=company["head"], name=f"Extra {n}", parent=company["a"]
        )
        _summary(extra, "PLN", "10.00", company["today"], overdue="10.00")
    seen = finance.Seen.of(company["owner"])
    assert seen.ids is not None and len(seen.ids) == 42
    statements: list[tuple[str, tuple]] = []

    def caught(execute, sql, params, many, context):
        statements.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    client.force_login(company["owner"])
    for params in ({}, {"by": "group"}):
        with connection.execute_wrapper(caught):
            assert client.get(reverse("receivables:list"), params).status_code == 200
    summaries = [(sql, ps) for sql, ps in statements if "receivablessummary" in sql]
    assert len(summaries) >= 5
    assert all(len(ps) < 20 for _, ps in summaries), [len(ps) for _, ps in summaries]


def test_without_arrays_the_rule_is_a_subquery(client, stored, monkeypatch):
    """A database that takes no array of ids gets the visibility rule as a subquery,
    with the same rows."""
    monkeypatch.setattr(finance, "takes_ids_array", lambda: False)
    seen = finance.Seen.of(stored["owner"])
    assert seen.ids is None and seen.subquery is not None and not seen.everything
    rows = seen.narrow(ReceivablesSummary.objects.all())
    assert {row.account_id for row in rows} == {stored["a"].pk, stored["a1"].pk}
    response, _ = _get(client, stored["owner"], all="1", by="group")
    assert sorted(row["name"] for row in response.context["page"]) == [stored["a"].name]
    assert response.context["currencies"] == ["PLN"]


def test_seen_accounts_are_those_of_the_gate(stored):
    for persona in ("owner", "other_kam", "senior", "junior", "deputy", "past_deputy"):
        user = stored[persona]
        seen = finance.Seen.of(user)
        expected = set(Account.objects.visible_to(user).values_list("pk", flat=True))
        assert seen.ids is not None and set(seen.ids) == expected, persona
    for persona in ("head", "admin", "finance", "viewer"):
        assert finance.Seen.of(stored[persona]).everything, persona
