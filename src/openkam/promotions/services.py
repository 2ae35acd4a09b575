"""Writes of promotions: create and change, keyword-only, atomic, validated, audited.

Promotions are the company's catalogue: heads of key accounts and administrators change
them (as the price lists: `pricing.services.may_edit_pricing` asks the same role); the
system itself (`actor=None`: the demo) may too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.core import audit
from openkam.ledger.models import Product
from openkam.promotions.models import Promotion, PromotionAudience
from openkam.users import permissions
from openkam.users.permissions import Actor

FIELDS = (
    "name", "description", "kind", "starts_on", "ends_on", "currency", "audience",
    "segments", "tier", "product_lines", "threshold_quantity", "threshold_amount",
    "discount_pct", "bonus_pct", "bonus_amount", "combinable", "exclusion_group",
    "limit_per_account",
)  # fmt: skip


def may_edit_promotions(user: Any) -> bool:
    """Heads of key accounts and administrators keep the promotions."""
    return permissions.can_manage_portfolios(user)


def _require_editor(actor: Actor) -> None:
    if actor is not None and not may_edit_promotions(actor):
        raise PermissionDenied(
            _("Only a head of key accounts or an administrator may change promotions.")
        )


def _clean_list(values: Any) -> list[str]:
    """Names trimmed, empty ones dropped, each once, in order."""
    if isinstance(values, str):
        values = values.split(",")
    seen: list[str] = []
    for value in values or []:
        text = str(value).strip()[:100]
        if text and text not in seen:
            seen.append(text)
    return seen


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(fields)
    for name in ("name", "description", "exclusion_group"):
        if isinstance(cleaned.get(name), str):
            cleaned[name] = cleaned[name].strip()
    if isinstance(cleaned.get("currency"), str):
        cleaned["currency"] = cleaned["currency"].strip().upper()
    for name in ("segments", "product_lines"):
        if name in cleaned:
            cleaned[name] = _clean_list(cleaned[name])
    return cleaned


def _snapshot(promotion: Promotion) -> audit.Snapshot:
    """The fields and, by id, the chosen accounts and products (many-to-many)."""
    shot = audit.snapshot(promotion, FIELDS)
    if promotion.pk:
        shot["account_ids"] = sorted(promotion.accounts.values_list("pk", flat=True))
        shot["product_ids"] = sorted(promotion.products.values_list("pk", flat=True))
    return shot


def _check_accounts(promotion: Promotion, accounts: list[Account] | None) -> None:
    """Chosen accounts are named when the promotion is for chosen accounts."""
    if promotion.audience != PromotionAudience.ACCOUNTS:
        return
    if accounts is None:
        has_some = promotion.pk is not None and promotion.accounts.exists()
    else:
        has_some = bool(accounts)
    if not has_some:
        raise ValidationError({"accounts": _("Choose at least one account.")})


def _set_relations(
    promotion: Promotion, accounts: list[Account] | None, products: Iterable[Product] | None
) -> None:
    if accounts is not None:
        promotion.accounts.set(accounts)
    if products is not None:
        promotion.products.set(list(products))


@transaction.atomic
def promotion_create(
    *,
    actor: Actor,
    accounts: Iterable[Account] = (),
    products: Iterable[Product] = (),
    via: str = "web",
    **fields: Any,
) -> Promotion:
    _require_editor(actor)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"promotion_create got unknown fields: {sorted(unknown)}")
    promotion = Promotion(**_normalise(fields))
    chosen = list(accounts)
    promotion.full_clean()
    _check_accounts(promotion, chosen)
    promotion.save()
    _set_relations(promotion, chosen, products)
    entry = audit.build_entry(
        actor=actor, instance=promotion, action="create", via=via,
        changes={name: [None, value] for name, value in _snapshot(promotion).items()},
    )  # fmt: skip
    entry.save()
    return promotion


@transaction.atomic
def promotion_update(
    *,
    actor: Actor,
    promotion: Promotion,
    accounts: Iterable[Account] | None = None,
    products: Iterable[Product] | None = None,
    via: str = "web",
    **changes: Any,
) -> bool:
    """Change a promotion; whether anything changed. Refused changes leave the caller's
    object as stored."""
    _require_editor(actor)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"promotion_update got unknown fields: {sorted(unknown)}")
    before = _snapshot(promotion)
    for name, value in _normalise(changes).items():
        setattr(promotion, name, value)
    chosen = None if accounts is None else list(accounts)
    try:
        promotion.full_clean()
        _check_accounts(promotion, chosen)
    except ValidationError:
        promotion.refresh_from_db()
        raise
    promotion.save()
    _set_relations(promotion, chosen, products)
    changed = audit.diff(before, _snapshot(promotion), model=Promotion)
    if changed:
        audit.build_entry(
            actor=actor, instance=promotion, action="update", changes=changed, via=via
        ).save()
    return bool(changed)
