"""Money a customer is committed to owe but not yet invoiced, from apps above this one.

Exposure counts orders confirmed but not invoiced. The orders live in `sales`, which sits
above `credit` (its order service asks credit for a verdict), so it registers a provider
in its AppConfig.ready(): `register_commitments(fn)`, where `fn(account_ids, currency)`
returns {account id: amount not yet invoiced in that currency}.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from decimal import Decimal

CommitmentProvider = Callable[[Collection[int], str], dict[int, Decimal]]
_PROVIDERS: list[CommitmentProvider] = []


def register_commitments(provider: CommitmentProvider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def commitments(account_ids: Collection[int], currency: str) -> Decimal:
    """Everything the accounts are committed to in the currency, from every provider."""
    total = Decimal(0)
    for provider in _PROVIDERS:
        total += sum(provider(account_ids, currency).values(), Decimal(0))
    return total
