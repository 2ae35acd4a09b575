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


@pytest.fixture
def every_kind_of_row(scored):
    """At least one row of every portfolio model, written through the services."""
    from openkam.portfolio.models import ManualScore
    from openkam.portfolio.reviews.services import review_create

    ManualScore.objects.create(
        account=scored["a"],
        criterion="cultural_fit",
        points=7,
        note="Shares our values",
        entered_by=scored["owner"],
    )
    review_create(actor=scored["head"], scoring_model=scored["model"], kam_count=2, max_per_kam=1)
    return scored


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_change_page_loads_read_only(client, every_kind_of_row, model):
    obj = model._default_manager.first()
    assert obj is not None, f"the fixture wrote no {model._meta.label} row"
    client.force_login(every_kind_of_row["admin"])
    url = reverse(f"admin:portfolio_{model._meta.model_name}_change", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
