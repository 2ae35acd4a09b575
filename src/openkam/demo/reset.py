"""Remove the demo company from a database that is not a throw-away SQLite file."""

from __future__ import annotations

from django.db import transaction

from openkam.accounts.models import Account, Assignment, KeyStatusChange
from openkam.core.models import AuditEntry, Job
from openkam.demo.pricing import delete_pricing
from openkam.demo.promotions import delete_promotions
from openkam.demo.proposals import delete_proposals
from openkam.demo.spec import SOURCE
from openkam.demo.staff import PEOPLE, TEAM_NAME
from openkam.demo.workspace.build import delete_workspace
from openkam.ledger.models import Invoice, InvoiceLine, Payment, Product
from openkam.opportunities.models import Opportunity
from openkam.stakeholders.models import Contact
from openkam.tenders.models import Tender
from openkam.users.models import Deputy, Team, User


@transaction.atomic
def delete_demo() -> None:
    """Delete everything the demo created, children first. Records other parts of the
    product hung off demo accounts stop the deletion (PROTECT) rather than vanish."""
    accounts = Account.objects.filter(source=SOURCE)
    usernames = [p.username for p in PEOPLE]
    Tender.objects.filter(account__in=accounts).delete()  # lines and documents cascade
    delete_workspace(accounts)
    delete_proposals(accounts)  # they hold their opportunities (PROTECT)
    delete_promotions()  # they name demo accounts and products
    Opportunity.objects.filter(account__in=accounts).delete()
    _delete_portfolio_work(accounts, usernames)
    InvoiceLine.objects.filter(account__in=accounts).delete()
    Payment.objects.filter(account__in=accounts).delete()
    Invoice.objects.filter(account__in=accounts).delete()
    Contact.objects.filter(account__in=accounts).delete()
    Assignment.objects.filter(account__in=accounts).delete()
    KeyStatusChange.objects.filter(account__in=accounts).delete()
    AuditEntry.objects.filter(account__in=accounts).delete()
    accounts.update(parent=None, group_root=None)
    accounts.delete()
    delete_pricing()  # its prices name the demo's products
    Product.objects.filter(source=SOURCE).delete()
    Deputy.objects.filter(principal__username__in=usernames).delete()
    Team.objects.filter(name=TEAM_NAME).update(head=None)
    User.objects.filter(username__in=usernames).update(team=None, senior=None)
    User.objects.filter(username__in=usernames).delete()
    Team.objects.filter(name=TEAM_NAME, members__isnull=True).delete()
    Job.objects.filter(kind="demo").delete()


def _delete_portfolio_work(accounts, usernames) -> None:
    """The demo scores its customers and holds last quarter's review: figures, scores,
    reviews and their audit entries go with it."""
    from openkam.portfolio.models import (
        AccountMetrics,
        ManualScore,
        RecomputeRun,
        Review,
        ScoreSnapshot,
    )

    Review.objects.filter(created_by__username__in=usernames).delete()  # items cascade
    ManualScore.objects.filter(account__in=accounts).delete()
    ScoreSnapshot.objects.filter(account__in=accounts).delete()
    AccountMetrics.objects.filter(account__in=accounts).delete()
    RecomputeRun.objects.filter(scores__isnull=True, reviews__isnull=True).delete()
    AuditEntry.objects.filter(actor__username__in=usernames).delete()
