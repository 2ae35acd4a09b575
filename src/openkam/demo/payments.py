"""Payments for a month's invoices: most on time, some late, a few chronically late,
some in two parts, and a few never paid. Nothing is paid after `today`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from openkam.demo.customers import CHRONIC_LATE, ERRATIC, PUNCTUAL, SLIGHTLY_LATE, Customers
from openkam.demo.sales import MonthSales

PARTIAL_SHARE = 0.05
BAD_DEBT_SHARE = 0.12  # of a chronic late payer's invoices in the last six months


@dataclass
class MonthPayments:
    ids: np.ndarray
    invoice: np.ndarray  # position in the month's invoice arrays
    day: np.ndarray  # proleptic ordinal
    amount: np.ndarray  # cents


def delay_days(rng: np.random.Generator, payer: np.ndarray) -> np.ndarray:
    """Days after the due date (negative: early), by payment behaviour."""
    n = len(payer)
    punctual = np.clip(rng.normal(-3, 4, n), -20, 3)
    slightly = rng.gamma(2.0, 5.0, n)
    chronic = rng.uniform(30, 90, n)
    erratic = np.where(rng.random(n) < 0.5, punctual, rng.uniform(0, 75, n))
    choices = {PUNCTUAL: punctual, SLIGHTLY_LATE: slightly, CHRONIC_LATE: chronic, ERRATIC: erratic}
    delay = np.zeros(n)
    for code, values in choices.items():
        delay = np.where(payer == code, values, delay)
    return np.rint(delay).astype(np.int64)


def generate_payments(
    *,
    rng: np.random.Generator,
    sales: MonthSales,
    customers: Customers,
    today_ordinal: int,
    next_payment_id: int,
) -> MonthPayments:
    billable = np.flatnonzero(~sales.is_correction & (sales.invoice_net > 0))
    payer = customers.payer[sales.invoice_account[billable]]
    paid_on = np.maximum(
        sales.invoice_due[billable] + delay_days(rng, payer), sales.invoice_day[billable] + 1
    )
    recent = sales.invoice_day[billable] > today_ordinal - 183
    bad_debt = (payer == CHRONIC_LATE) & recent & (rng.random(len(billable)) < BAD_DEBT_SHARE)
    partial = rng.random(len(billable)) < PARTIAL_SHARE
    first_share = rng.uniform(0.3, 0.7, len(billable))
    net = sales.invoice_net[billable]
    first_amount = np.where(partial, np.rint(net * first_share).astype(np.int64), net)
    second_day = paid_on + rng.integers(10, 46, len(billable))
    invoice = np.concatenate([billable, billable[partial]])
    day = np.concatenate([paid_on, second_day[partial]])
    amount = np.concatenate([first_amount, (net - first_amount)[partial]])
    unpaid = np.concatenate([bad_debt, bad_debt[partial]])
    keep = (day <= today_ordinal) & ~unpaid
    invoice, day, amount = invoice[keep], day[keep], amount[keep]
    order = np.lexsort((invoice, day))
    return MonthPayments(
        ids=np.arange(next_payment_id, next_payment_id + len(order), dtype=np.int64),
        invoice=invoice[order],
        day=day[order],
        amount=amount[order],
    )
