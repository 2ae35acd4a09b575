"""A full recompute: ledger figures -> metrics and classes -> scores, written in one go."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from datetime import date
from itertools import islice, repeat

import numpy as np
from django.db import connection, transaction
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
from openkam.portfolio.scoring import ScoreTable, ranks_of, score_table

CHUNK = 10_000


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


def _money_texts(values: np.ndarray) -> list[str]:
    """Money as decimal text with cents (formatting rounds the float exactly as round(v, 2))."""
    return [f"{v:.2f}" for v in values.tolist()]


def _optional_floats(values: np.ndarray) -> list[float | None]:
    """Floats with NaN and infinities (no meaningful value) as NULL."""
    return [v if math.isfinite(v) else None for v in values.tolist()]


def _days(ordinals: np.ndarray, as_text: bool) -> list:
    """Day numbers (0 = none) as dates, or as ISO text where the database stores text."""
    days = [date.fromordinal(d) if d > 0 else None for d in ordinals.tolist()]
    return [d and d.isoformat() for d in days] if as_text else days


def insert_rows(model, columns: list[str], rows: Iterable[tuple]) -> None:
    """Plain INSERTs of ready values (no model instances): COPY on PostgreSQL,
    executemany in chunks elsewhere."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                rows = iter(rows)
                while chunk := list(islice(rows, CHUNK)):
                    copy.write("".join(map(_copy_line, chunk)))
            return
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        rows = iter(rows)
        while chunk := list(islice(rows, CHUNK)):
            cursor.executemany(sql, chunk)


# COPY's text format: tab-separated, \N for NULL, backslash escapes in text.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)  # int, float (repr), date (ISO)


def _copy_line(row: tuple) -> str:
    """One row in COPY text format; formatted here because psycopg's write_row costs
    more per row than everything else the write step does."""
    return "\t".join(map(_copy_value, row)) + "\n"


METRIC_COLUMNS = [
    "run_id",
    "account_id",
    "scope",
    "revenue",
    "margin",
    "revenue_prev",
    "growth",
    "invoice_count",
    "avg_invoice",
    "product_lines",
    "first_invoice_on",
    "last_invoice_on",
    "relationship_days",
    "avg_days_late",
    "worst_days_late",
    "variation",
    "abc",
    "xyz",
    "rfm_recency",
    "rfm_frequency",
    "rfm_monetary",
    "revenue_share",
    "cumulative_share",
]


def _metric_rows(run: RecomputeRun, metrics: CustomerMetrics, scope: str) -> Iterable[tuple]:
    """Rows in METRIC_COLUMNS order, column by column through NumPy rather than per field."""
    n = len(metrics)
    as_text = connection.vendor == "sqlite"
    worst = metrics.worst_days_late
    columns = [
        repeat(run.pk, n),
        metrics.account_ids.tolist(),
        repeat(scope, n),
        _money_texts(metrics.revenue),
        _money_texts(metrics.margin),
        _money_texts(metrics.revenue_prev),
        _optional_floats(metrics.growth),
        metrics.invoice_count.astype(np.int64).tolist(),
        _money_texts(metrics.avg_invoice),
        metrics.product_lines.astype(np.int64).tolist(),
        _days(metrics.first_invoice.astype(np.int64), as_text),
        _days(metrics.last_invoice.astype(np.int64), as_text),
        metrics.relationship_days.astype(np.int64).tolist(),
        _optional_floats(metrics.avg_days_late),
        [None if math.isnan(w) else int(w) for w in worst.tolist()],
        _optional_floats(metrics.variation),
        metrics.abc.tolist(),
        metrics.xyz.tolist(),
        metrics.rfm_recency.astype(np.int64).tolist(),
        metrics.rfm_frequency.astype(np.int64).tolist(),
        metrics.rfm_monetary.astype(np.int64).tolist(),
        metrics.revenue_share.astype(float).tolist(),
        metrics.cumulative_share.astype(float).tolist(),
    ]
    return zip(*columns)


def _replace_metrics(run: RecomputeRun, entities: CustomerMetrics, groups: CustomerMetrics) -> None:
    AccountMetrics.objects.all().delete()
    for scope, metrics in ((Scope.ENTITY, entities), (Scope.GROUP, groups)):
        insert_rows(AccountMetrics, METRIC_COLUMNS, _metric_rows(run, metrics, scope))


SNAPSHOT_COLUMNS = ["run_id", "scoring_model_id", "account_id", "total", "rank", "parts"]


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
    table = score_table(model, population, criteria)
    if table is None:
        return
    ranks = ranks_of(table.totals)
    rows = zip(
        repeat(run.pk),
        repeat(model.pk),
        population.account_ids.tolist(),
        _money_texts(table.totals),
        ranks.tolist(),
        _parts_json(table),
    )
    insert_rows(ScoreSnapshot, SNAPSHOT_COLUMNS, rows)


def _parts_json(table: ScoreTable) -> list[str]:
    """Each customer's parts as the JSON text a JSONField would store for the same list
    of dicts (points, weight and contribution rounded as shown on pages). Formatted
    directly: json.dumps per dict costs more than the rest of the scoring."""
    weights = table.normalised.tolist()
    per_criterion = []
    for row, name in enumerate(table.names):
        weight = weights[row]
        head = f'{{"criterion": {json.dumps(name)}, "value": '
        tail = f', "weight": {_json_number(round(weight, 4))}, "contribution": '
        points = table.points[row].tolist()  # 1-10, always finite
        values = table.values[name]
        value_texts = (
            map(float.__repr__, values.tolist())
            if np.isfinite(values).all()
            else map(_json_number, values.tolist())
        )
        per_criterion.append(
            [
                f'{head}{value}, "points": {round(p, 2)!r}{tail}{round(p * weight, 3)!r}}}'
                for p, value in zip(points, value_texts)
            ]
        )
    return ["[" + ", ".join(parts) + "]" for parts in zip(*per_criterion)]


def _json_number(value: float) -> str:
    """As json.dumps writes a float, with NaN (no value) as null."""
    if math.isnan(value):
        return "null"
    return float.__repr__(value) if math.isfinite(value) else json.dumps(value)
