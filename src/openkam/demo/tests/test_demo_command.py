"""`kam demo --no-serve`: builds once, prints the logins, --force rebuilds."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from openkam.accounts.models import Account
from openkam.core.models import Job
from openkam.demo.build import DemoError, build_demo
from openkam.demo.reset import delete_demo
from openkam.ledger.models import Invoice, InvoiceLine, Payment
from openkam.users.models import User

pytestmark = pytest.mark.django_db

SMALL = {"no_serve": True, "lines": 2_000, "accounts": 60}


def run_demo(**options) -> str:
    out = StringIO()
    call_command("demo", stdout=out, **{**SMALL, **options})
    return out.getvalue()


def test_demo_builds_the_company_and_prints_the_logins():
    output = run_demo()
    assert Account.objects.filter(source="demo").count() == 60
    assert "head" in output and "Anna Kowalska" in output
    assert "password for all: demo" in output
    # Nothing is served with --no-serve: no address to open, the command to start it.
    assert "http://" not in output and "python3 kam serve" in output


def test_demo_run_again_keeps_the_existing_company():
    run_demo()
    invoices = Invoice.objects.count()
    output = run_demo(seed=99)
    assert "already" in output
    assert Invoice.objects.count() == invoices


def test_demo_force_rebuilds_with_the_new_seed():
    run_demo(seed=1)
    first = list(Account.objects.order_by("external_id").values_list("name", flat=True))
    run_demo(seed=2, force=True)
    second = list(Account.objects.order_by("external_id").values_list("name", flat=True))
    assert len(second) == 60
    assert first != second


def test_demo_rejects_a_non_positive_line_count():
    with pytest.raises(CommandError):
        run_demo(lines=0)


def test_delete_demo_leaves_no_demo_rows_behind():
    build_demo(lines=1_000, accounts=30)
    delete_demo()
    assert not Account.objects.exists()
    assert not InvoiceLine.objects.exists()
    assert not Payment.objects.exists()
    assert not User.objects.exists()


def test_delete_demo_removes_its_price_lists_and_rules_and_keeps_others():
    from datetime import date

    from openkam.demo.pricing import build_pricing
    from openkam.pricing.models import DiscountRule, Price, PriceList
    from openkam.pricing.tests.factories import price_list, rule

    build_demo(lines=1_000, accounts=30)
    build_pricing(today=date(2026, 12, 2))
    ours = price_list("Cennik USD", currency="USD")
    rule("Our own rule", "3")
    delete_demo()
    assert not Price.objects.exists()
    assert list(PriceList.objects.all()) == [ours]
    assert list(DiscountRule.objects.values_list("name", flat=True)) == ["Our own rule"]
    from openkam.core.models import AuditEntry

    assert not AuditEntry.objects.filter(model__startswith="pricing.", via="demo").exists()


def test_records_added_after_the_demo_get_fresh_ids():
    build_demo(lines=1_000, accounts=30)
    account = Account.objects.create(name="Nowy klient Sp. z o.o.")
    invoice = Invoice.objects.create(number="FV/1", account=account, issued_on="2026-01-02")
    assert account.pk > Account.objects.filter(source="demo").order_by("-pk")[0].pk
    assert invoice.pk > Invoice.objects.filter(source="demo").order_by("-pk")[0].pk


def test_a_finished_build_is_recorded_as_a_succeeded_job():
    build_demo(lines=1_000, accounts=30)
    job = Job.objects.get(kind="demo")
    assert job.status == Job.Status.SUCCEEDED
    assert job.done == job.total == 37


def test_demo_refuses_to_serve_a_build_that_broke_off():
    build_demo(lines=1_000, accounts=30)
    Job.objects.filter(kind="demo").update(status=Job.Status.FAILED)
    with pytest.raises(CommandError, match="--force"):
        run_demo()


def sales_schema() -> dict:
    with connection.cursor() as cursor:
        return {
            model._meta.db_table: connection.introspection.get_constraints(
                cursor, model._meta.db_table
            )
            for model in (Invoice, InvoiceLine, Payment)
        }


def test_a_bulk_load_restores_every_key_and_index_it_set_aside():
    before = sales_schema()
    build_demo(lines=2_000, accounts=40, bulk_load=True)
    assert sales_schema() == before
    assert InvoiceLine.objects.count() > 1_500


def test_a_month_by_month_build_stores_the_same_sales_as_a_bulk_one():
    def sales() -> list[tuple]:
        return list(Invoice.objects.order_by("number").values_list("number", "net_total"))

    build_demo(lines=1_500, accounts=30, bulk_load=False)
    month_by_month = sales()
    delete_demo()
    build_demo(lines=1_500, accounts=30, bulk_load=True)
    assert sales() == month_by_month


def test_a_build_over_existing_demo_usernames_is_refused_before_writing():
    User.objects.create_user(username="head", password="x")
    with pytest.raises(DemoError, match="head"):
        build_demo(lines=1_000, accounts=30)
    assert not Account.objects.exists()
