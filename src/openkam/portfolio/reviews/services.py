"""Key-account reviews: a ranked proposal within capacity, decided item by item.

"Be conservative" (DOMAIN.md): the key list never exceeds capacity (KAMs x maximum key
accounts per KAM), and a current key account is kept while it ranks within a margin above
capacity, so that accounts do not flip in and out on small score changes. Promotions fill
the slots left, best score first.
"""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Account, Tier
from openkam.accounts.services import account_set_tier
from openkam.core import audit
from openkam.portfolio.models import (
    AccountMetrics,
    AnalysisSettings,
    RecomputeRun,
    Review,
    ReviewItem,
    Scope,
    ScoreSnapshot,
    ScoringModel,
)
from openkam.portfolio.reviews.reasons import reason_facts
from openkam.users import permissions
from openkam.users.models import KAM_ROLES, User

# A current key account is kept while its rank is within capacity x (1 + KEEP_MARGIN).
KEEP_MARGIN = 0.25
# The tiers that make up the key list and take its capacity.
KEY_LIST_TIERS = (Tier.KEY, Tier.STRATEGIC)


def latest_run_for(model: ScoringModel) -> RecomputeRun | None:
    return (
        RecomputeRun.objects.filter(
            status=RecomputeRun.Status.SUCCEEDED, scores__scoring_model=model
        )
        .order_by("-started_at", "-id")
        .first()
    )


def active_kam_count() -> int:
    return User.objects.filter(is_active=True, role__in=KAM_ROLES).count()


def _proposal(
    snapshots: list[ScoreSnapshot], current_key: set[int], strategic: set[int], capacity: int
) -> tuple[set[int], set[int]]:
    """(kept, promoted) account ids.

    Strategic accounts were chosen for value the ledger does not show (reference brands,
    market access): they are kept whatever their score and take their places first. Key
    accounts are kept while they rank within the keep margin; promotions fill what is left,
    best score first, and must rank within capacity themselves.
    """
    keep_limit = math.floor(capacity * (1 + KEEP_MARGIN))
    room = max(capacity - len(strategic), 0)
    kept = [s for s in snapshots if s.account_id in current_key and s.rank <= keep_limit][:room]
    free = room - len(kept)
    candidates = [s for s in snapshots if s.account_id not in current_key | strategic]
    promoted = [s for s in candidates[:free] if s.rank <= capacity]
    return {s.account_id for s in kept} | strategic, {s.account_id for s in promoted}


@transaction.atomic
def review_create(
    *,
    actor: User,
    scoring_model: ScoringModel,
    kam_count: int | None = None,
    max_per_kam: int | None = None,
) -> Review:
    permissions.require_portfolio_manager(actor)
    run = latest_run_for(scoring_model)
    if run is None:
        raise ValidationError(_("No scores yet for this model: run a recompute first."))
    settings = AnalysisSettings.current()
    kam_count = kam_count if kam_count is not None else active_kam_count()
    max_per_kam = max_per_kam or settings.max_key_per_kam
    capacity = kam_count * max_per_kam
    snapshots = list(
        ScoreSnapshot.objects.filter(run=run, scoring_model=scoring_model).order_by("rank")
    )
    scored = {s.account_id: s for s in snapshots}
    tiers = dict(Account.objects.filter(pk__in=scored.keys()).values_list("pk", "tier"))
    current_key = {pk for pk, tier in tiers.items() if tier == Tier.KEY}
    strategic = {pk for pk, tier in tiers.items() if tier == Tier.STRATEGIC}
    kept, promoted = _proposal(snapshots, current_key, strategic, capacity)
    growth = dict(
        AccountMetrics.objects.filter(scope=Scope.GROUP, account_id__in=scored.keys()).values_list(
            "account_id", "growth"
        )
    )
    review = Review.objects.create(
        scoring_model=scoring_model,
        run=run,
        kam_count=kam_count,
        max_per_kam=max_per_kam,
        capacity=capacity,
        created_by=actor,
        previous=Review.objects.filter(scoring_model=scoring_model).order_by("-created_at").first(),
    )
    items = []
    proposed: str
    for account_id in sorted(current_key | strategic | promoted, key=lambda pk: scored[pk].rank):
        if account_id in promoted:
            change, proposed = ReviewItem.Change.PROMOTE, Tier.KEY
        elif account_id in kept:
            change, proposed = ReviewItem.Change.KEEP, tiers[account_id]
        else:
            change, proposed = ReviewItem.Change.DEMOTE, Tier.STANDARD
        snapshot = scored[account_id]
        items.append(
            ReviewItem(
                review=review,
                account_id=account_id,
                rank=snapshot.rank,
                score=snapshot.total,
                current_tier=tiers[account_id],
                proposed_tier=proposed,
                change=change,
                reason_facts=reason_facts(
                    change,
                    snapshot,
                    capacity,
                    growth.get(account_id),
                    strategic=account_id in strategic,
                ),
            )
        )
    ReviewItem.objects.bulk_create(items)
    audit.record_create(actor=actor, instance=review)
    return review


