"""The demo company's proposals, written after its pipeline: about thirty offers on the key
accounts' open opportunities, each with one to four lines priced from the customer's tier
through the proposal services (actor: the account's KAM), at every point of the flow.

Within the discount rule a proposal is approved on submission and many went on to the
customer, who accepted some (the opportunity is then won) and turned down others with a
reason; above the rule a proposal waits for the head, who approved some and rejected one
with a reason; one was revised into a second version. Two more approval rules than the
default one: a large proposal needs the head, and the administrator too from 500,000 PLN;
a customer with overdue debt needs finance. Deterministic: one seeded random stream, the
opportunities in id order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, Q

from openkam.accounts.models import Account, Assignment, AssignmentRole, Tier
from openkam.credit.assessment import Assessment, assess
from openkam.demo.spec import SOURCE
from openkam.demo.staff import PEOPLE
from openkam.ledger.models import Product
from openkam.opportunities.models import Opportunity
from openkam.pricing.models import MAX_QUANTITY, Price
from openkam.pricing.quotes import PricingError, valid_price_list
from openkam.proposals import approval_flow, outcomes, services
from openkam.proposals.models import (
    ApprovalRequest,
    ApprovalRule,
    ApprovalStep,
    ApproverRole,
    Metric,
    Proposal,
    RejectReason,
    RequestStatus,
    Status,
)
from openkam.users.models import Role, User

STREAM = 53
VIA = "demo"
LARGE_RULE = "Duża oferta (od 200 000 zł)"
OVERDUE_RULE = "Klient z przeterminowanym długiem"
MARGIN_RULE = "Marża poniżej 3 %"
RULE_NAMES = (LARGE_RULE, OVERDUE_RULE, MARGIN_RULE)
THIN_MARGIN = Decimal(3)
LARGE, LARGER = Decimal(200_000), Decimal(500_000)
# What a proposal is worth unless the plan says large: below the large-proposal rule.
USUAL_CAP = Decimal(150_000)
# What goes to the customer is sized to its credit room (the recommended maximum next
# order), with a margin: quantities are sized on the lowest tier price, the customer's may
# be higher. Below MIN_SENT of room a KAM would talk credit first, not send an offer.
ROOM_USED = Decimal("0.7")
MIN_SENT = Decimal(10_000)
LINE_COUNTS = (1, 1, 2, 2, 3, 4)
CENT = Decimal("0.01")
WITHIN = tuple(Decimal(pct) for pct in (0, 0, 2, 3, 5))
CUSTOMER_NOTE = (
    "Ceny netto, bez VAT. Dostawa na nasz koszt przy zamówieniu od 5 000 zł; "
    "termin płatności zgodnie z umową ramową."
)
INTERNAL_NOTES = (
    "Konkurencja zaproponowała ok. 3 pkt taniej; trzymamy cenę, dajemy lepszy termin dostawy.",
    "Klient chce rozszerzyć asortyment na nowe sklepy: rabat jako inwestycja na start.",
    "Zakupy pytały o rabat wolumenowy na cały rok; do rozmowy przy odnowieniu umowy.",
)
HEAD_APPROVAL_NOTES = (
    "Zgoda: kluczowy klient, wolumen uzasadnia rabat.",
    "Zgoda jednorazowo, na to zamówienie.",
    "OK, pod warunkiem płatności w terminie.",
)
HEAD_REJECTION = "Za duży rabat przy tej marży: zaproponuj dłuższy termin płatności zamiast rabatu."
CUSTOMER_NO = (
    (RejectReason.PRICE, "Klient oczekiwał ceny niższej o ok. 5%."),
    (RejectReason.COMPETITOR, "Wybrali dotychczasowego dostawcę, który obniżył ceny."),
    (RejectReason.TERMS, "Chcieli 60 dni terminu płatności."),
    (RejectReason.NO_BUDGET, "Budżet na ten kwartał wyczerpany; wrócić w styczniu."),
)


@dataclass(frozen=True)
class Plan:
    """Where a proposal ends: `goal` is a status, or "head_rejected" / "revised"."""

    goal: str
    over_rule: bool = False  # a discount above the discount rule on the first line
    target: Decimal | None = None  # the total aimed at (default: the opportunity's value)


PLANS: tuple[Plan, ...] = (
    *[Plan(Status.ACCEPTED)] * 3,
    Plan(Status.ACCEPTED, over_rule=True),
    *[Plan(Status.REJECTED)] * 3,
    Plan(Status.REJECTED, over_rule=True),
    *[Plan(Status.SENT)] * 4,
    Plan(Status.SENT, target=Decimal(260_000)),
    Plan(Status.SENT, over_rule=True),
    *[Plan(Status.APPROVED)] * 3,
    *[Plan(Status.DRAFT)] * 3,
    *[Plan(Status.AWAITING, over_rule=True)] * 4,
    Plan(Status.AWAITING, target=Decimal(640_000)),
    *[Plan("head_approved", over_rule=True)] * 2,
    Plan("head_rejected", over_rule=True),
    Plan("revised"),
)
GOES_OUT = frozenset({Status.SENT, Status.ACCEPTED, Status.REJECTED, "revised"})


def proposals_exist() -> bool:
    return Proposal.objects.filter(account__source=SOURCE).exists()


def _approval_rules() -> None:
    """The rules the demo company added to the default one (idempotent by name)."""
    if not ApprovalRule.objects.filter(name=LARGE_RULE).exists():
        large = ApprovalRule.objects.create(
            name=LARGE_RULE, metric=Metric.TOTAL, threshold=LARGE, currency="PLN",
            escalate_after_days=3, escalate_to=ApproverRole.ADMIN,
            note="Dyrektor; od 500 000 zł także administrator (zarząd).",
        )  # fmt: skip
        ApprovalStep.objects.create(rule=large, sequence=1, role=ApproverRole.HEAD)
        ApprovalStep.objects.create(
            rule=large, sequence=2, role=ApproverRole.ADMIN, min_total=LARGER
        )
    if not ApprovalRule.objects.filter(name=OVERDUE_RULE).exists():
        overdue = ApprovalRule.objects.create(
            name=OVERDUE_RULE, metric=Metric.OVERDUE, threshold=Decimal(0), currency="PLN",
            note="Finanse sprawdzają, czy nie wstrzymać sprzedaży.",
        )  # fmt: skip
        ApprovalStep.objects.create(rule=overdue, sequence=1, role=ApproverRole.FINANCE)
    if not ApprovalRule.objects.filter(name=MARGIN_RULE).exists():
        # Some products earn little: a discount within its rule can still sell below cost.
        thin = ApprovalRule.objects.create(
            name=MARGIN_RULE, metric=Metric.MARGIN, threshold=THIN_MARGIN,
            note="Sprzedaż prawie bez marży lub poniżej kosztu: decyduje dyrektor.",
        )  # fmt: skip
        ApprovalStep.objects.create(rule=thin, sequence=1, role=ApproverRole.HEAD)


class _Deciders:
    """The demo's approvers by role: the head, the administrator, finance."""

    def __init__(self) -> None:
        usernames = [p.username for p in PEOPLE]
        people = User.objects.filter(username__in=usernames, is_active=True).order_by("pk")
        self.by_role: dict[str, User | None] = {
            ApproverRole.HEAD: people.filter(role=Role.HEAD).first(),
            ApproverRole.ADMIN: people.filter(role=Role.ADMIN).first(),
            ApproverRole.FINANCE: people.filter(role=Role.FINANCE).first(),
        }

    def of(self, request: ApprovalRequest) -> User | None:
        return request.step.user if request.step.user_id else self.by_role.get(request.step.role)


