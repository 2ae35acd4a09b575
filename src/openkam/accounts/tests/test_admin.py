"""The back office: every model is registered, pages load, edits are audited."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from openkam.accounts.tests.factories import build_ledger
from openkam.core.models import AuditEntry
from openkam.stakeholders.services import contact_create

OUR_APPS = (
    "core",
    "users",
    "accounts",
    "stakeholders",
    "ledger",
    "ingest",
    "plans",
    "activities",
    "workspace",
    "credit",
    "sales",
    "pricing",
)
SHOWN_AS_INLINE = {
    "ledger.InvoiceLine",
    "plans.Objective",
    "plans.PlanAction",
    "plans.PlanRisk",
    "plans.PlanReview",
    "activities.ActivityContact",
    "pricing.PriceTier",
    "pricing.VolumeBand",
}


@pytest.fixture
def admin_client(client, company):
    from openkam.accounts.services import account_set_tier
    from openkam.core.models import Job
    from openkam.ingest.defaults import save_defaults
    from openkam.ingest.mappings import save_mapping
    from openkam.ingest.models import ImportBatch
    from openkam.users.models import Team
    from openkam.users.tokens import api_token_create

    build_ledger(company)
    _credit(company)
    _pricing()
    nowak = _stakeholder_map(company)
    _account_workspace(company, nowak)
    account_set_tier(actor=company["head"], account=company["a"], tier="key")
    Team.objects.create(name="North", head=company["head"])
    api_token_create(user=company["owner"], name="script")
    job = Job.objects.create(kind="import", title="invoices.csv", created_by=company["head"])
    ImportBatch.objects.create(
        started_at=job.created_at,
        created_by=company["head"],
        kind="invoices",
        file_name="invoices.csv",
        source="erp",
        status=ImportBatch.Status.SUCCEEDED,
        job=job,
    )
    save_mapping(source="erp", kind="invoices", mapping={"Nr dok.": "invoice_number"}, actor=None)
    save_defaults(source="1c", country="RU", currency="RUB", actor=None)
    client.force_login(company["admin"])
    return client


def _credit(company):
    """A policy, a limit, a check and an order held with an exception asked for."""
    from decimal import Decimal

    from openkam.credit.models import CreditPolicy
    from openkam.credit.services import check_record, limit_set
    from openkam.sales.services import order_ask_exception, order_create

    CreditPolicy.objects.create()
    a, today = company["a"], company["today"]
    limit_set(actor=company["finance"], account=a, amount=Decimal(1), currency="PLN",
              valid_from=today)  # fmt: skip
    check_record(actor=company["finance"], account=a, checked_on=today, source="KRD",
                 risk_class="B")  # fmt: skip
    order, _verdict = order_create(actor=company["owner"], account=a, currency="PLN",
                                   amount=Decimal(100))  # fmt: skip
    order_ask_exception(actor=company["owner"], order=order, reason="Season")


def _pricing():
    """A price list with a tier, a price with a volume band, and a discount rule."""
    from openkam.pricing.tests.factories import price_list, product, rule, set_price

    listed = price_list(tiers=("Detal",))
    set_price(listed, "Detal", product("PRC-1"), "10.00", "slab", (("100", "9.00"),))
    rule("Standard", "5")


def _stakeholder_map(company):
    """A contact with an attitude change and a link, so every stakeholder model has a row."""
    from openkam.stakeholders.models import AttitudeChange, ContactLink

    nowak = contact_create(actor=company["head"], account=company["a"], last_name="Nowak")
    boss = contact_create(actor=company["head"], account=company["a1"], last_name="Zarzycka")
    AttitudeChange.objects.create(contact=nowak, attitude="supporter", previous_attitude="unknown")
    ContactLink.objects.create(source=nowak, target=boss, kind="reports_to")
    return nowak


def _account_workspace(company, contact):
    """A plan from a template, a meeting with the contact, a calendar feed, a competitor."""
    from datetime import datetime, time

    from django.utils import timezone

    from openkam.activities.feeds import calendar_feed_reset
    from openkam.activities.services import activity_create
    from openkam.plans.models import PlanTemplate
    from openkam.plans.services import plan_create
    from openkam.workspace.services import account_competitor_add, competitor_create

    today = company["today"]
    PlanTemplate.objects.create(name="Any segment")
    plan_create(
        actor=company["head"],
        account=company["a"],
        period_start=today.replace(month=1, day=1),
        period_end=today.replace(month=12, day=31),
    )
    starts_at = timezone.make_aware(datetime.combine(today, time(10)))
    activity_create(
        actor=company["owner"],
        account=company["a"],
        kind="meeting",
        subject="Przegląd roczny",
        starts_at=starts_at,
        contacts=[contact],
    )
    calendar_feed_reset(user=company["owner"])
    rival = competitor_create(actor=company["head"], name="Bałtyk Handel")
    account_competitor_add(actor=company["head"], account=company["a"], competitor=rival)


def our_models():
    return [model for label in OUR_APPS for model in apps.get_app_config(label).get_models()]


def test_every_model_of_ours_is_registered():
    missing = [
        m._meta.label
        for m in our_models()
        if not admin.site.is_registered(m) and m._meta.label not in SHOWN_AS_INLINE
    ]
    assert missing == []


def registered_models():
    return [m for m in our_models() if m._meta.label not in SHOWN_AS_INLINE]


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_changelist_loads(admin_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_change_page_loads(admin_client, model):
    obj = model._default_manager.first()
    assert obj is not None, f"the fixture wrote no {model._meta.label} row"
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    assert admin_client.get(url).status_code == 200


def account_form(account, **changes):
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
        "parent": account.parent_id or "",
        "assignments-TOTAL_FORMS": "0",
        "assignments-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_account_edit_in_admin_is_audited(admin_client, company):
    url = reverse("admin:accounts_account_change", args=[company["b"].pk])
    admin_client.post(url, account_form(company["b"], city="Poznań"))
    entry = AuditEntry.objects.get(
        model="accounts.Account", action="update", object_id=str(company["b"].pk)
    )
    assert (entry.actor, entry.changes) == (company["admin"], {"city": ["", "Poznań"]})


def test_account_edit_in_admin_checks_the_nip(admin_client, company):
    url = reverse("admin:accounts_account_change", args=[company["b"].pk])
    response = admin_client.post(url, account_form(company["b"], tax_id="1234567890"))
    assert response.status_code == 200 and "is not a valid NIP" in response.content.decode()


def test_account_cannot_become_its_own_ancestor_in_admin(admin_client, company):
    url = reverse("admin:accounts_account_change", args=[company["a"].pk])
    response = admin_client.post(url, account_form(company["a"], parent=company["a1"].pk))
    assert response.status_code == 200 and "its own ancestor" in response.content.decode()


def test_contact_edit_in_admin_is_audited_as_admin(admin_client, company):
    from openkam.stakeholders.models import Contact

    contact = Contact.objects.get(last_name="Nowak")
    url = reverse("admin:stakeholders_contact_change", args=[contact.pk])
    form = {
        "account": company["a"].pk,
        "last_name": "Nowak",
        "first_name": "Ewa",
        "source": "manual",
        "attitude": "unknown",
    }
    assert admin_client.post(url, form).status_code == 302
    entry = AuditEntry.objects.get(model="stakeholders.Contact", action="update")
    assert (entry.via, entry.changes["first_name"]) == ("admin", ["", "Ewa"])


def test_audit_entries_cannot_be_changed_in_admin(admin_client, company):
    entry = AuditEntry.objects.first()
    url = reverse("admin:core_auditentry_change", args=[entry.pk])
    admin_client.post(url, {"action": "delete"})
    entry.refresh_from_db()
    assert entry.action != "delete"