@transaction.atomic
def review_decide(
    *, actor: User, item: ReviewItem, accept: bool, final_tier: str = "", reason: str = ""
) -> ReviewItem:
    """Accept the proposal, or override it with another tier and a reason.

    The outcome becomes key-account status history when it changes the account's tier.
    """
    permissions.require_portfolio_manager(actor)
    if item.review.status != Review.Status.OPEN:
        raise ValidationError(_("This review is closed."))
    if accept:
        final_tier, decision = item.proposed_tier, ReviewItem.Decision.ACCEPTED
    else:
        if final_tier not in Tier.values:
            raise ValidationError({"final_tier": _("Choose the tier to set instead.")})
        if final_tier == item.proposed_tier:
            raise ValidationError(
                {"final_tier": _("That is the proposed tier: accept the proposal instead.")}
            )
        if not reason.strip():
            raise ValidationError({"decision_reason": _("An override needs a reason.")})
        decision = ReviewItem.Decision.OVERRIDDEN
    before = audit.snapshot(item, ["decision", "final_tier", "decision_reason"])
    item.decision, item.final_tier, item.decision_reason = decision, final_tier, reason.strip()
    item.decided_by, item.decided_at = actor, timezone.now()
    item.save()
    audit.record_update(actor=actor, instance=item, before=before)
    account = Account.objects.select_for_update().get(pk=item.account_id)
    if account.tier != final_tier:
        why = item.decision_reason or item.reason_text
        account_set_tier(
            actor=actor,
            account=account,
            tier=final_tier,
            reason=_("Key-account review of %(date)s: %(why)s")
            % {"date": f"{item.review.created_at:%Y-%m-%d}", "why": why},
        )
    return item


@transaction.atomic
def review_close(*, actor: User, review: Review) -> Review:
    permissions.require_portfolio_manager(actor)
    before = audit.snapshot(review, ["status"])
    review.status, review.closed_at = Review.Status.CLOSED, timezone.now()
    review.save(update_fields=["status", "closed_at", "updated_at"])
    audit.record_update(actor=actor, instance=review, before=before)
    return review


def review_compare(review: Review, previous: Review | None = None) -> dict[str, list[int]]:
    """Accounts proposed for the key list (key or strategic) now and not before (entered),
    before and not now (left)."""
    previous = previous or review.previous
    listed = {"proposed_tier__in": KEY_LIST_TIERS}
    now = set(review.items.filter(**listed).values_list("account_id", flat=True))
    before = set()
    if previous is not None:
        before = set(previous.items.filter(**listed).values_list("account_id", flat=True))
    return {
        "entered": sorted(now - before),
        "left": sorted(before - now),
        "stayed": sorted(now & before),
    }
