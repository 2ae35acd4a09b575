"""Generated data as database rows, table by table, in insertion order.

Pure: no database access, so the same plan always yields the same rows (the
determinism test hashes them). `build.py` writes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from itertools import repeat

import numpy as np
from django.db import models

from openkam.accounts.models import Account, Assignment, KeyStatusChange
from openkam.demo import names
from openkam.demo.catalogue import SEGMENT_AFFINITY, Catalogue, generate_catalogue
from openkam.demo.contacts import generate_contacts
from openkam.demo.customers import Customers, generate_customers
from openkam.demo.history import AUDIT_COLUMNS, AUDIT_MODEL, audit_rows
from openkam.demo.payments import generate_payments
from openkam.demo.people import Portfolio, build_portfolio
from openkam.demo.sales import MonthSales, SalesModel, generate_month, sales_model
from openkam.demo.spec import SOURCE, DemoSpec
from openkam.demo.staff import Staff
from openkam.ledger.models import Invoice, InvoiceLine, Payment, Product
from openkam.stakeholders.models import Contact
from openkam.users.models import Deputy

CURRENCY = "PLN"
# Independent random streams per part, so changing one part leaves the others alone.
STREAM_CATALOGUE, STREAM_CUSTOMERS, STREAM_PEOPLE, STREAM_CONTACTS = 1, 2, 3, 4
STREAM_SALES, STREAM_PAYMENTS = 5, 6


@dataclass
class Table:
    model: type[models.Model]
    columns: tuple[str, ...]
    rows: Iterator[tuple] | list[tuple]


@dataclass
class DemoPlan:
    spec: DemoSpec
    staff: Staff
    catalogue: Catalogue
    customers: Customers
    model: SalesModel
    portfolio: Portfolio
    created: datetime
    counters: dict[str, int] = field(default_factory=dict)

    def stream(self, number: int) -> np.random.Generator:
        return np.random.default_rng([self.spec.seed, number])


def plan_demo(spec: DemoSpec, staff: Staff) -> DemoPlan:
    rng = lambda k: np.random.default_rng([spec.seed, k])  # noqa: E731
    catalogue = generate_catalogue(spec, rng(STREAM_CATALOGUE))
    customers = generate_customers(spec, rng(STREAM_CUSTOMERS), SEGMENT_AFFINITY)
    model = sales_model(spec, customers)
    portfolio = build_portfolio(
        spec=spec,
        rng=rng(STREAM_PEOPLE),
        customers=customers,
        expected=model.expected_revenue(customers),
        staff=staff,
    )
    created = datetime.combine(spec.today, time(6, 0), tzinfo=UTC)
    plan = DemoPlan(spec, staff, catalogue, customers, model, portfolio, created)
    plan.counters = {
        "invoice": spec.offset("invoice") + 1,
        "line": spec.offset("line") + 1,
        "payment": spec.offset("payment") + 1,
    }
    return plan


def money(cents: np.ndarray) -> list[str]:
    return [f"{value:.2f}" for value in (cents / 100).tolist()]


def day_texts(ordinals: np.ndarray) -> list[str]:
    """ISO dates for ordinals, through a small lookup instead of a date per value."""
    if len(ordinals) == 0:
        return []
    low = int(ordinals.min())
    table = [date.fromordinal(o).isoformat() for o in range(low, int(ordinals.max()) + 1)]
    return [table[o] for o in (ordinals - low).tolist()]


def static_tables(plan: DemoPlan, *, db_value=lambda v: v) -> list[Table]:
    """Products, accounts, tiers, assignments, deputies and contacts."""
    c, cat, p = plan.customers, plan.catalogue, plan.portfolio
    now = db_value(plan.created)
    head = plan.staff.head
    ids = c.ids.tolist()
    parent = [ids[i] if i >= 0 else None for i in c.parent.tolist()]
    root = [ids[i] for i in c.root.tolist()]
    products = Table(
        Product,
        (
            "id",
            "created_at",
            "updated_at",
            "source",
            "external_id",
            "sku",
            "name",
            "product_line",
            "unit",
            "is_archived",
        ),
        [
            (pid, now, now, SOURCE, sku, sku, name, cat.line_names[line], unit, False)
            for pid, sku, name, line, unit in zip(
                cat.ids.tolist(),
                cat.skus,
                cat.names,
                cat.product_line.tolist(),
                cat.units,
                strict=True,
            )
        ],
    )
    accounts = Table(
        Account,
        (
            "id",
            "created_at",
            "updated_at",
            "source",
            "external_id",
            "name",
            "legal_form",
            "tax_id",
            "kpp",
            "country",
            "region",
            "city",
            "industry",
            "segment",
            "currency",
            "parent_id",
            "group_root_id",
            "tier",
            "is_archived",
        ),
        list(
            zip(
                ids,
                repeat(now),
                repeat(now),
                repeat(SOURCE),
                c.external_ids,
                c.names,
                c.legal_forms,
                c.tax_ids,
                repeat(""),
                c.countries,
                c.regions,
                c.cities,
                c.industries,
                c.segments,
                repeat(CURRENCY),
                parent,
                root,
                p.tier,
                repeat(False),
            )
        ),
    )
    changes = Table(
        KeyStatusChange,
        ("account_id", "tier", "previous_tier", "reason", "decided_by_id", "decided_at"),
        [
            (ids[a], tier, prev, reason, who, db_value(at))
            for a, tier, prev, reason, who, at in p.status_changes
        ],
    )
    assignments = Table(
        Assignment,
        (
            "created_at",
            "updated_at",
            "account_id",
            "user_id",
            "role",
            "starts_on",
            "ends_on",
            "created_by_id",
        ),
        [
            (now, now, ids[a], user, role, db_value(start), db_value(end), head)
            for a, user, role, start, end in p.assignments
        ],
    )
    deputies = Table(
        Deputy,
        (
            "created_at",
            "updated_at",
            "principal_id",
            "deputy_id",
            "starts_on",
            "ends_on",
            "note",
            "created_by_id",
        ),
        [
            (now, now, principal, deputy, db_value(start), db_value(end), note, principal)
            for principal, deputy, start, end, note in p.deputies
        ],
    )
    contact_rows = generate_contacts(plan.stream(STREAM_CONTACTS), c, p.tier)
    contacts = Table(
        Contact,
        (
            "created_at",
            "updated_at",
            "source",
            "external_id",
            "account_id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "position",
            "department",
            "is_archived",
            "buying_role",
            "attitude",
        ),
        [
            (now, now, SOURCE, f"C{k + 1:06d}", ids[a], first, last, email, phone, pos, dept)
            + (False, "", "unknown")
            for k, (a, first, last, email, phone, pos, dept) in enumerate(contact_rows)
        ],
    )
    audit = Table(AUDIT_MODEL, AUDIT_COLUMNS, audit_rows(plan, db_value))
    return [products, accounts, changes, assignments, deputies, contacts, audit]


def month_tables(
    plan: DemoPlan, month_index: int, sales_rng, payments_rng, *, db_value=lambda v: v
):
    """One month's invoices, lines and payments; advances the id counters."""
    c, cat = plan.customers, plan.catalogue
    sales = generate_month(
        spec=plan.spec,
        rng=sales_rng,
        month_index=month_index,
        customers=c,
        catalogue=cat,
        model=plan.model,
        next_invoice_id=plan.counters["invoice"],
        next_line_id=plan.counters["line"],
    )
    paid = generate_payments(
        rng=payments_rng,
        sales=sales,
        customers=c,
        today_ordinal=plan.spec.today.toordinal(),
        next_payment_id=plan.counters["payment"],
    )
    plan.counters["invoice"] += len(sales.invoice_ids)
    plan.counters["line"] += len(sales.line_ids)
    plan.counters["payment"] += len(paid.ids)
    now = db_value(plan.created)
    return [
        _invoices(sales, c, now),
        _lines(sales, c, cat),
        _payments(sales, paid, c, now, plan.spec.offset("payment")),
    ]


