"""The account page takes its sections and figures from the apps that own the data."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from openkam.accounts import extensions
from openkam.ledger import figures as ledger_figures


@pytest.fixture
def owner_client(client, company):
    client.force_login(company["owner"])
    return client


def _html(client, account) -> str:
    return client.get(reverse("accounts:detail", args=[account.pk])).content.decode()


def test_the_owning_apps_register_their_sections_in_order(owner_client, company, ledger):
    html = _html(owner_client, company["a1"])
    positions = [html.index(f'id="{name}"') for name in ("score", "contacts", "invoices")]
    assert positions == sorted(positions)
    assert html.index('id="revenue"') < positions[0] and positions[-1] < html.index('id="history"')


def test_the_ledger_provides_the_trailing_figures():
    assert extensions.figures() is ledger_figures


def test_a_registered_panel_renders_with_its_own_context(owner_client, company, ledger):
    seen = []

    def context(user, account):
        seen.append((user, account))
        return {"contacts": [_Person(pk=987654, name="Ada Test")]}

    panel = extensions.AccountPanel(
        name="test-panel",
        template="stakeholders/_account_contacts_panel.html",
        context=context,
        order=35,
    )
    extensions.register_panel(panel)
    try:
        html = _html(owner_client, company["a1"])
    finally:
        extensions._panels.pop("test-panel")
    assert seen == [(company["owner"], company["a1"])]
    assert 'id="test-panel"' in html and "Ada Test" in html
    assert html.index('id="test-panel"') < html.index('id="invoices"')


@dataclass
class _Person:
    pk: int
    name: str
    position: str = ""
    department: str = ""
    email: str = ""
    phone: str = ""

    def __str__(self) -> str:
        return self.name


def test_without_a_figures_provider_the_error_names_what_is_missing():
    registered = list(extensions._figures)
    extensions._figures.clear()
    try:
        with pytest.raises(ImproperlyConfigured, match="trailing figures"):
            extensions.figures()
    finally:
        extensions._figures[:] = registered
