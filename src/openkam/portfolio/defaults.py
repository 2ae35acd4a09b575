"""A sensible starting point: the default scoring model a fresh installation reviews with.

The four criteria of the journey "Choosing the key accounts" (JOURNEYS.md): revenue
potential, payment discipline, product fit and relationship length, all derived from the
ledger so that a review can run on the day the ERP data arrives.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from openkam.core import audit
from openkam.portfolio.models import Criterion, Metric, ScoringCriterion, ScoringModel

DEFAULT_MODEL_NAME = "Default: 4 criteria"

# (criterion, metric, weight, higher is better)
DEFAULT_CRITERIA = (
    (Criterion.REVENUE_POTENTIAL, Metric.POTENTIAL, Decimal("40"), True),
    (Criterion.PAYMENT_DISCIPLINE, Metric.DAYS_LATE, Decimal("20"), False),
    (Criterion.PRODUCT_FIT, Metric.PRODUCT_LINES, Decimal("20"), True),
    (Criterion.RELATIONSHIP_LENGTH, Metric.RELATIONSHIP_YEARS, Decimal("20"), True),
)


@transaction.atomic
def ensure_default_scoring_model(*, actor=None) -> ScoringModel:
    """The default model for reviews; created with four data criteria if no model exists.

    Existing models are never changed: if any model is already marked default, that one is
    returned; if models exist but none is default, the first active one becomes the default.
    """
    default = ScoringModel.objects.filter(is_default=True).first()
    if default is not None:
        return default
    existing = ScoringModel.objects.filter(is_active=True).order_by("created_at", "pk").first()
    if existing is not None:
        before = audit.snapshot(existing, ["is_default"])
        existing.is_default = True
        existing.save(update_fields=["is_default", "updated_at"])
        audit.record_update(actor=actor, instance=existing, before=before, via=_via(actor))
        return existing
    model = ScoringModel.objects.create(
        name=DEFAULT_MODEL_NAME,
        description=_(
            "Revenue potential 40%, payment discipline 20%, product fit 20%, "
            "relationship length 20%; every criterion computed from the ledger."
        ),
        is_default=True,
        created_by=actor,
    )
    ScoringCriterion.objects.bulk_create(
        ScoringCriterion(
            scoring_model=model,
            criterion=criterion,
            metric=metric,
            weight=weight,
            higher_is_better=higher,
        )
        for criterion, metric, weight, higher in DEFAULT_CRITERIA
    )
    audit.record_create(actor=actor, instance=model, via=_via(actor))
    return model


def _via(actor) -> str:
    return "web" if actor is not None else "system"