def _invoices(sales: MonthSales, c: Customers, now) -> Table:
    account_ids = c.ids[sales.invoice_account].tolist()
    return Table(
        Invoice,
        (
            "id",
            "created_at",
            "updated_at",
            "source",
            "external_id",
            "number",
            "account_id",
            "issued_on",
            "due_on",
            "currency",
            "net_total",
            "cost_total",
        ),
        list(
            zip(
                sales.invoice_ids.tolist(),
                repeat(now),
                repeat(now),
                repeat(SOURCE),
                sales.invoice_numbers,
                sales.invoice_numbers,
                account_ids,
                day_texts(sales.invoice_day),
                day_texts(sales.invoice_due),
                repeat(CURRENCY),
                money(sales.invoice_net),
                money(sales.invoice_cost),
            )
        ),
    )


def _lines(sales: MonthSales, c: Customers, cat: Catalogue) -> Table:
    account = sales.invoice_account[sales.line_invoice]
    reasons = [names.RETURN_REASONS[r] if r >= 0 else "" for r in sales.line_reason.tolist()]
    return Table(
        InvoiceLine,
        (
            "id",
            "invoice_id",
            "line_no",
            "account_id",
            "issued_on",
            "product_id",
            "quantity",
            "net_amount",
            "cost_amount",
            "currency",
            "return_reason",
        ),
        list(
            zip(
                sales.line_ids.tolist(),
                sales.invoice_ids[sales.line_invoice].tolist(),
                sales.line_no.tolist(),
                c.ids[account].tolist(),
                day_texts(sales.invoice_day[sales.line_invoice]),
                cat.ids[sales.line_product].tolist(),
                sales.line_quantity.tolist(),
                money(sales.line_net),
                money(sales.line_cost),
                repeat(CURRENCY),
                reasons,
            )
        ),
    )


def _payments(sales: MonthSales, paid, c: Customers, now, offset: int) -> Table:
    numbers = [sales.invoice_numbers[i] for i in paid.invoice.tolist()]
    return Table(
        Payment,
        (
            "id",
            "created_at",
            "updated_at",
            "source",
            "external_id",
            "account_id",
            "paid_on",
            "amount",
            "currency",
            "invoice_id",
            "invoice_number",
        ),
        list(
            zip(
                paid.ids.tolist(),
                repeat(now),
                repeat(now),
                repeat(SOURCE),
                [f"P{k - offset:08d}" for k in paid.ids.tolist()],
                c.ids[sales.invoice_account[paid.invoice]].tolist(),
                day_texts(paid.day),
                money(paid.amount),
                repeat(CURRENCY),
                sales.invoice_ids[paid.invoice].tolist(),
                numbers,
            )
        ),
    )
