"""The home page's approvals card: how many proposals wait for this user's decision,
counted with the same rule as the approvals list (never one's own, never another's)."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps as django_apps
from django.urls import reverse

from openkam.proposals import approval_flow
from openkam.proposals.tests import factories


def _waiting_for_the_head(company) -> None:
    import_module("openkam.proposals.migrations.0002_default_rule").create(django_apps, None)
    flour = factories.priced_catalogue()[0]
    proposal = factories.proposal(company, flour, discount="14")  # above the 10 % rule
    approval_flow.submit(actor=company["owner"], proposal=proposal)


def test_the_head_is_told_of_the_proposals_waiting_for_them(client, company):
    _waiting_for_the_head(company)
    client.force_login(company["head"])
    page = client.get(reverse("home")).content.decode()
    assert 'id="approvals-waiting"' in page
    assert "1 approval awaits your decision" in page
    assert reverse("proposals:approvals") in page


def test_the_kam_who_asked_and_a_viewer_get_no_card(client, company):
    _waiting_for_the_head(company)
    for persona in ("owner", "viewer"):
        client.force_login(company[persona])
        assert 'id="approvals-waiting"' not in client.get(reverse("home")).content.decode()
