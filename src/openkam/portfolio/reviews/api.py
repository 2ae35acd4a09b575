"""JSON API of key-account reviews and the portfolio board.

Reads are filtered through the accounts the caller sees; starting a review and deciding
items is for heads and administrators, everyone else gets 404 as for a missing record.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict, PlainSerializer

from openkam.accounts import access
from openkam.accounts.api import OnAccountOut
from openkam.accounts.models import Tier
from openkam.core import bounds
from openkam.core.schemas import ErrorOut, Money
from openkam.portfolio.models import ReviewItem, ScoringModel
from openkam.portfolio.reviews import selectors as review_selectors
from openkam.portfolio.reviews import services as reviews
from openkam.users import permissions

router = Router(tags=["reviews"])

Score = Annotated[Decimal, PlainSerializer(lambda value: str(value), return_type=str)]


class ReviewOut(Schema):
    id: int
    created_at: datetime
    status: str
    scoring_model_id: int
    scoring_model: str
    kam_count: int
    max_per_kam: int
    capacity: int = Field(description="KAMs x maximum key accounts per KAM")
    previous_id: int | None
    created_by: str
    promote_count: int = Field(description="Counts are over the items the caller may see")
    demote_count: int
    keep_count: int
    pending_count: int
    decided_count: int
    proposed_key_count: int

    @staticmethod
    def resolve_scoring_model(obj) -> str:
        return obj.scoring_model.name

    @staticmethod
    def resolve_created_by(obj) -> str:
        return str(obj.created_by)


class ReviewItemOut(OnAccountOut):
    id: int
    rank: int | None
    score: Score | None
    current_tier: Tier
    proposed_tier: Tier
    change: ReviewItem.Change
    reason: str = Field(
        validation_alias="reason_text", description="Why it was proposed, in the caller's language"
    )
    decision: ReviewItem.Decision
    final_tier: Tier | None
    decision_reason: str
    decided_by: str | None
    decided_at: datetime | None

    @staticmethod
    def resolve_final_tier(obj) -> str | None:
        return obj.final_tier or None

    @staticmethod
    def resolve_decided_by(obj) -> str | None:
        return str(obj.decided_by) if obj.decided_by_id else None


class ComparisonOut(Schema):
    entered: list[int] = Field(description="Account ids proposed as key now and not before")
    left: list[int]
    stayed: list[int]


class ReviewDetailOut(ReviewOut):
    items: list[ReviewItemOut]
    comparison: ComparisonOut | None = Field(
        description="Against the previous review of the same scoring model"
    )

    @staticmethod
    def resolve_items(obj) -> list:
        return obj.visible_items

    @staticmethod
    def resolve_comparison(obj) -> dict | None:
        return obj.visible_comparison


class ReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    scoring_model_id: bounds.Id | None = Field(
        None, description="Default: the default scoring model"
    )
    kam_count: int | None = Field(None, ge=1, le=1000, description="Default: active KAMs")
    max_per_kam: int | None = Field(None, ge=1, le=100, description="Default: analysis settings")


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    accept: bool
    final_tier: Tier | None = Field(None, description="Required when accept is false")
    reason: str = Field("", max_length=1000, description="Required when accept is false")


class KamLoadOut(Schema):
    user_id: int
    username: str
    name: str
    role: str
    key_accounts: int = Field(description="Key and strategic accounts owned: they take capacity")
    strategic_accounts: int
    capacity: int
    over_capacity: bool
    load_percent: int
    accounts: int
    groups: int
    currency: str = Field(description="Of revenue and margin: the board's currency")
    revenue: Money
    margin: Money
    other_currencies: dict[str, Money] = Field(
        description="Revenue of owned accounts selling in other currencies, not converted"
    )
    key_account_ids: list[int]


def _review_out(user, review_id: int):
    """The review with the items and comparison the user may see, for ReviewDetailOut."""
    review = access.one_or_404(review_selectors.review_list(user=user), pk=review_id)
    review.visible_items = list(review_selectors.review_items(user=user, review=review))
    comparison = review_selectors.review_comparison(user=user, review=review)
    review.visible_comparison = (
        None
        if comparison is None
        else {key: [account.pk for account in accounts] for key, accounts in comparison.items()}
    )
    return review


@router.get("", response=list[ReviewOut], url_name="review_list")
def review_list(request):
    return review_selectors.review_list(user=request.auth)


@router.post(
    "", response={201: ReviewDetailOut, 404: ErrorOut, 422: ErrorOut}, url_name="review_list"
)
def review_create(request, payload: ReviewIn):
    user = request.auth
    permissions.portfolio_manager_or_404(user)
    if payload.scoring_model_id is None:
        model = review_selectors.default_model()
    else:
        model = ScoringModel.objects.filter(pk=payload.scoring_model_id, is_active=True).first()
    if model is None:
        raise ValidationError({"scoring_model_id": _("No such active model.")})
    review = reviews.review_create(
        actor=user,
        scoring_model=model,
        kam_count=payload.kam_count,
        max_per_kam=payload.max_per_kam,
    )
    return Status(201, _review_out(user, review.pk))


@router.get("/{id:review_id}", response=ReviewDetailOut, url_name="review_detail")
def review_detail(request, review_id: int):
    return _review_out(request.auth, review_id)


@router.post(
    "/items/{id:item_id}/decision",
    response={200: ReviewItemOut, 404: ErrorOut, 422: ErrorOut},
    url_name="review_decision",
)
def review_decision(request, item_id: int, payload: DecisionIn):
    user = request.auth
    permissions.portfolio_manager_or_404(user)
    item = access.visible_or_404(
        ReviewItem.objects.select_related("review", "account"), user, pk=item_id
    )
    reviews.review_decide(
        actor=user,
        item=item,
        accept=payload.accept,
        final_tier=payload.final_tier or "",
        reason=payload.reason,
    )
    return ReviewItem.objects.select_related("account", "decided_by").get(pk=item.pk)


@router.get("/board/loads", response=list[KamLoadOut], url_name="board_loads")
def board_loads(request):
    """The KAMs' loads the caller may see: all for heads; self (and juniors) for a KAM."""
    data = review_selectors.board_for(user=request.auth)
    return [
        {
            "user_id": card.load.user.pk,
            "username": card.load.user.username,
            "name": card.load.user.get_full_name(),
            "role": card.load.user.role,
            "key_accounts": card.load.key_accounts,
            "strategic_accounts": card.load.strategic_accounts,
            "currency": card.load.currency,
            "other_currencies": card.load.other_currencies,
            "capacity": card.load.capacity,
            "over_capacity": card.load.over_capacity,
            "load_percent": card.load.load_percent,
            "accounts": card.load.accounts,
            "groups": card.load.groups,
            "revenue": card.load.revenue,
            "margin": card.load.margin,
            "key_account_ids": [account.pk for account in card.key_accounts],
        }
        for card in data.cards
    ]
