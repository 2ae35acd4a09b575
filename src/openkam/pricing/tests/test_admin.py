"""Editing the price catalogue in the back office: validated and audited, inlines too."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from openkam.core.models import AuditEntry
from openkam.pricing.models import PriceList, PriceTier
from openkam.pricing.tests.factories import price_list


@pytest.fixture
def admin_client(client, company):
    client.force_login(company["admin"])
    return client


def list_form(price_list_=None, tiers=(), **changes) -> dict:
    data = {
        "name": "Cennik 2027",
        "currency": "PLN",
        "valid_from": "2027-01-01",
        "valid_to": "",
        "note": "",
        "tiers-TOTAL_FORMS": str(len(tiers)),
        "tiers-INITIAL_FORMS": str(sum(1 for tier in tiers if tier.get("id"))),
        "tiers-MIN_NUM_FORMS": "0",
        "tiers-MAX_NUM_FORMS": "1000",
    }
    if price_list_ is not None:
        data |= {
            "name": price_list_.name,
            "currency": price_list_.currency,
            "valid_from": price_list_.valid_from.isoformat(),
            "valid_to": price_list_.valid_to.isoformat() if price_list_.valid_to else "",
        }
    for index, tier in enumerate(tiers):
        for name, value in tier.items():
            data[f"tiers-{index}-{name}"] = value
    return data | changes


def test_a_list_and_its_tiers_added_in_the_back_office_are_audited(admin_client, company):
    tiers = [
        {"name": "Detal", "position": "0", "is_default": "on"},
        {"name": "Key", "position": "1"},
    ]
    response = admin_client.post(reverse("admin:pricing_pricelist_add"), list_form(tiers=tiers))
    assert response.status_code == 302
    listed = PriceList.objects.get(name="Cennik 2027")
    assert [(t.name, t.is_default) for t in listed.tiers.all()] == [("Detal", True), ("Key", False)]
    labels = list(
        AuditEntry.objects.filter(via="admin").order_by("pk").values_list("model", "action")
    )
    assert labels == [
        ("pricing.PriceList", "create"), ("pricing.PriceTier", "create"),
        ("pricing.PriceTier", "create"),
    ]  # fmt: skip


def test_an_overlapping_list_is_refused_with_the_reason(admin_client, company):
    price_list("Cennik 2026")
    response = admin_client.post(reverse("admin:pricing_pricelist_add"), list_form())
    assert response.status_code == 200
    assert "which overlaps these dates" in response.content.decode()
    assert not PriceList.objects.filter(name="Cennik 2027").exists()


def test_the_default_moves_to_another_tier_in_one_save(admin_client, company):
    listed = price_list("Cennik 2026", tiers=("Detal", "Key"))
    detal, key = listed.tiers.all()
    tiers = [
        {"id": str(detal.pk), "price_list": str(listed.pk), "name": "Detal", "position": "0"},
        {"id": str(key.pk), "price_list": str(listed.pk), "name": "Key", "position": "1",
         "is_default": "on"},
    ]  # fmt: skip
    url = reverse("admin:pricing_pricelist_change", args=[listed.pk])
    response = admin_client.post(url, list_form(listed, tiers=tiers))
    assert response.status_code == 302
    assert list(PriceTier.objects.filter(is_default=True).values_list("name", flat=True)) == ["Key"]
    changes = AuditEntry.objects.filter(model="pricing.PriceTier", action="update")
    assert sorted(entry.changes["is_default"] for entry in changes) == [
        [False, True],
        [True, False],
    ]


@pytest.mark.parametrize(
    "second",
    [{"name": "KEY", "position": "1"}, {"name": "Key", "position": "1", "is_default": "on"}],
    ids=["same name", "two defaults"],
)
def test_tiers_named_twice_or_two_defaults_are_refused(admin_client, company, second):
    tiers = [{"name": "Key", "position": "0", "is_default": "on"}, second]
    response = admin_client.post(reverse("admin:pricing_pricelist_add"), list_form(tiers=tiers))
    assert response.status_code == 200
    assert not PriceList.objects.exists()


def test_a_list_cannot_be_deleted(admin_client, company):
    listed = price_list()
    url = reverse("admin:pricing_pricelist_delete", args=[listed.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert PriceList.objects.filter(pk=listed.pk).exists()
    assert date(2026, 1, 1) == listed.valid_from


def test_staff_who_are_not_heads_may_look_but_not_change(client, company):
    from django.contrib.auth.models import Permission

    listed = price_list()
    kam = company["owner"]
    kam.is_staff = True
    kam.save()
    kam.user_permissions.set(Permission.objects.filter(content_type__app_label="pricing"))
    client.force_login(kam)
    url = reverse("admin:pricing_pricelist_change", args=[listed.pk])
    assert client.get(url).status_code == 200  # a view, not a form
    assert client.post(url, list_form(listed, name="Renamed")).status_code == 403
    assert client.get(reverse("admin:pricing_pricelist_add")).status_code == 403
    listed.refresh_from_db()
    assert listed.name == "Cennik 2026"
