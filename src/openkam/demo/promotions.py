"""The demo company's promotions, written after its price lists (before receivables, as it
shapes a few invoices):

- a past volume bonus on coffee and tea for the key accounts, with a visible lift: the
  accounts that took part bought about a third more in the period (extra invoices);
- a past Christmas sweets discount for retail chains where customers bought ahead: the
  invoices of the fortnight after were placed in the promotion's fortnight instead;
- a current volume bonus on drinks and snacks for the key accounts, its threshold set so
  that some have reached it and others are on their way;
- two current coffee discounts in one exclusion group (the better one wins);
- an upcoming HoReCa bonus.

Promotions go through the services (validated, audited as the system). Deterministic: no
random draw; the accounts in id order.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F, Sum

from openkam.accounts.models import Account, Tier
from openkam.core.models import AuditEntry
from openkam.demo.spec import SOURCE
from openkam.ledger.models import Invoice, InvoiceLine, Product
from openkam.promotions import selectors, services
from openkam.promotions.models import Promotion

CENT = Decimal("0.01")
COFFEE, SWEETS, DRINKS, SNACKS = "Kawa i herbata", "Słodycze", "Napoje", "Przekąski"
HORECA_LINE = "Środki profesjonalne HoReCa"
NAMES = (
    "Jesienna premia: kawa i herbata",
    "Słodycze na święta",
    "Premia kwartalna: napoje i przekąski",
    "Kawa: rabat 5 %",
    "Kawa dla sieci: rabat 7 %",
    "Wiosenna premia HoReCa",
)
LIFTED = 6  # accounts given extra purchases in the coffee bonus
AHEAD = 6  # accounts that bought sweets ahead


def promotions_exist() -> bool:
    return Promotion.objects.filter(name__in=NAMES).exists()


@transaction.atomic
def build_promotions(*, today: date) -> dict[str, int]:
    key = list(Account.objects.filter(source=SOURCE, tier=Tier.KEY, currency="PLN").order_by("pk"))
    coffee = _coffee_bonus(today, key)
    sweets = _sweets_discount(today)
    current = _current_bonus(today)
    _coffee_pair(today)
    _horeca(today)
    return {"promotions": len(NAMES), "lifted": coffee, "ahead": sweets, "current": current}


def _create(**fields) -> Promotion:
    return services.promotion_create(actor=None, via="demo", **fields)


def _coffee_bonus(today: date, key: list[Account]) -> int:
    starts = today - timedelta(days=150)
    promotion = _create(
        name=NAMES[0], kind="volume_bonus", starts_on=starts, ends_on=starts + timedelta(days=29),
        currency="PLN", tier=Tier.KEY, product_lines=[COFFEE], bonus_pct=Decimal("2"),
        threshold_amount=Decimal("5000"), limit_per_account=Decimal("4000"),
        description="2 % premii od obrotu kawą i herbatą powyżej 5 000 zł w 30 dni.",
    )  # fmt: skip
    lifted: list[Account] = []
    for account in key:
        if len(lifted) >= LIFTED:
            break
        base = selectors.account_lift(account, promotion, today).baseline
        if base > 1000 and _add_purchase(account, COFFEE, promotion.starts_on, base / 3):
            lifted.append(account)
    _lift_clear_of_the_swing(promotion, lifted, today)
    return len(lifted)


def _lift_clear_of_the_swing(promotion: Promotion, lifted: list[Account], today: date) -> None:
    """The generated sales swing month to month by more than a third of six accounts'
    coffee: top up the lifted accounts' extra purchase until the programme's lift is twice
    the dip after it (a real lift, not buying ahead), plus a tenth of the baseline."""
    if not lifted:
        return
    eligible = Account.objects.filter(selectors.eligible_q(promotion))
    rows = selectors.lift_of(promotion, eligible, today)
    total = selectors.maths.total_lift([row.figures for row in rows])
    missing = 2 * max(total.dip, Decimal(0)) - total.lift + total.baseline / 10
    if missing <= 0:
        return
    day = promotion.starts_on + timedelta(days=14)
    for account in lifted:
        _add_purchase(account, COFFEE, day, missing / len(lifted))


def _add_purchase(account: Account, line: str, day: date, amount: Decimal) -> bool:
    """One extra invoice of the line's best-selling product the account buys."""
    bought = (
        InvoiceLine.objects.filter(account=account, product__product_line=line, quantity__gt=0)
        .values("product_id")
        .annotate(net=Sum("net_amount"), quantity=Sum("quantity"))
        .order_by("-net")
        .first()
    )
    if not bought or not bought["quantity"]:
        return False
    unit = (bought["net"] / bought["quantity"]).quantize(CENT, rounding=ROUND_HALF_UP)
    quantity = max(Decimal(1), (amount / unit).quantize(Decimal(1)))
    net = (unit * quantity).quantize(CENT)
    number = f"FV/PROMO/{account.pk}/{day:%Y%m%d}"
    invoice = Invoice.objects.create(
        number=number, account=account, issued_on=day + timedelta(days=10),
        due_on=day + timedelta(days=40), currency=account.currency, net_total=net,
        cost_total=(net * Decimal("0.8")).quantize(CENT), source=SOURCE, external_id=number,
    )  # fmt: skip
    InvoiceLine.objects.create(
        invoice=invoice, line_no=1, account=account, issued_on=invoice.issued_on,
        product_id=bought["product_id"], quantity=quantity, net_amount=net,
        cost_amount=invoice.cost_total, currency=account.currency,
    )  # fmt: skip
    return True