def _candidates(today: date) -> list[Opportunity]:
    """Open opportunities of the key accounts that have an owner, one account at a time
    (round robin over the accounts, so the proposals spread over the portfolio)."""
    owned = Assignment.objects.active(today).filter(role=AssignmentRole.OWNER)
    rows = list(
        Opportunity.objects.open()
        .filter(account__source=SOURCE, account__tier=Tier.KEY,
                account__in=owned.values("account_id"))
        .select_related("account", "stage")
        .prefetch_related("product_lines")
        .order_by("account_id", "pk")
    )  # fmt: skip
    by_account: dict[int, list[Opportunity]] = {}
    for row in rows:
        by_account.setdefault(row.account_id, []).append(row)
    queues = list(by_account.values())
    spread = []
    while any(queues):
        for queue in queues:
            if queue:
                spread.append(queue.pop(0))
    return spread


def _owners(today: date) -> dict[int, User]:
    pairs = dict(
        Assignment.objects.active(today)
        .filter(role=AssignmentRole.OWNER)
        .values_list("account_id", "user_id")
    )
    users = User.objects.in_bulk(set(pairs.values()))
    return {account: users[user] for account, user in pairs.items()}


def _catalogue(currency: str, on: date) -> tuple[dict[str, list[Product]], dict[int, Decimal]]:
    """Products priced in the list of the currency valid on the day, by product line, and
    each one's lowest price there (to size the quantities; the services price the line)."""
    try:
        price_list = valid_price_list(currency, on)
    except PricingError:
        return {}, {}
    lowest = dict(
        Price.objects.filter(tier__price_list=price_list)
        .values("product_id")
        .annotate(lowest=Min("unit_price"))
        .values_list("product_id", "lowest")
    )
    found: dict[str, list[Product]] = {}
    products = (
        Product.objects.filter(source=SOURCE, is_archived=False, pk__in=list(lowest))
        .exclude(product_line="")
        .order_by("pk")
    )
    for product in products:
        found.setdefault(product.product_line, []).append(product)
    return found, lowest


