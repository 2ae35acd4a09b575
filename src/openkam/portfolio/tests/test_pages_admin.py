"""The portfolio back office: every model is there, read-only, and its pages load."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from openkam.portfolio.tests import pages_fixtures

scored = pages_fixtures.scored  # the fixture, shared by the portfolio page tests

MODELS = list(apps.get_app_config("portfolio").get_models())


def test_every_portfolio_model_is_registered():
    assert [m._meta.label for m in MODELS if not admin.site.is_registered(m)] == []


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_change_page_loads_read_only(client, scored, model):
    obj = model._default_manager.first()
    if obj is None:
        pytest.skip(f"no {model._meta.label} rows in the fixture")
    client.force_login(scored["admin"])
    url = reverse(f"admin:portfolio_{model._meta.model_name}_change", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
