"""The demo company, built once at a small scale and checked for believability."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Count, F, Max, Min, Sum
from django.utils import timezone

from openkam.accounts.models import Account, Assignment, KeyStatusChange
from openkam.accounts.validators import normalize_tax_id
from openkam.core.models import AuditEntry
from openkam.demo.build import DemoError, build_demo
from openkam.demo.reset import delete_demo
from openkam.demo.staff import PEOPLE
from openkam.ledger.models import Invoice, InvoiceLine, Payment
from openkam.stakeholders.models import Contact
from openkam.users.models import KAM_ROLES, Deputy, Role, User
from openkam.users.permissions import acting_for_user_ids

LINES, ACCOUNTS = 20_000, 300


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Built outside the per-test transaction (it takes a second), removed afterwards."""
    with django_db_blocker.unblock():
        result = build_demo(lines=LINES, accounts=ACCOUNTS, seed=11)
        yield result
        delete_demo()


pytestmark = pytest.mark.django_db


def test_builds_about_the_requested_number_of_lines(demo):
    assert 0.9 * LINES <= InvoiceLine.objects.count() <= 1.1 * LINES


def test_builds_the_requested_number_of_customers(demo):
    assert Account.objects.filter(source="demo").count() == ACCOUNTS


def test_top_fifth_of_customers_bring_about_three_quarters_of_revenue(demo):
    revenue = sorted(
        (
            row["total"]
            for row in InvoiceLine.objects.values("account").annotate(total=Sum("net_amount"))
        ),
        reverse=True,
    )
    revenue += [Decimal(0)] * (ACCOUNTS - len(revenue))
    share = sum(revenue[: ACCOUNTS // 5]) / sum(revenue)
    assert 0.70 <= share <= 0.85


def test_group_root_is_the_top_of_each_parent_chain(demo):
    accounts = {a.pk: a for a in Account.objects.filter(source="demo")}
    for account in accounts.values():
        top = account
        while top.parent_id is not None:
            top = accounts[top.parent_id]
        assert account.group_root_id == top.pk, account.name


def test_some_groups_are_three_levels_deep(demo):
    grandchildren = Account.objects.filter(parent__parent__isnull=False)
    assert grandchildren.exists()


def test_groups_are_businesses_not_public_institutions(demo):
    groups = Account.objects.filter(children__isnull=False, parent__isnull=True).distinct()
    assert groups.exists()
    assert not groups.filter(segment="Public sector").exists()
    assert all(group.name.startswith("Grupa ") for group in groups)


def test_groups_have_between_two_and_six_subsidiaries(demo):
    sizes = (
        Account.objects.filter(parent__isnull=False)
        .values("group_root")
        .annotate(members=Count("pk"))
        .values_list("members", flat=True)
    )
    assert sizes and all(2 <= size <= 6 for size in sizes)


def test_invoice_totals_equal_the_sums_of_their_lines(demo):
    # Compared in Python: SQLite keeps decimals as floats, so SQL sums carry float noise.
    sums = Invoice.objects.annotate(net=Sum("lines__net_amount"), cost=Sum("lines__cost_amount"))
    rows = list(sums.values_list("net_total", "net", "cost_total", "cost"))
    assert len(rows) > 1000
    assert all(net_total == net and cost_total == cost for net_total, net, cost_total, cost in rows)


def test_lines_copy_account_date_and_currency_from_their_invoice(demo):
    differing = InvoiceLine.objects.exclude(
        account=F("invoice__account"),
        issued_on=F("invoice__issued_on"),
        currency=F("invoice__currency"),
    )
    assert not differing.exists()


def test_invoice_numbers_follow_the_polish_pattern(demo):
    invoice = Invoice.objects.filter(net_total__gt=0).order_by("issued_on", "id").first()
    assert invoice.number == f"FV/{invoice.issued_on:%Y/%m}/00001"
    assert invoice.external_id == invoice.number


def lines_in_months(months: set[int], **filters) -> int:
    return InvoiceLine.objects.filter(issued_on__month__in=months, **filters).count()


def test_the_fourth_quarter_sells_more_than_august(demo):
    # Per month: the average fourth-quarter month against August.
    assert lines_in_months({10, 11, 12}) / 3 > 1.15 * lines_in_months({8})


def test_drinks_sell_more_in_summer_than_in_winter(demo):
    drinks = {"product__product_line": "Napoje"}
    assert lines_in_months({6, 7, 8}, **drinks) > 1.4 * lines_in_months({1, 2, 3}, **drinks)


def test_a_customer_pays_more_for_the_same_product_a_year_later(demo):
    first_year = Invoice.objects.aggregate(first=Min("issued_on"))["first"].year
    years = (first_year + 1, first_year + 2)
    sales = InvoiceLine.objects.filter(quantity__gt=0, issued_on__year__in=years)
    account, product = (
        sales.values("account", "product")
        .annotate(years=Count("issued_on__year", distinct=True))
        .filter(years=2)
        .order_by("account", "product")
        .values_list("account", "product")[0]
    )

    def unit_price(year: int) -> Decimal:
        line = sales.filter(account=account, product=product, issued_on__year=year).first()
        return line.net_amount / line.quantity

    assert unit_price(years[1]) > unit_price(years[0])


def test_tax_ids_carry_valid_check_digits(demo):
    accounts = list(Account.objects.filter(source="demo").exclude(tax_id=""))
    assert len(accounts) == ACCOUNTS
    for account in accounts:
        assert normalize_tax_id(account.tax_id, account.country) == account.tax_id


def test_some_customers_are_russian_with_an_inn(demo):
    russian = Account.objects.filter(source="demo", country="RU")
    assert russian.exists()
    assert all(len(account.tax_id) == 10 for account in russian)


def test_every_kam_owns_accounts(demo):
    owners = set(
        Assignment.objects.active(timezone.localdate())
        .filter(role="owner")
        .values_list("user__username", flat=True)
    )
    kams = {p.username for p in PEOPLE if p.role in KAM_ROLES}
    assert kams <= owners


def test_every_account_has_exactly_one_current_owner(demo):
    owners = (
        Assignment.objects.active(timezone.localdate())
        .filter(role="owner")
        .values("account")
        .annotate(n=Count("pk"))
    )
    assert len(owners) == ACCOUNTS
    assert {row["n"] for row in owners} == {1}


def test_past_owners_are_kept_as_ended_assignments(demo):
    assert Assignment.objects.filter(role="owner", ends_on__isnull=False).exists()


def test_juniors_have_a_senior_and_a_junior_role_on_some_accounts(demo):
    juniors = User.objects.filter(role=Role.JUNIOR_KAM)
    assert juniors.count() == 2
    for junior in juniors:
        assert junior.senior.role == Role.SENIOR_KAM
        assert Assignment.objects.filter(user=junior, role="junior").exists()


def test_key_and_strategic_tiers_come_with_decisions_by_the_head(demo):
    head = User.objects.get(username="head")
    for account in Account.objects.exclude(tier="standard"):
        latest = KeyStatusChange.objects.filter(account=account).first()
        assert latest.tier == account.tier
        assert latest.decided_by == head
        assert latest.reason
    assert Account.objects.filter(tier="strategic").count() == 20
    assert Account.objects.filter(tier="key").count() == 60


def test_each_status_change_starts_from_the_tier_the_last_one_set(demo):
    tiers: dict[int, str] = {}
    for change in KeyStatusChange.objects.order_by("decided_at", "id"):
        assert change.previous_tier == tiers.get(change.account_id, "standard")
        tiers[change.account_id] = change.tier
    assert tiers == dict(Account.objects.exclude(status_changes=None).values_list("pk", "tier"))


def test_tier_decisions_appear_in_the_account_history(demo):
    change = KeyStatusChange.objects.filter(tier="strategic").first()
    entry = AuditEntry.objects.get(account=change.account, action="update", at=change.decided_at)
    assert entry.actor == change.decided_by
    assert entry.changes == {"tier": ["key", "strategic"]}


def test_every_account_is_recorded_as_imported(demo):
    imported = AuditEntry.objects.filter(action="import", via="demo")
    assert imported.values("account").distinct().count() == ACCOUNTS


def test_a_declining_key_account_was_demoted(demo):
    assert KeyStatusChange.objects.filter(tier="standard", previous_tier="key").exists()


def test_one_deputy_stands_in_today_and_one_did_in_the_past(demo):
    today = timezone.localdate()
    assert Deputy.objects.filter(starts_on__lte=today, ends_on__gte=today).count() == 1
    assert Deputy.objects.filter(ends_on__lt=today).count() == 1


def test_the_deputy_sees_the_absent_kams_accounts_today(demo):
    deputy = Deputy.objects.get(ends_on__gte=timezone.localdate())
    absent_owned = Assignment.objects.active(timezone.localdate()).filter(user=deputy.principal)
    visible = Account.objects.visible_to(deputy.deputy)
    assert visible.filter(pk=absent_owned.first().account_id).exists()


def test_a_kam_does_not_see_a_colleagues_stand_alone_account(demo):
    marek, tomasz = User.objects.get(username="marek"), User.objects.get(username="tomasz")
    # Marek stands in for a colleague this week: leave out accounts that colleague shares.
    marek_works_for = acting_for_user_ids(marek)
    shared = Assignment.objects.active(timezone.localdate()).filter(user_id__in=marek_works_for)
    theirs = (
        Assignment.objects.active(timezone.localdate())
        .filter(user=tomasz, account__parent__isnull=True, account__children__isnull=True)
        .exclude(account_id__in=shared.values("account_id"))
        .first()
    )
    assert not Account.objects.visible_to(marek).filter(pk=theirs.account_id).exists()


def test_returns_are_negative_lines_with_a_reason(demo):
    returns = InvoiceLine.objects.filter(net_amount__lt=0)
    share = returns.count() / InvoiceLine.objects.count()
    assert 0.005 <= share <= 0.03
    assert not returns.filter(return_reason="").exists()
    assert not InvoiceLine.objects.filter(net_amount__gt=0).exclude(return_reason="").exists()


def test_some_payments_came_more_than_thirty_days_late(demo):
    late = Payment.objects.filter(paid_on__gt=F("invoice__due_on") + timedelta(days=30))
    assert late.count() > 20


def test_most_invoices_were_paid_by_the_due_date(demo):
    paid = Payment.objects.filter(invoice__isnull=False)
    on_time = paid.filter(paid_on__lte=F("invoice__due_on")).count()
    assert on_time / paid.count() > 0.55


def test_some_recent_overdue_invoices_are_unpaid_or_paid_in_part(demo):
    today = timezone.localdate()
    overdue = Invoice.objects.filter(
        net_total__gt=0, due_on__lt=today, due_on__gte=today - timedelta(days=180)
    ).annotate(paid=Sum("payments__amount"))
    open_ones = [
        number
        for number, total, paid in overdue.values_list("number", "net_total", "paid")
        if paid is None or paid < total
    ]
    assert len(open_ones) >= 5


def test_no_invoice_is_paid_more_than_its_total(demo):
    paid = Invoice.objects.annotate(paid=Sum("payments__amount")).filter(paid__isnull=False)
    assert all(paid <= total for total, paid in paid.values_list("net_total", "paid"))


def test_nothing_is_dated_after_today(demo):
    today = timezone.localdate()
    assert InvoiceLine.objects.aggregate(last=Max("issued_on"))["last"] <= today
    assert Payment.objects.aggregate(last=Max("paid_on"))["last"] <= today


def test_key_accounts_have_more_contacts_than_others(demo):
    def average(accounts):
        counts = accounts.annotate(n=Count("contacts")).values_list("n", flat=True)
        return sum(counts) / len(counts)

    key = Account.objects.exclude(tier="standard")
    assert average(key) >= 2 > average(Account.objects.filter(tier="standard"))
    assert Contact.objects.filter(position="Dyrektor zakupów").exists()


def test_demo_users_log_in_with_the_demo_password(demo, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    users = User.objects.filter(username__in=[p.username for p in PEOPLE])
    assert users.count() == len(PEOPLE)
    assert len({user.password for user in users}) == 1  # one hash, made once, shared
    assert users.first().check_password("demo")


def test_a_second_build_is_refused(demo):
    with pytest.raises(DemoError):
        build_demo(lines=1000, accounts=20)