def _pick_products(
    rng: np.random.Generator, opportunity: Opportunity, catalogue: dict[str, list[Product]]
) -> list[Product]:
    """One to four products (mostly one or two) of the opportunity's product lines."""
    count = LINE_COUNTS[int(rng.integers(0, len(LINE_COUNTS)))]
    lines = [line.product_line for line in opportunity.product_lines.all()]
    pool = [p for line in lines for p in catalogue.get(line, [])]
    if len(pool) < count:
        pool += [p for line in sorted(catalogue) for p in catalogue[line] if p not in pool]
    if not pool:
        return []
    picks = rng.choice(len(pool), size=min(count, len(pool)), replace=False)
    return [pool[int(i)] for i in sorted(picks)]


def _lines(
    rng: np.random.Generator,
    proposal: Proposal,
    owner: User,
    products: list[Product],
    plan: Plan,
    target: Decimal,
    lowest: dict[int, Decimal],
) -> int:
    """Lines adding up to about `target`. Every discount rule of the demo allows at least
    5 %, none more than 10 % outside the summer: the first line of a plan above the rule
    gets 11-16 %, the others up to 5 %; a line that still turns out within its rule is
    then set just above it."""
    share = target / len(products)
    added = 0
    for index, product in enumerate(products):
        quantity = min(
            MAX_QUANTITY,
            max(Decimal(1), (share / max(lowest[product.pk], CENT)).quantize(Decimal(1))),
        )
        above = plan.over_rule and index == 0
        discount = (
            Decimal(int(rng.integers(11, 17)))
            if above
            else WITHIN[int(rng.integers(0, len(WITHIN)))]
        )
        try:
            line = services.line_add(
                actor=owner, proposal=proposal, product=product, quantity=quantity,
                discount_pct=discount, via=VIA,
            )  # fmt: skip
        except ValidationError:
            continue  # no price in the customer's tier: leave the product out
        if above and not line.over_allowance:
            services.line_update(
                actor=owner, line=line, discount_pct=line.allowed_discount_pct + 3, via=VIA
            )
        added += 1
    return added


