"""Writing proposals: create from an opportunity, price lines, change the header, revise
into a new version. Every write is checked against the account (`access.may_edit`) and
audited; a change to a proposal under approval or approved sends it back to draft (the
decisions stay, and are reused where the figure a rule saw has not changed)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import audit
from openkam.ledger.models import InvoiceLine, Product
from openkam.opportunities.models import Opportunity
from openkam.pricing.quotes import PricingError, check_discount, price_for
from openkam.promotions.selectors import expected_rebate_pct
from openkam.proposals.models import (
    Language,
    Proposal,
    ProposalLine,
    RequestStatus,
    Status,
)
from openkam.users import permissions
from openkam.users.permissions import Actor, AnyUser

DEFAULT_VALIDITY_DAYS = 30
COST_WINDOW_DAYS = 365
HEADER_FIELDS = ("title", "valid_until", "language", "customer_note", "internal_note")
RUSSIAN_SPEAKING = frozenset({"RU", "BY", "KZ", "KG", "AM", "UZ", "TJ"})


def may_propose(user: AnyUser | None, account: Account) -> bool:
    return access.may_edit(user, account)


def require_propose(actor: Actor, account: Account) -> None:
    if actor is not None:
        access.require_edit(actor, account, _("You may not change the proposals of this account."))


def language_for(account: Account) -> str:
    country = (account.country or "").upper()
    if country == "PL":
        return Language.PL
    return Language.RU if country in RUSSIAN_SPEAKING else Language.EN


# Two people creating a proposal at the same moment may pick the same next number; the
# unique (number, version) refuses the second, which takes the following number.
NUMBER_ATTEMPTS = 5


def _next_number(on: date) -> str:
    prefix = f"OF/{on.year}/"
    taken = Proposal.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    last = max((int(number.rsplit("/", 1)[1]) for number in taken), default=0)
    return f"{prefix}{last + 1:04d}"


def _require_editable(proposal: Proposal) -> None:
    if not proposal.is_editable:
        raise ValidationError(
            _("A proposal that is %(status)s cannot be changed: make a new version.")
            % {"status": proposal.get_status_display()}
        )


@transaction.atomic
def proposal_create(
    *,
    actor: Actor,
    opportunity: Opportunity,
    title: str = "",
    valid_until: date | None = None,
    language: str = "",
    via: str = "web",
    **fields: Any,
) -> Proposal:
    account = opportunity.account
    require_propose(actor, account)
    if not opportunity.stage.is_open:
        raise ValidationError(_("The opportunity is closed: reopen it to make a proposal."))
    today = permissions.today()
    proposal = Proposal(
        account=account, opportunity=opportunity, number=_next_number(today),
        title=title or opportunity.title, currency=opportunity.currency,
        language=language or language_for(account), priced_on=today,
        valid_until=valid_until or today + timedelta(days=DEFAULT_VALIDITY_DAYS),
        created_by=actor, **fields,
    )  # fmt: skip
    proposal.full_clean(exclude=["number"])
    _save_numbered(proposal, today)
    audit.record_create(actor=actor, instance=proposal, via=via)
    return proposal


def _save_numbered(proposal: Proposal, today: date) -> None:
    """Save under the next free number, taking the one after if another took it first."""
    for _attempt in range(NUMBER_ATTEMPTS - 1):
        try:
            with transaction.atomic():
                proposal.save()
            return
        except IntegrityError:  # the failed insert gave it no primary key: insert again
            proposal.number = _next_number(today)
    proposal.save()  # the last attempt: taken again is an error, not a silent loss


def average_unit_cost(product: Product, currency: str, on: date) -> Decimal | None:
    """What a unit cost the company over the last year, from the ledger's sales in the
    currency (a catalogue figure: the product's, not any one customer's)."""
    totals = InvoiceLine.objects.filter(
        product=product,
        quantity__gt=0,
        invoice__currency=currency,
        invoice__issued_on__gt=on - timedelta(days=COST_WINDOW_DAYS),
        invoice__issued_on__lte=on,
    ).aggregate(cost=Sum("cost_amount"), quantity=Sum("quantity"))
    if not totals["quantity"]:
        return None
    return (totals["cost"] / totals["quantity"]).quantize(Decimal("0.0001"))


def _price_line(line: ProposalLine, on: date) -> None:
    proposal = line.proposal
    try:
        quote = price_for(
            account=proposal.account, product=line.product, quantity=line.quantity, on=on,
            currency=proposal.currency,
        )  # fmt: skip
        checked = check_discount(quote, line.discount_pct)
    except PricingError as error:
        raise ValidationError({"product": str(error)}) from None
    line.quantity = quote.quantity
    line.tier = quote.tier.name
    line.list_unit_price = quote.list_unit_price
    line.total_before_discount = checked.line_total
    line.net_total = checked.line_total_after
    line.net_unit_price = (checked.line_total_after / quote.quantity).quantize(Decimal("0.01"))
    line.allowed_discount_pct = quote.max_discount_pct
    line.discount_rule = quote.rule.name if quote.rule else ""
    line.unit_cost = average_unit_cost(line.product, proposal.currency, on)
    line.rebate_pct = expected_rebate(line, on)


def expected_rebate(line: ProposalLine, on: date) -> Decimal:
    """The bonus the customer is expected to earn on this product from the volume bonuses
    that apply (promotions): what turns the net price into the true net after rebates."""
    return expected_rebate_pct(line.proposal.account, line.product, on)


def _refresh_totals(proposal: Proposal) -> None:
    lines = list(proposal.lines.all())
    proposal.total_before_discount = sum((line.total_before_discount for line in lines), Decimal(0))
    proposal.total = sum((line.net_total for line in lines), Decimal(0))
    costs = [line.cost for line in lines]
    known = [cost for cost in costs if cost is not None]
    proposal.cost = sum(known, Decimal(0)) if len(known) == len(costs) else None


def back_to_draft(proposal: Proposal) -> None:
    """A change reopens the proposal: open requests lapse, decisions stay for reuse."""
    if proposal.status in (Status.AWAITING, Status.APPROVED):
        proposal.approvals.filter(status__in=(RequestStatus.PENDING, RequestStatus.WAITING)).update(
            status=RequestStatus.CANCELLED
        )
        proposal.status = Status.DRAFT
        proposal.approved_at = None


def _save_changed(proposal: Proposal, before: audit.Snapshot, actor: Actor, via: str) -> None:
    proposal.priced_on = permissions.today()
    _refresh_totals(proposal)
    back_to_draft(proposal)
    proposal.save()
    audit.record_update(actor=actor, instance=proposal, before=before, via=via)


@transaction.atomic
def line_add(
    *,
    actor: Actor,
    proposal: Proposal,
    product: Product,
    quantity: Decimal,
    discount_pct: Decimal = Decimal(0),
    via: str = "web",
) -> ProposalLine:
    require_propose(actor, proposal.account)
    _require_editable(proposal)
    before = audit.snapshot(proposal)
    position = (proposal.lines.aggregate(last=Max("position"))["last"] or 0) + 1
    line = ProposalLine(
        proposal=proposal, product=product, quantity=quantity, discount_pct=discount_pct,
        position=position,
    )  # fmt: skip
    _price_line(line, permissions.today())
    line.full_clean()
    line.save()
    audit.record_create(actor=actor, instance=line, via=via)
    _save_changed(proposal, before, actor, via)
    return line


@transaction.atomic
def line_update(
    *,
    actor: Actor,
    line: ProposalLine,
    quantity: Decimal | None = None,
    discount_pct: Decimal | None = None,
    via: str = "web",
) -> ProposalLine:
    proposal = line.proposal
    require_propose(actor, proposal.account)
    _require_editable(proposal)
    before_line, before = audit.snapshot(line), audit.snapshot(proposal)
    if quantity is not None:
        line.quantity = quantity
    if discount_pct is not None:
        line.discount_pct = discount_pct
    try:
        _price_line(line, permissions.today())
        line.full_clean()
    except ValidationError:
        line.refresh_from_db()
        raise
    line.save()
    audit.record_update(actor=actor, instance=line, before=before_line, via=via)
    _save_changed(proposal, before, actor, via)
    return line


@transaction.atomic
def line_remove(*, actor: Actor, line: ProposalLine, via: str = "web") -> None:
    proposal = line.proposal
    require_propose(actor, proposal.account)
    _require_editable(proposal)
    before = audit.snapshot(proposal)
    audit.record_delete(actor=actor, instance=line, via=via)
    line.delete()
    _save_changed(proposal, before, actor, via)


@transaction.atomic
def proposal_update(
    *, actor: Actor, proposal: Proposal, via: str = "web", **fields: Any
) -> Proposal:
    """The header: title, validity, language, notes. The prices stay as they were."""
    require_propose(actor, proposal.account)
    _require_editable(proposal)
    unknown = set(fields) - set(HEADER_FIELDS)
    if unknown:
        raise ValueError(f"not header fields: {sorted(unknown)}")
    before = audit.snapshot(proposal)
    for name, value in fields.items():
        setattr(proposal, name, value)
    try:
        proposal.full_clean()
    except ValidationError:
        proposal.refresh_from_db()
        raise
    back_to_draft(proposal)
    proposal.save()
    audit.record_update(actor=actor, instance=proposal, before=before, via=via)
    return proposal


def cancel_open_requests(proposal: Proposal) -> None:
    """Nobody need decide on a proposal that is no longer in play."""
    proposal.approvals.filter(status__in=(RequestStatus.PENDING, RequestStatus.WAITING)).update(
        status=RequestStatus.CANCELLED
    )


@transaction.atomic
def proposal_revise(*, actor: Actor, proposal: Proposal, via: str = "web") -> Proposal:
    """The next version, a draft with the same lines priced today; this one is superseded."""
    require_propose(actor, proposal.account)
    # Read the status under a row lock: two people revising at once make one new version.
    Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
    proposal.refresh_from_db()
    if proposal.status in (Status.SUPERSEDED, Status.ACCEPTED, Status.WITHDRAWN):
        raise ValidationError(
            _("A proposal that is %(status)s has no next version.")
            % {"status": proposal.get_status_display()}
        )
    before = audit.snapshot(proposal)
    lines = list(proposal.lines.select_related("product"))
    cancel_open_requests(proposal)
    proposal.status = Status.SUPERSEDED
    proposal.save()
    audit.record_update(actor=actor, instance=proposal, before=before, via=via)
    today = permissions.today()
    latest = Proposal.objects.filter(number=proposal.number).aggregate(v=Max("version"))["v"]
    following = Proposal.objects.create(
        account=proposal.account, opportunity=proposal.opportunity, number=proposal.number,
        version=latest + 1, title=proposal.title, currency=proposal.currency,
        language=proposal.language, priced_on=today,
        valid_until=max(proposal.valid_until, today + timedelta(days=DEFAULT_VALIDITY_DAYS)),
        customer_note=proposal.customer_note, internal_note=proposal.internal_note,
        created_by=actor or proposal.created_by,
    )  # fmt: skip
    for old in lines:
        line = ProposalLine(
            proposal=following, product=old.product, quantity=old.quantity,
            discount_pct=old.discount_pct, position=old.position,
        )  # fmt: skip
        _price_line(line, today)
        line.save()
    _refresh_totals(following)
    following.save()
    audit.record_create(actor=actor, instance=following, via=via)
    return following
