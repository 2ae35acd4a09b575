"""A review dated 9999-12-31 was stored, and then every page and API list that showed its
plan answered 500 for everyone (the next review's due day is past what dates hold). Dates
enter in years 1900..2999 only; such a review is refused and nothing is stored."""

from __future__ import annotations

import pytest

from openkam.accounts.tests.factories import bearer
from openkam.plans.models import PlanReview
from openkam.plans.tests.factories import make_plan


@pytest.fixture
def plan(company):
    return make_plan(company, "a", title="Bounded plan", owner=company["owner"])


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "3000-01-01"])
def test_a_review_dated_outside_the_years_is_refused_on_the_page(client, company, plan, day):
    client.force_login(company["owner"])
    response = client.post(f"/plans/{plan.pk}/reviews/", {"health": "on_track", "reviewed_on": day})
    assert response.status_code == 422
    assert "Enter a date between the years 1900 and 2999." in response.content.decode()
    assert not PlanReview.objects.exists()
    assert client.get(f"/plans/{plan.pk}/").status_code == 200


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_review_dated_outside_the_years_is_refused_by_the_api(client, company, plan, day):
    response = client.post(
        f"/api/plans/{plan.pk}/reviews",
        {"health": "on_track", "reviewed_on": day},
        content_type="application/json",
        headers=bearer(company["owner"]),
    )
    assert response.status_code == 422
    assert not PlanReview.objects.exists()
    assert client.get("/api/plans", headers=bearer(company["owner"])).status_code == 200


def test_a_plan_period_outside_the_years_is_a_form_error(client, company, plan):
    client.force_login(company["owner"])
    response = client.post(
        f"/accounts/{company['a'].pk}/plans/",
        {"title": "Far", "period_start": "9999-01-01", "period_end": "9999-12-31"},
    )
    assert response.status_code == 200
    assert "Enter a date between the years 1900 and 2999." in response.content.decode()
    assert not plan.account.plans.filter(title="Far").exists()


def test_the_back_office_takes_plan_dates_only_in_the_years(rf, admin_user):
    from django.contrib import admin

    from openkam.core import bounds
    from openkam.plans.models import AccountPlan, PlanReview

    request = rf.get("/")
    request.user = admin_user
    plans = admin.site._registry[AccountPlan]
    assert bounds.validate_date in plans.get_form(request).base_fields["period_start"].validators
    reviews = next(i for i in plans.get_inline_instances(request) if i.model is PlanReview)
    fields = reviews.get_formset(request).form.base_fields
    assert bounds.validate_date in fields["reviewed_on"].validators