def _approve_all(proposal: Proposal, deciders: _Deciders, rng) -> None:
    """Every approver asked says yes, step after step, until the proposal is approved."""
    for _round in range(5):
        pending = list(
            proposal.approvals.filter(status=RequestStatus.PENDING).select_related(
                "step", "rule", "proposal"
            )
        )
        if not pending:
            break
        for request in pending:
            decider = deciders.of(request)
            if decider is None:
                return
            note = HEAD_APPROVAL_NOTES[int(rng.integers(0, len(HEAD_APPROVAL_NOTES)))]
            approval_flow.approve(actor=decider, request=request, note=note, via=VIA)
    proposal.refresh_from_db()


def _reject_by_head(proposal: Proposal, deciders: _Deciders) -> None:
    request = (
        proposal.approvals.filter(status=RequestStatus.PENDING, step__role=ApproverRole.HEAD)
        .select_related("step", "rule", "proposal")
        .first()
    )
    head = deciders.by_role[ApproverRole.HEAD]
    if request is not None and head is not None:
        approval_flow.reject(actor=head, request=request, note=HEAD_REJECTION, via=VIA)
    proposal.refresh_from_db()


def _send(proposal: Proposal, owner: User) -> bool:
    try:
        outcomes.send(actor=owner, proposal=proposal, via=VIA)
    except ValidationError:
        proposal.refresh_from_db()
        return False  # e.g. the credit check holds the customer: it stays approved
    return True


def _revise(rng, proposal: Proposal, owner: User, deciders: _Deciders) -> Proposal:
    """Sent, the customer asked for a better price: version 2 gives more on the first line
    (above the rule) and waits for the head."""
    following = services.proposal_revise(actor=owner, proposal=proposal, via=VIA)
    first = following.lines.order_by("position").first()
    if first is not None:
        services.line_update(
            actor=owner, line=first, discount_pct=first.allowed_discount_pct + Decimal(3), via=VIA
        )
        following.refresh_from_db()
        services.proposal_update(
            actor=owner, proposal=following, via=VIA,
            customer_note=CUSTOMER_NOTE + " Wersja 2: dodatkowy rabat na pierwszą pozycję.",
        )  # fmt: skip
        approval_flow.submit(actor=owner, proposal=following, via=VIA)
    return following


def _carry_out(rng, proposal: Proposal, owner: User, plan: Plan, deciders: _Deciders) -> None:
    if plan.goal == Status.DRAFT:
        return
    approval_flow.submit(actor=owner, proposal=proposal, via=VIA)
    if plan.goal == Status.AWAITING:
        return
    if plan.goal == "head_rejected":
        _reject_by_head(proposal, deciders)
        return
    _approve_all(proposal, deciders, rng)
    if proposal.status != Status.APPROVED or plan.goal not in GOES_OUT:
        return
    if not _send(proposal, owner):
        return
    if plan.goal == Status.ACCEPTED:
        outcomes.accept(actor=owner, proposal=proposal, via=VIA)
    elif plan.goal == Status.REJECTED:
        reason, note = CUSTOMER_NO[int(rng.integers(0, len(CUSTOMER_NO)))]
        outcomes.customer_reject(actor=owner, proposal=proposal, reason=reason, note=note, via=VIA)
    elif plan.goal == "revised":
        _revise(rng, proposal, owner, deciders)


