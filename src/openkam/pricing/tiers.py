"""Which tier of a price list a customer buys at, and why.

The tier comes from the customer's contract (`Contract.price_tier`, matched to the
list's tier names in any case):

1. the customer's own contracts in force on the day, the latest started first;
2. else the contracts in force of its group's head company (`account.group_root`);
3. else the list's default tier.

A contract is in force on a day when it is active, has started and its term has not
ended (one that renews by itself runs on; see `contracts.dates`). A contract in force
that names a tier the list does not have is passed over, and the quote says so; a
contract without a price tier says nothing about prices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.contracts import dates
from openkam.contracts.models import Contract, ContractStatus
from openkam.pricing.models import PriceList, PriceTier

ACCOUNT_CONTRACT, GROUP_CONTRACT, DEFAULT = "account_contract", "group_contract", "default"


class TierError(Exception):
    """The list has no tier for the customer: no contract names one and it has no default."""


@dataclass(frozen=True)
class TierChoice:
    tier: PriceTier
    source: str  # ACCOUNT_CONTRACT, GROUP_CONTRACT or DEFAULT
    contract: Contract | None = None  # the contract that named the tier
    passed_over: tuple[Contract, ...] = field(default=())  # in force, naming no tier of the list


def in_force(contract: Contract, on: date) -> bool:
    if contract.status != ContractStatus.ACTIVE or contract.starts_on > on:
        return False
    return contract.ends_on is None or on <= contract.ends_on or dates.renews(contract)


def contracts_in_force(account_ids: list[int], on: date) -> list[Contract]:
    """The active contracts of these accounts that name a price tier and are in force on
    the day, the latest started first (one query)."""
    found = (
        Contract.objects.filter(
            account_id__in=account_ids, status=ContractStatus.ACTIVE, starts_on__lte=on
        )
        .exclude(price_tier="")
        .select_related("account")
        .order_by("-starts_on", "-pk")
    )
    return [contract for contract in found if in_force(contract, on)]


def choose_tier(account: Account, price_list: PriceList, on: date) -> TierChoice:
    tiers = list(price_list.tiers.all())
    by_name = {tier.name.strip().casefold(): tier for tier in tiers}
    head = account.group_root_id
    owners = [account.pk] + ([head] if head not in (None, account.pk) else [])
    contracts = contracts_in_force(owners, on)
    passed_over: list[Contract] = []
    for owner, source in zip(owners, (ACCOUNT_CONTRACT, GROUP_CONTRACT)):
        for contract in (c for c in contracts if c.account_id == owner):
            tier = by_name.get(contract.price_tier.strip().casefold())
            if tier is not None:
                return TierChoice(tier, source, contract, tuple(passed_over))
            passed_over.append(contract)
    default = next((tier for tier in tiers if tier.is_default), None)
    if default is None:
        raise TierError(
            _(
                "The price list %(list)s has no default tier, and no contract in force of "
                "%(account)s names one of its tiers (%(tiers)s)."
            )
            % {
                "list": price_list.name,
                "account": account.name,
                "tiers": ", ".join(tier.name for tier in tiers) or "—",
            }
        )
    return TierChoice(default, DEFAULT, None, tuple(passed_over))
