"""The portfolio's section of the account page: how the account scored, and why
(registered in PortfolioConfig.ready)."""

from __future__ import annotations

from collections.abc import Mapping

from openkam.accounts.extensions import AccountPanel
from openkam.accounts.models import Account
from openkam.portfolio.breakdown import score_breakdown
from openkam.portfolio.forms import ManualScoreForm
from openkam.users.permissions import AnyUser


def _score(user: AnyUser, account: Account) -> Mapping[str, object]:
    return {"breakdown": score_breakdown(user=user, account=account), "form": ManualScoreForm()}


SCORE = AccountPanel(
    name="score",
    template="portfolio/_breakdown.html",
    context=_score,
    order=10,
)