class _Credit:
    """What the credit check would let a customer be sent (rule 6), account by account."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.seen: dict[tuple[int, str], Assessment] = {}

    def _of(self, account: Account, currency: str) -> Assessment:
        key = (account.pk, currency)
        if key not in self.seen:
            self.seen[key] = assess(account, currency, self.today)
        return self.seen[key]

    def room(self, account: Account, currency: str) -> Decimal | None:
        """The largest proposal that passes the check (None: no limit), nothing when held."""
        found = self._of(account, currency)
        return Decimal(0) if found.on_hold else found.recommended

    def fits(self, opportunity: Opportunity, target: Decimal | None) -> bool:
        """Room for a proposal of `target` (or of the smallest worth sending)."""
        room = self.room(opportunity.account, opportunity.currency)
        return room is None or room * ROOM_USED >= (target or MIN_SENT)

    def sized(self, opportunity: Opportunity, target: Decimal) -> Decimal:
        """The target cut to the room, as a KAM sizes an offer to the customer's credit."""
        room = self.room(opportunity.account, opportunity.currency)
        return target if room is None else min(target, (room * ROOM_USED).quantize(CENT))


def _backdate(today: date) -> None:
    """What went to the customer went some days ago, and the answers came after."""
    sent = Proposal.objects.filter(account__source=SOURCE, sent_on__isnull=False).order_by("pk")
    for index, proposal in enumerate(sent):
        days = 4 + (index * 5) % 25
        answered = None if proposal.decided_on is None else today - timedelta(days=days // 3)
        Proposal.objects.filter(pk=proposal.pk).update(
            priced_on=today - timedelta(days=days + 2),
            valid_until=today - timedelta(days=days + 2) + timedelta(days=30),
            sent_on=today - timedelta(days=days), decided_on=answered,
        )  # fmt: skip


@transaction.atomic
def build_proposals(*, today: date, seed: int) -> dict[str, int]:
    """Write the demo's approval rules and proposals; the counts by status."""
    rng = np.random.default_rng([seed, STREAM])
    _approval_rules()
    deciders = _Deciders()
    owners = _owners(today)
    catalogues: dict[str, tuple[dict[str, list[Product]], dict[int, Decimal]]] = {}
    credit = _Credit(today)
    candidates = _candidates(today)
    for plan in PLANS:
        opportunity = _next_for(plan, candidates, credit)
        if opportunity is None:
            continue  # none left fit for this plan; a later one may still find one
        owner = owners[opportunity.account_id]
        currency = opportunity.currency
        if currency not in catalogues:
            catalogues[currency] = _catalogue(currency, today)
        catalogue, lowest = catalogues[currency]
        products = _pick_products(rng, opportunity, catalogue)
        if not products:
            continue
        proposal = services.proposal_create(
            actor=owner, opportunity=opportunity, via=VIA, customer_note=CUSTOMER_NOTE,
            internal_note=INTERNAL_NOTES[int(rng.integers(0, len(INTERNAL_NOTES)))]
            if rng.random() < 0.4 else "",
        )  # fmt: skip
        target = plan.target or min(opportunity.value, USUAL_CAP)
        if plan.goal in GOES_OUT:
            target = credit.sized(opportunity, target)
        if not _lines(rng, proposal, owner, products, plan, target, lowest):
            proposal.delete()
            continue
        proposal.refresh_from_db()
        _carry_out(rng, proposal, owner, plan, deciders)
    _backdate(today)
    counts: dict[str, int] = {}
    for status in Proposal.objects.filter(account__source=SOURCE).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def _next_for(plan: Plan, candidates: list[Opportunity], credit: _Credit) -> Opportunity | None:
    """The next opportunity fit for the plan: one that goes to the customer needs a
    customer with credit room for it, and a large one a PLN opportunity."""
    for index, opportunity in enumerate(candidates):
        if plan.target is not None and opportunity.currency != "PLN":
            continue
        if plan.goal in GOES_OUT and not credit.fits(opportunity, plan.target):
            continue
        return candidates.pop(index)
    return None


def delete_proposals(accounts) -> None:
    """The demo's proposals (lines and approval requests go with them) and its rules."""
    Proposal.objects.filter(account__in=accounts).delete()
    rules = ApprovalRule.objects.filter(name__in=RULE_NAMES)
    rules.filter(~Q(pk__in=ApprovalRequest.objects.values("rule_id"))).delete()
