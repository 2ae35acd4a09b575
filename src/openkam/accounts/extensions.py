"""What apps above `accounts` add to the account list, page and API.

`accounts` sits below the ledger and the stakeholder map in the layer order
(docs/architecture.md), yet its pages show their figures and sections. Rather than
import them, it offers two hooks that those apps fill in their `AppConfig.ready()`:

- one provider of trailing figures (the ledger): 12-month revenue and margin per
  account, a monthly series, totals per group;
- panels: sections of the account page, each rendered by the app that owns its data
  from its own template and selectors (contacts, invoices, payments, the score).

A panel's context function receives the user and must read through the same visibility
predicate as every other path; the account it gets is one the user may see.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol, TypedDict

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from openkam.accounts.models import Account
from openkam.users.permissions import AnyUser

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class TrailingRevenue(TypedDict):
    revenue_12m: Decimal
    margin_12m: Decimal


if TYPE_CHECKING:
    # An account with the annotations of `TrailingFigures.with_trailing_revenue`.
    AccountWithRevenue = WithAnnotations[Account, TrailingRevenue]


class MonthlyFigure(Protocol):
    @property
    def month(self) -> date: ...
    @property
    def revenue(self) -> Decimal: ...
    @property
    def margin(self) -> Decimal: ...


class PeriodLike(Protocol):
    @property
    def start(self) -> date: ...
    @property
    def last_day(self) -> date: ...
    @property
    def label(self) -> str: ...


class TrailingFigures(Protocol):
    """What the account pages need from whoever owns the invoices. Every figure covers
    `trailing_period()`, which the pages print next to it."""

    def trailing_period(self, today: date | None = None) -> PeriodLike: ...

    def with_trailing_revenue(
        self, queryset: QuerySet[Account], period: Any = None
    ) -> QuerySet[AccountWithRevenue]: ...

    def revenue_by_account(
        self, account_ids: Collection[int], period: Any = None
    ) -> dict[int, Decimal]: ...

    def revenue_series(
        self,
        *,
        user: AnyUser,
        account: Account,
        months: int = 36,
        whole_group: bool | None = None,
        today: date | None = None,
        through_current_month: bool = True,
    ) -> Sequence[MonthlyFigure]: ...

    def attach_group_revenue(
        self, accounts: Iterable[AccountWithRevenue], *, user: AnyUser, period: Any = None
    ) -> list[AccountWithRevenue]: ...


_figures: list[TrailingFigures] = []


def register_figures(provider: TrailingFigures) -> None:
    """Called once by the ledger's AppConfig.ready(); a second call replaces the first."""
    _figures[:] = [provider]


def figures() -> TrailingFigures:
    if not _figures:
        raise ImproperlyConfigured("No app registered the accounts' trailing figures.")
    return _figures[0]


@dataclass(frozen=True)
class AccountPanel:
    """A section of the account page owned by another app."""

    name: str  # unique; also the section's HTML id
    template: str
    context: Callable[[AnyUser, Account], Mapping[str, object]]
    order: int  # sections show in ascending order


_panels: dict[str, AccountPanel] = {}


def register_panel(panel: AccountPanel) -> None:
    _panels[panel.name] = panel


def render_panels(request: HttpRequest, account: Account, *, may_edit: bool) -> list[SafeString]:
    """Every registered panel rendered for this (visible) account, in order."""
    user = request.user
    rendered = []
    for panel in sorted(_panels.values(), key=lambda panel: (panel.order, panel.name)):
        context = {
            **panel.context(user, account),
            "account": account,
            "user": user,
            "may_edit": may_edit,
            "panel_id": panel.name,
        }
        rendered.append(SafeString(render_to_string(panel.template, context, request=request)))
    return rendered
