"""Reasons to hold chasing an account, from apps above this one.

Chasing a customer while they wait for an answer to a complaint, or while a big deal
with them is being negotiated, costs more than it brings. The apps that own those
records (complaints, opportunities) register a provider in their AppConfig.ready():
`register_hold(fn)`, where `fn(account_ids, today)` returns {account id: reason}.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date

HoldProvider = Callable[[Collection[int], date], dict[int, str]]
_PROVIDERS: list[HoldProvider] = []


def register_hold(provider: HoldProvider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def unregister_hold(provider: HoldProvider) -> None:
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)


def holds_for(account_ids: Collection[int], today: date) -> dict[int, list[str]]:
    """{account id: every reason to hold it} from every registered provider."""
    reasons: dict[int, list[str]] = {}
    for provider in _PROVIDERS:
        for account_id, reason in provider(account_ids, today).items():
            reasons.setdefault(account_id, []).append(reason)
    return reasons
