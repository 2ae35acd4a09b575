"""The account page: dossier, group, chart figures, invoices, history, edit form."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from openkam.accounts import services
from openkam.accounts.models import AssignmentRole
from openkam.core.models import AuditEntry
from openkam.ledger.figures import revenue_series
from openkam.ledger.models import InvoiceLine
from openkam.users.models import Role


def page(client, account):
    return client.get(reverse("accounts:detail", args=[account.pk]))


def chart_rows(response) -> list[dict]:
    return response.context["chart_data"]


@pytest.fixture
def owner_client(client, company):
    client.force_login(company["owner"])
    return client


def test_chart_covers_thirty_six_months_ending_this_month(owner_client, company, ledger):
    rows = chart_rows(page(owner_client, company["a1"]))
    assert len(rows) == 36 and rows[-1]["month"] == f"{company['today']:%Y-%m}"


def test_chart_revenue_sums_to_invoice_lines_of_the_period(owner_client, company, ledger):
    rows = chart_rows(page(owner_client, company["a1"]))
    lines = InvoiceLine.objects.filter(account=company["a1"])
    assert sum(Decimal(r["revenue"]) for r in rows) == sum(line.net_amount for line in lines)


def test_chart_margin_is_revenue_minus_cost(owner_client, company, ledger):
    rows = chart_rows(page(owner_client, company["a1"]))
    assert sum(Decimal(r["margin"]) for r in rows) == Decimal("500.00")


def test_group_root_chart_adds_up_the_whole_group(owner_client, company, ledger):
    rows = chart_rows(page(owner_client, company["a"]))
    group_lines = InvoiceLine.objects.filter(
        account__in=[company["a"], company["a1"]], issued_on__gte=_first_chart_month(rows)
    )
    assert sum(Decimal(r["revenue"]) for r in rows) == sum(x.net_amount for x in group_lines)


def _first_chart_month(rows):
    from datetime import date

    year, month = map(int, rows[0]["month"].split("-"))
    return date(year, month, 1)


def test_chart_data_is_embedded_for_plotly(owner_client, company, ledger):
    body = page(owner_client, company["a"]).content.decode()
    assert 'id="revenue-chart"' in body and 'id="revenue-data"' in body
    assert "vendor/plotly/plotly-basic.min.js" in body and "openkam/revenue_chart.js" in body


def test_empty_months_are_zero(company, ledger):
    series = revenue_series(user=company["owner"], account=company["a1"], months=36)
    assert [row.revenue for row in series].count(Decimal("0.00")) == 35


def test_series_of_an_invisible_account_is_empty(company, ledger):
    series = revenue_series(user=company["other_kam"], account=company["a1"], months=36)
    assert all(row.revenue == 0 for row in series)


def test_page_lists_recent_invoices_and_payments(owner_client, company, ledger):
    body = page(owner_client, company["a"]).content.decode()
    assert ledger["a_now"].number in body and "1,250.50\u00a0PLN" in body


def test_subsidiary_page_links_its_parent(owner_client, company):
    body = page(owner_client, company["a1"]).content.decode()
    assert f'href="/accounts/{company["a"].pk}/"' in body


def test_group_tree_hides_names_of_accounts_the_user_may_not_see(client, company, make_user):
    kam = make_user("sub_kam", Role.KAM)
    services.assignment_start(
        actor=company["head"], account=company["a1"], user=kam, starts_on=company["today"]
    )
    client.force_login(kam)
    body = page(client, company["a1"]).content.decode()
    assert "Alfa Hurt" not in body and "an account you do not work on" in body


def test_assignment_history_shows_ended_owner(owner_client, company):
    services.assignment_start(
        actor=company["head"],
        account=company["a"],
        user=company["senior"],
        role=AssignmentRole.SUPPORT,
        starts_on=company["today"],
    )
    rows = page(owner_client, company["a"]).context["assignments"]
    assert {(r.user.username, r.role) for r in rows} == {
        ("owner", "owner"),
        ("senior", "support"),
    }


def test_account_page_query_count_is_bounded(
    owner_client, company, ledger, django_assert_max_num_queries
):
    # History names its foreign keys with one query per related model (users, accounts).
    with django_assert_max_num_queries(40):
        page(owner_client, company["a"])


def _queries_of_page(client, account) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert page(client, account).status_code == 200
    return len(queries)


def _more_of_everything(company, round_: int) -> None:
    """Contacts, invoices, payments, subsidiaries, assignments and edits on account A."""
    from openkam.accounts.tests.factories import add_invoice, add_payment, months_ago
    from openkam.stakeholders.services import contact_create

    a, head = company["a"], company["head"]
    for i in range(3):
        contact_create(actor=head, account=a, last_name=f"Kontakt{round_}{i}")
        invoice = add_invoice(a, months_ago(company["today"], i), [("10.00", "5.00")] * 2)
        add_payment(a, company["today"], "20.00", invoice)
        services.account_create(actor=head, name=f"Alfa Córka {round_}{i}", parent=a)
        services.account_update(actor=head, account=a, city=f"Miasto {round_}{i}")
    services.assignment_start(
        actor=head, account=a, user=company["other_kam"], role=AssignmentRole.SUPPORT
    )


def test_account_page_queries_do_not_grow_with_its_records(owner_client, company, ledger):
    """No N+1: three times the contacts, invoices, subsidiaries and history, same queries."""
    _more_of_everything(company, 1)
    before = _queries_of_page(owner_client, company["a"])
    _more_of_everything(company, 2)
    assert _queries_of_page(owner_client, company["a"]) == before


# --- editing -----------------------------------------------------------------------------


def edit(client, account, **changes):
    data = {
        "name": account.name,
        "legal_form": account.legal_form,
        "tax_id": account.tax_id,
        "country": account.country,
        "region": account.region,
        "city": account.city,
        "industry": account.industry,
        "segment": account.segment,
        "currency": account.currency,
    }
    data.update(changes)
    return client.post(reverse("accounts:edit", args=[account.pk]), data)


def test_edit_saves_through_the_service_and_redirects(owner_client, company):
    response = edit(owner_client, company["a"], city="Kraków")
    company["a"].refresh_from_db()
    assert response.status_code == 302 and company["a"].city == "Kraków"


def test_edit_is_recorded_with_old_and_new_value(owner_client, company):
    edit(owner_client, company["a"], city="Kraków")
    entry = AuditEntry.objects.filter(model="accounts.Account", action="update").get()
    assert (entry.actor, entry.changes) == (company["owner"], {"city": ["", "Kraków"]})


def test_history_on_the_page_shows_the_edit(owner_client, company):
    edit(owner_client, company["a"], segment="Pharmacy chains")
    body = page(owner_client, company["a"]).content.decode()
    history = body[body.index('id="history"') :]
    assert "Pharmacy chains" in history and "Owner" in history and "segment" in history


def test_invalid_nip_is_shown_on_the_form_and_nothing_is_saved(owner_client, company):
    response = edit(owner_client, company["a"], tax_id="1234567890")
    company["a"].refresh_from_db()
    assert response.status_code == 200
    assert "1234567890 is not a valid NIP" in response.content.decode()
    assert company["a"].tax_id == "5260250995"


def test_nip_error_sits_on_the_tax_id_field(owner_client, company):
    response = edit(owner_client, company["a"], tax_id="1234567890")
    assert response.context["form"].errors["tax_id"]


def test_blank_name_is_refused(owner_client, company):
    response = edit(owner_client, company["a"], name="")
    assert response.status_code == 200 and response.context["form"].errors["name"]


def test_edit_link_hidden_for_viewer(client, company):
    client.force_login(company["viewer"])
    body = page(client, company["a"]).content.decode()
    assert reverse("accounts:edit", args=[company["a"].pk]) not in body


# --- contacts ----------------------------------------------------------------------------


def test_adding_a_contact_shows_it_on_the_account_page(owner_client, company):
    owner_client.post(
        reverse("account_stakeholders:contact_create", args=[company["a"].pk]),
        {"first_name": "Anna", "last_name": "Nowak", "email": "anna@example.com"},
    )
    body = page(owner_client, company["a"]).content.decode()
    assert "Anna Nowak" in body and "anna@example.com" in body


def test_contact_edit_is_audited_on_the_account(owner_client, company):
    from openkam.stakeholders.services import contact_create

    contact = contact_create(actor=company["owner"], account=company["a"], last_name="Nowak")
    owner_client.post(
        reverse("stakeholders:contact_edit", args=[contact.pk]),
        {"first_name": "", "last_name": "Nowak", "position": "Buyer"},
    )
    entry = AuditEntry.objects.filter(model="stakeholders.Contact", action="update").get()
    assert (entry.account_id, entry.changes["position"]) == (company["a"].pk, ["", "Buyer"])


def test_invalid_contact_email_is_refused(owner_client, company):
    response = owner_client.post(
        reverse("account_stakeholders:contact_create", args=[company["a"].pk]),
        {"last_name": "Nowak", "email": "not-an-address"},
    )
    assert response.status_code == 200 and response.context["form"].errors["email"]


# --- invoice page ------------------------------------------------------------------------


def test_invoice_page_lists_lines_and_total(owner_client, company, ledger):
    response = owner_client.get(reverse("ledger:invoice_detail", args=[ledger["a_now"].pk]))
    body = response.content.decode()
    assert len(response.context["lines"]) == 2 and "1,250.50\u00a0PLN" in body


def test_chart_json_parses(owner_client, company, ledger):
    body = page(owner_client, company["a"]).content.decode()
    start = body.index('<script id="revenue-data" type="application/json">') + len(
        '<script id="revenue-data" type="application/json">'
    )
    rows = json.loads(body[start : body.index("</script>", start)])
    assert len(rows) == 36


def test_group_tree_shows_visible_subsidiaries_and_counts_hidden_ones(client, company, make_user):
    kam = make_user("mid_kam", Role.KAM)
    a1a = services.account_create(actor=company["head"], name="Alfa Sklep", parent=company["a1"])
    services.account_create(actor=company["head"], name="Alfa Magazyn", parent=company["a1"])
    for account in (company["a1"], a1a):
        services.assignment_start(
            actor=company["head"], account=account, user=kam, starts_on=company["today"]
        )
    client.force_login(kam)
    response = page(client, company["a1"])
    body = response.content.decode()
    assert "Alfa Sklep" in body and "Alfa Magazyn" not in body
    assert response.context["hierarchy"].hidden_count == 1


def test_hidden_middle_account_is_skipped_but_its_visible_child_is_shown(company, make_user):
    from openkam.accounts.selectors import group_hierarchy

    kam = make_user("top_kam", Role.KAM)
    middle = services.account_create(
        actor=company["head"], name="Alfa Środek", parent=company["a1"]
    )
    leaf = services.account_create(actor=company["head"], name="Alfa Liść", parent=middle)
    for account in (company["a1"], leaf):
        services.assignment_start(
            actor=company["head"], account=account, user=kam, starts_on=company["today"]
        )
    tree = group_hierarchy(user=kam, account=company["a1"])
    assert [child.name for child in tree.subtree.children] == ["Alfa Liść"]


def test_history_names_people(client, company):
    client.force_login(company["owner"])
    history = client.get(f"/accounts/{company['a'].pk}/").context["history"]
    assignment = next(e for e in history if e.model == "accounts.Assignment")
    users = {c.new for c in assignment.field_changes if c.field == "user_id"}
    assert users == {str(company["owner"])}


def test_history_keeps_a_hidden_parent_as_a_bare_id(client, company, make_user):
    from openkam.accounts import services
    from openkam.users.models import Role

    sub_kam = make_user("subkam", Role.KAM)
    services.assignment_start(actor=company["head"], account=company["a1"], user=sub_kam)
    client.force_login(sub_kam)
    response = client.get(f"/accounts/{company['a1'].pk}/")
    created = next(
        e
        for e in response.context["history"]
        if e.action == "create" and e.model == "accounts.Account"
    )
    parent = next(c for c in created.field_changes if c.field == "parent_id")
    assert parent.new == company["a"].pk
    assert company["a"].name not in response.content.decode()


def test_history_shows_a_list_value_as_text(client, company):
    """Any app may audit a JSON field; the account page must show it, not crash."""
    from openkam.core.models import AuditEntry

    AuditEntry.objects.create(
        actor=company["owner"],
        action="update",
        model="plans.AccountPlan",
        object_id="1",
        account=company["a"],
        changes={"client_key_figures": [[], [{"label": "Sklepy", "value": "20"}]]},
    )
    client.force_login(company["owner"])
    response = client.get(f"/accounts/{company['a'].pk}/")
    assert response.status_code == 200
    assert '{"label": "Sklepy", "value": "20"}' in response.content.decode().replace("&quot;", '"')