def _sweets_discount(today: date) -> int:
    """A 15-day discount two months ago; the invoices with sweets of the 15 days after it
    moved into it: customers stocked up at the lower price."""
    starts = today - timedelta(days=75)
    length = timedelta(days=15)
    promotion = _create(
        name=NAMES[1], kind="discount", starts_on=starts, ends_on=starts + length - timedelta(1),
        currency="PLN", audience="segments", segments=["Retail chains"],
        product_lines=[SWEETS], discount_pct=Decimal("6"),
        description="6 % rabatu na słodycze dla sieci handlowych przed świętami.",
    )  # fmt: skip
    chains = Account.objects.filter(selectors.eligible_q(promotion), source=SOURCE).order_by("pk")
    moved = 0
    after_first, after_last = promotion.ends_on + timedelta(1), promotion.ends_on + length
    for account in chains:
        if moved >= AHEAD:
            break
        invoices = Invoice.objects.filter(
            account=account, issued_on__range=(after_first, after_last),
            lines__product__product_line=SWEETS,
        ).distinct()  # fmt: skip
        ids = list(invoices.values_list("pk", flat=True))
        if not ids:
            continue
        Invoice.objects.filter(pk__in=ids).update(
            issued_on=F("issued_on") - length, due_on=F("due_on") - length
        )
        InvoiceLine.objects.filter(invoice_id__in=ids).update(issued_on=F("issued_on") - length)
        moved += 1
    return moved


def _current_bonus(today: date) -> int:
    """Threshold at the projected turnover of the 40th percentile of the key accounts, so
    that some have reached it, some will at their pace, and some will not."""
    starts = today - timedelta(days=45)
    promotion = _create(
        name=NAMES[2], kind="volume_bonus", starts_on=starts, ends_on=starts + timedelta(89),
        currency="PLN", tier=Tier.KEY, product_lines=[DRINKS, SNACKS], bonus_pct=Decimal("3"),
        threshold_amount=Decimal("1"), limit_per_account=Decimal("15000"),
        exclusion_group="Premie kwartalne",
        description="3 % premii od obrotu napojami i przekąskami po przekroczeniu progu.",
    )  # fmt: skip
    accounts = Account.objects.filter(selectors.eligible_q(promotion), source=SOURCE)
    projected = sorted(row.projected for row in selectors.progress_of(promotion, accounts, today))
    if projected:
        level = projected[int(len(projected) * 0.4)]
        threshold = max(Decimal(1000), (level / 1000).quantize(Decimal(1)) * 1000)
        services.promotion_update(
            actor=None, promotion=promotion, threshold_amount=threshold, via="demo"
        )
    return len(projected)


def _coffee_pair(today: date) -> None:
    starts = today - timedelta(days=10)
    common = {
        "kind": "discount", "starts_on": starts, "ends_on": starts + timedelta(days=40),
        "currency": "PLN", "product_lines": [COFFEE], "exclusion_group": "Kawa",
    }  # fmt: skip
    _create(name=NAMES[3], discount_pct=Decimal("5"), **common,
            description="Rabat na kawę i herbatę dla wszystkich klientów.")  # fmt: skip
    _create(name=NAMES[4], discount_pct=Decimal("7"), audience="segments",
            segments=["Retail chains"], **common,
            description="Dla sieci: w tej samej grupie wykluczeń, wygrywa lepszy rabat.")  # fmt: skip


def _horeca(today: date) -> None:
    starts = today + timedelta(days=20)
    products = Product.objects.filter(source=SOURCE, product_line=HORECA_LINE).order_by("sku")[:5]
    _create(
        name=NAMES[5], kind="volume_bonus", starts_on=starts, ends_on=starts + timedelta(59),
        currency="PLN", audience="segments", segments=["HoReCa"], product_lines=[HORECA_LINE],
        products=list(products), bonus_amount=Decimal("1500"), threshold_amount=Decimal("20000"),
        exclusion_group="Premie kwartalne", combinable=True,
        description="1 500 zł premii przy zakupach środków profesjonalnych za 20 000 zł.",
    )  # fmt: skip


def delete_promotions() -> None:
    """Remove the demo's promotions and the history it wrote of them."""
    found = Promotion.objects.filter(name__in=NAMES)
    pks = [str(pk) for pk in found.values_list("pk", flat=True)]
    found.delete()
    AuditEntry.objects.filter(model="promotions.Promotion", object_id__in=pks).delete()
