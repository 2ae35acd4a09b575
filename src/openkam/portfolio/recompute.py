"""A full recompute: ledger figures -> metrics and classes -> scores, written in one go."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.utils import timezone

from openkam.portfolio.compute import (
    CustomerMetrics,
    Thresholds,
    entity_metrics,
    group_metrics,
)
from openkam.portfolio.ledger_figures import Period, load_ledger_figures
from openkam.portfolio.models import (
    AccountMetrics,
    AnalysisSettings,
    RecomputeRun,
    Scope,
    ScoreSnapshot,
    ScoringModel,
)
from openkam.portfolio.scoring import ranks_of, score_customers

BATCH = 5000
CENT = Decimal("0.01")


def thresholds_from(settings: AnalysisSettings) -> Thresholds:
    return Thresholds(
        abc=(float(settings.abc_a), float(settings.abc_b)),
        xyz=(float(settings.xyz_x), float(settings.xyz_y)),
    )


def recompute_portfolio(
    *, triggered_by=None, today: date | None = None, progress=None
) -> RecomputeRun:
    """Recompute every figure and score; the previous figures stay until the new ones commit."""
    today = today or timezone.localdate()
    settings = AnalysisSettings.current()
    period = Period.ending_before(today, settings.period_months)
    run = RecomputeRun.objects.create(
        period_start=period.start, period_end=period.end, triggered_by=triggered_by
    )
    step = progress or (lambda label: None)
    try:
        step("ledger")
        figures = load_ledger_figures(period, today)
        step("metrics")
        thresholds = thresholds_from(settings)
        entities = entity_metrics(figures, today, thresholds)
        groups = group_metrics(figures, today, thresholds)
        segment_of = dict(zip(figures.account_ids.tolist(), figures.segments))
        with transaction.atomic():
            step("write")
            _replace_metrics(run, entities, groups)
            step("scores")
            for model in ScoringModel.objects.filter(is_active=True).prefetch_related("criteria"):
                _snapshot_scores(run, model, groups, segment_of)
            run.status = RecomputeRun.Status.SUCCEEDED
            run.accounts = len(entities)
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "accounts", "finished_at"])
    except Exception:
        RecomputeRun.objects.filter(pk=run.pk).update(
            status=RecomputeRun.Status.FAILED, finished_at=timezone.now()
        )
        raise
    return run


def _money(value: float) -> Decimal:
    return Decimal(repr(round(float(value), 2))).quantize(CENT)


def _optional(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _metric_rows(run: RecomputeRun, metrics: CustomerMetrics, scope: str):
    for i, account_id in enumerate(metrics.account_ids.tolist()):
        first, last = int(metrics.first_invoice[i]), int(metrics.last_invoice[i])
        worst = metrics.worst_days_late[i]
        yield AccountMetrics(
            run=run,
            account_id=account_id,
            scope=scope,
            revenue=_money(metrics.revenue[i]),
            margin=_money(metrics.margin[i]),
            revenue_prev=_money(metrics.revenue_prev[i]),
            growth=_optional(metrics.growth[i]),
            invoice_count=int(metrics.invoice_count[i]),
            avg_invoice=_money(metrics.avg_invoice[i]),
            product_lines=int(metrics.product_lines[i]),
            first_invoice_on=date.fromordinal(first) if first > 0 else None,
            last_invoice_on=date.fromordinal(last) if last > 0 else None,
            relationship_days=int(metrics.relationship_days[i]),
            avg_days_late=_optional(metrics.avg_days_late[i]),
            worst_days_late=None if math.isnan(worst) else int(worst),
            variation=None if math.isinf(metrics.variation[i]) else float(metrics.variation[i]),
            abc=str(metrics.abc[i]),
            xyz=str(metrics.xyz[i]),
            rfm_recency=int(metrics.rfm_recency[i]),
            rfm_frequency=int(metrics.rfm_frequency[i]),
            rfm_monetary=int(metrics.rfm_monetary[i]),
            revenue_share=float(metrics.revenue_share[i]),
            cumulative_share=float(metrics.cumulative_share[i]),
        )


def _replace_metrics(run: RecomputeRun, entities: CustomerMetrics, groups: CustomerMetrics) -> None:
    AccountMetrics.objects.all().delete()
    for scope, metrics in ((Scope.ENTITY, entities), (Scope.GROUP, groups)):
        AccountMetrics.objects.bulk_create(_metric_rows(run, metrics, scope), batch_size=BATCH)


def _snapshot_scores(
    run: RecomputeRun, model: ScoringModel, groups: CustomerMetrics, segment_of: dict[int, str]
) -> None:
    criteria = list(model.criteria.all())
    if not criteria:
        return
    population = groups
    if model.segment:
        mask = np.array(
            [segment_of.get(pk, "") == model.segment for pk in groups.account_ids.tolist()],
            dtype=bool,
        )
        population = groups.take(mask)
    cards = score_customers(model, population, criteria)
    totals = np.array([card.total for card in cards])
    ranks = ranks_of(totals)
    ScoreSnapshot.objects.bulk_create(
        (
            ScoreSnapshot(
                run=run,
                scoring_model=model,
                account_id=account_id,
                total=_money(card.total),
                rank=int(rank),
                parts=[
                    {
                        "criterion": p.criterion,
                        "value": p.value,
                        "points": round(p.points, 2),
                        "weight": round(p.weight, 4),
                        "contribution": round(p.contribution, 3),
                    }
                    for p in card.parts
                ],
            )
            for account_id, card, rank in zip(population.account_ids.tolist(), cards, ranks)
        ),
        batch_size=BATCH,
    )
