"""Contracts of the demo company's key accounts, written after its workspace (plans).

Every key account has a framework agreement (most with a yearly volume commitment close to
its pace of buying this year, over the whole customer group, as the plans measure it);
strategic accounts also a service contract that renews itself; a few accounts an older
contract that has ended. Some deadlines are deliberately near: five notice dates within
the 90-day alerts, and one commitment is at risk (the customer buys at about three
quarters of what it committed to). Deterministic: one seeded random stream, the accounts
in id order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np

from openkam.accounts.models import Account
from openkam.contracts import services
from openkam.contracts.models import Contract, ContractFile
from openkam.demo.spec import SOURCE
from openkam.demo.workspace.facts import AccountFacts, Facts

STREAM_CONTRACTS = 46
NEAR_DEADLINES = (12, 26, 41, 58, 83)  # days from today to the notice date
AT_RISK_FACTOR = Decimal("1.35")  # commitment / this year's pace for the one at risk
PAYMENT_TERMS = (14, 21, 30, 45, 60)
# Tiers of the demo's price lists (demo.pricing.TIERS), in any case as a register writes them.
PRICE_TIERS = ("Hurt", "A", "B", "Key")
THOUSAND = Decimal("1000")


@dataclass
class PlannedContract:
    account: int
    fields: dict[str, Any] = field(default_factory=dict)


def _pace(account: AccountFacts, today: date) -> Decimal:
    """This year's revenue carried on to the year's end (last year's early in a year)."""
    days = (today - date(today.year, 1, 1)).days + 1
    if days < 60 or account.revenue_this_year <= 0:
        return account.revenue_last_year
    return account.revenue_this_year * 365 / days


def _rounded(amount: Decimal) -> Decimal:
    return max(THOUSAND, (amount / THOUSAND).quantize(Decimal(1)) * THOUSAND)


def plan_contracts(facts: Facts, currencies: dict[int, str]) -> list[PlannedContract]:
    """What to write, from the facts alone (no database)."""
    rng = np.random.default_rng([facts.seed, STREAM_CONTRACTS])
    today = facts.today
    accounts = list(facts.accounts)
    order = [int(i) for i in rng.permutation(len(accounts))]
    near = {order[i]: days for i, days in enumerate(NEAR_DEADLINES) if i < len(order)}
    buyers = [i for i in order[len(NEAR_DEADLINES) :] if _pace(accounts[i], today) > 0]
    at_risk = buyers[0] if buyers else None
    planned = []
    for index, account in enumerate(accounts):
        planned.append(
            _framework(account, currencies, rng, today, near.get(index), index == at_risk)
        )
        if account.tier == "strategic":
            planned.append(_service(account, rng, today))
        if rng.random() < 0.15:
            planned.append(_ended(account, rng, today))
    return planned


def _framework(account, currencies, rng, today: date, near_days, at_risk: bool):
    years_ago = int(rng.integers(1, 4))
    starts_on = date(today.year - years_ago, 1, 1)
    fields: dict[str, Any] = {
        "number": f"UR/{starts_on.year}/{account.id:05d}",
        "kind": "framework",
        "status": "active",
        "starts_on": starts_on,
        "payment_terms_days": int(rng.choice(PAYMENT_TERMS)),
        "price_tier": str(rng.choice(PRICE_TIERS)),
        "discount_pct": Decimal(int(rng.integers(4, 25))) / 2,
    }
    if near_days is not None:
        # Notice in days: the notice date lands exactly `near_days` from today.
        fields |= {
            "ends_on": today + timedelta(days=near_days + 90),
            "notice_period": 90,
            "notice_unit": "days",
        }
    elif rng.random() < 0.2:
        fields |= {"ends_on": None, "notice_period": 3, "notice_unit": "months"}
    else:
        fields |= {
            "ends_on": date(today.year + int(rng.integers(1, 3)), 12, 31),
            "notice_period": 3,
            "notice_unit": "months",
        }
        if rng.random() < 0.4:
            fields |= {"auto_renews": True, "renewal_months": 12}
    pace = _pace(account, today)
    if pace > 0 and (at_risk or rng.random() < 0.7):
        factor = AT_RISK_FACTOR if at_risk else Decimal(int(rng.integers(80, 97))) / 100
        fields |= {
            "commitment_amount": _rounded(pace * factor),
            "commitment_currency": currencies.get(account.id, "PLN"),
            "commitment_period": "year",
            "covers_group": True,
        }
    if at_risk:
        fields["notes"] = "Zobowiązanie wolumenowe zagrożone: tempo zakupów poniżej planu."
    return PlannedContract(account.id, fields)


def _service(account, rng, today: date):
    starts_on = date(today.year - 1, int(rng.integers(1, 13)), 1)
    ends_on = date(starts_on.year + 2, starts_on.month, 1) - timedelta(days=1)
    return PlannedContract(
        account.id,
        {
            "number": f"US/{starts_on.year}/{account.id:05d}",
            "kind": "service",
            "status": "active",
            "starts_on": starts_on,
            "ends_on": ends_on,
            "auto_renews": True,
            "renewal_months": 12,
            "notice_period": 1,
            "notice_unit": "months",
            "payment_terms_days": 30,
            "notes": "Merchandising i logistyka dostaw.",
        },
    )


def _ended(account, rng, today: date):
    starts_on = date(today.year - 4, int(rng.integers(1, 13)), 1)
    ends_on = date(today.year - 2, starts_on.month, 1) - timedelta(days=1)
    return PlannedContract(
        account.id,
        {
            "number": f"UD/{starts_on.year}/{account.id:05d}",
            "kind": "supply",
            "status": "ended",
            "starts_on": starts_on,
            "ends_on": ends_on,
            "payment_terms_days": 30,
        },
    )


def build_contracts(*, facts: Facts) -> dict[str, int]:
    """Write the planned contracts through the service (validated, audited as demo data)."""
    ids = [account.id for account in facts.accounts]
    currencies = dict(Account.objects.filter(pk__in=ids).values_list("pk", "currency"))
    accounts = Account.objects.in_bulk(ids)
    written = 0
    for index, planned in enumerate(plan_contracts(facts, currencies), start=1):
        services.contract_create(
            actor=None,
            account=accounts[planned.account],
            via="demo",
            source=SOURCE,
            external_id=f"K{index:06d}",
            **planned.fields,
        )
        written += 1
    return {"contract": written}


def delete_contracts(accounts: Iterable[Account] | Any) -> None:
    """Remove the demo's contracts (and any file attached to them since)."""
    for record in ContractFile.objects.filter(contract__account__in=accounts):
        record.file.delete(save=False)
        record.delete()
    Contract.objects.filter(account__in=accounts).delete()
