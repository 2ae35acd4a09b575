"""Plan objectives and actions name the opportunity they are to be reached by: one of the
plan's account, shown on the plan's page."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openkam.opportunities import services as selling
from openkam.plans import services
from openkam.plans.tests.factories import make_plan


def _deal(company, key: str):
    return selling.opportunity_create(
        actor=None, account=company[key], title=f"Deal at {key}", value=Decimal("500"),
        currency="PLN", expected_close=company["today"] + timedelta(days=20),
    )  # fmt: skip


def test_an_objective_and_an_action_link_their_accounts_opportunity(client, company):
    plan, deal = make_plan(company), _deal(company, "a")
    objective = services.objective_create(
        actor=company["head"], plan=plan, title="Grow flour", target=Decimal("10"),
        due_on=date(2026, 12, 31), opportunity=deal,
    )  # fmt: skip
    services.action_create(
        actor=company["head"], plan=plan, title="Send the offer", due_on=date(2026, 12, 20),
        opportunity=deal, objective=objective,
    )  # fmt: skip
    client.force_login(company["owner"])
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    link = reverse("opportunities:detail", args=[deal.pk])
    assert body.count(link) == 2


@pytest.mark.parametrize("kind", ["objective", "action"])
def test_another_accounts_opportunity_is_refused(company, kind):
    plan, foreign = make_plan(company), _deal(company, "b")
    with pytest.raises(ValidationError) as error:
        if kind == "objective":
            services.objective_create(
                actor=company["head"], plan=plan, title="x", target=Decimal("1"),
                due_on=date(2026, 12, 31), opportunity=foreign,
            )  # fmt: skip
        else:
            services.action_create(
                actor=company["head"], plan=plan, title="x", due_on=date(2026, 12, 20),
                opportunity=foreign,
            )  # fmt: skip
    assert "opportunity" in error.value.message_dict


def test_the_objective_form_offers_only_the_plans_account_opportunities(company):
    from openkam.plans.forms import ObjectiveForm

    plan, ours = make_plan(company), _deal(company, "a")
    _deal(company, "b")
    form = ObjectiveForm(plan=plan)
    assert list(form.fields["opportunity"].queryset) == [ours]  # type: ignore[attr-defined]
