"""Reads for an account's score breakdown: every score explains itself.

Scores are kept for customers, that is group roots: a subsidiary's page shows its group's
score and says so. A user who cannot see the group's root sees no score at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from openkam.accounts.models import Account
from openkam.portfolio.models import (
    Criterion,
    ManualScore,
    Metric,
    ScoreSnapshot,
    ScoringCriterion,
    ScoringModel,
)
from openkam.portfolio.selectors import latest_run
from openkam.users import permissions

HISTORY_LENGTH = 12
MANUAL_HISTORY = 5
MONEY_METRICS = {Metric.REVENUE, Metric.MARGIN, Metric.AVG_INVOICE, Metric.POTENTIAL}


@dataclass
class Part:
    criterion: str
    label: str
    source: str
    metric: str
    value: float | None
    points: float
    weight: float
    contribution: float

    @property
    def weight_percent(self) -> float:
        return self.weight * 100

    @property
    def is_money(self) -> bool:
        return self.metric in MONEY_METRICS

    @property
    def is_share(self) -> bool:
        return self.metric == Metric.GROWTH


@dataclass
class ModelScore:
    model: ScoringModel
    total: float | None = None
    rank: int | None = None
    out_of: int = 0
    parts: list[Part] = field(default_factory=list)
    # (computed at, total, rank), oldest first: one entry per change of the score
    history: list[tuple] = field(default_factory=list)


@dataclass
class Breakdown:
    account: Account
    root: Account
    root_visible: bool
    scores: list[ModelScore] = field(default_factory=list)
    people_criteria: list[tuple[str, str]] = field(default_factory=list)
    manual: dict[str, list[ManualScore]] = field(default_factory=dict)
    may_enter: bool = False

    @property
    def is_subsidiary(self) -> bool:
        return self.root.pk != self.account.pk


def score_breakdown(*, user, account: Account) -> Breakdown:
    root_id = account.group_root_id or account.pk
    root = account
    if root_id != account.pk:
        found = Account.objects.visible_to(user).filter(pk=root_id).first()
        if found is None:
            return Breakdown(account=account, root=account, root_visible=False)
        root = found
    result = Breakdown(account=account, root=root, root_visible=True)
    models = list(ScoringModel.objects.filter(is_active=True).prefetch_related("criteria"))
    result.scores = _model_scores(user, root, models)
    result.people_criteria = _people_criteria(models)
    result.manual = _manual_history(user, root, [c for c, _ in result.people_criteria])
    result.may_enter = permissions.can_edit_account_work(user)
    return result


def _model_scores(user, root: Account, models: list[ScoringModel]) -> list[ModelScore]:
    if not models:
        return []
    run = latest_run()
    snapshots = (
        ScoreSnapshot.objects.visible_to(user)
        .filter(account=root, scoring_model__in=models)
        .select_related("run")
        .order_by("scoring_model_id", "-run__started_at")
    )
    by_model: dict[int, list[ScoreSnapshot]] = {}
    for snapshot in snapshots:
        by_model.setdefault(snapshot.scoring_model_id, []).append(snapshot)
    sizes = dict(
        ScoreSnapshot.objects.filter(run=run, scoring_model__in=models)
        .values("scoring_model")
        .annotate(n=Count("pk"))
        .values_list("scoring_model", "n")
    )
    scores = []
    for model in models:
        score = ModelScore(model=model, out_of=sizes.get(model.pk, 0))
        history = by_model.get(model.pk, [])
        latest = history[0] if history and run and history[0].run_id == run.pk else None
        if latest is not None:
            score.total, score.rank = float(latest.total), latest.rank
            score.parts = _parts(model, latest.parts)
        score.history = _changes(history)[-HISTORY_LENGTH:]
        scores.append(score)
    return scores


def _changes(snapshots: list[ScoreSnapshot]) -> list[tuple]:
    """(computed at, total, rank) for each snapshot whose score differs from the one before,
    oldest first. Every recompute keeps its snapshot (reviews read them per run), but a run
    that left the score as it was is no news: the entry stays dated when the score was
    reached."""
    changes: list[tuple] = []
    previous = None
    for snapshot in reversed(snapshots):  # they come newest first
        if snapshot.total != previous:
            changes.append((snapshot.run.started_at, float(snapshot.total), snapshot.rank))
            previous = snapshot.total
    return changes


def _parts(model: ScoringModel, raw: list[dict]) -> list[Part]:
    criteria = {c.criterion: c for c in model.criteria.all()}
    labels = dict(Criterion.choices)
    parts = []
    for item in raw:
        criterion = criteria.get(item["criterion"])
        parts.append(
            Part(
                criterion=item["criterion"],
                label=str(labels.get(item["criterion"], item["criterion"])),
                source=criterion.source if criterion else "",
                metric=criterion.metric if criterion else "",
                value=item.get("value"),
                points=float(item["points"]),
                weight=float(item["weight"]),
                contribution=float(item["contribution"]),
            )
        )
    return parts


def _people_criteria(models: list[ScoringModel]) -> list[tuple[str, str]]:
    names = {
        c.criterion
        for model in models
        for c in model.criteria.all()
        if c.source == ScoringCriterion.Source.PEOPLE
    }
    return [(value, str(label)) for value, label in Criterion.choices if value in names]


def _manual_history(user, root: Account, criteria: list[str]) -> dict[str, list[ManualScore]]:
    if not criteria:
        return {}
    rows = (
        ManualScore.objects.visible_to(user)
        .filter(account=root, criterion__in=criteria)
        .select_related("entered_by")
        .order_by("-entered_at", "-id")
    )
    history: dict[str, list[ManualScore]] = {name: [] for name in criteria}
    for row in rows:
        if len(history[row.criterion]) < MANUAL_HISTORY:
            history[row.criterion].append(row)
    return history
