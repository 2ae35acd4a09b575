"""Invoices and their lines, one month at a time (so 10 million lines stream in
bounded memory): seasonality, each customer's trajectory, and correction invoices
that carry returns as negative lines with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from openkam.demo.catalogue import Catalogue
from openkam.demo.customers import NEW, RECENT_DROP, Customers
from openkam.demo.names import RETURN_REASON_WEIGHTS, RETURN_REASONS
from openkam.demo.spec import DemoSpec

# Demand by calendar month: a Q4 peak before Christmas, a summer drinks bump, an August dip.
SEASON = np.array([0.86, 0.88, 1.0, 1.02, 1.04, 1.07, 0.97, 0.80, 1.02, 1.08, 1.14, 1.22])
LINES_PER_INVOICE = (2, 5)
MEAN_LINES = sum(LINES_PER_INVOICE) / 2
RETURN_SHARE = 0.015  # of all lines
FREQUENCY_POWER = 0.85  # bigger customers buy more often, and in bigger lines
NOISE_SIGMA = 0.6
# Month-to-month swing of a customer's orders: big accounts order on a steady rhythm,
# small ones in bursts (so the ABC-XYZ matrix has steady, varying and erratic customers).
MONTH_SIGMA_LARGEST, MONTH_SIGMA_SMALLEST = 0.05, 0.40
REGULAR_SHARE = 0.4  # the largest 40% of customers order on a fixed rhythm
# How strongly a segment follows the calendar season (1 = the full SEASON curve).
SEASON_STRENGTH = {
    "HoReCa": 1.3,
    "Retail chains": 0.8,
    "Wholesale": 0.4,
    "Industry": 0.15,
    "Public sector": 0.1,
}
REGULAR_LINE_SIGMA = 0.3  # regular orders repeat similar baskets
YEARLY_PRICE_RISE = 0.045  # list prices and costs go up every January


@dataclass
class SalesModel:
    """Per customer and month: the expected activity, and the constants that turn it
    into invoice counts and line values."""

    activity: np.ndarray  # (customers x months) multiplier of the base revenue
    invoice_rate: np.ndarray  # expected invoices per month at activity 1
    line_value_cents: np.ndarray  # expected net value of one line
    month_sigma: np.ndarray  # lognormal sigma of the month-to-month swing, per customer
    regular: np.ndarray  # True for customers who order on a fixed rhythm
    line_sigma: np.ndarray  # lognormal sigma of one line's value around the expected

    def expected_revenue(self, customers: Customers) -> np.ndarray:
        """Expected net revenue over the whole period, per customer (PLN)."""
        return customers.annual_revenue / 12 * self.activity.sum(axis=1)


@dataclass
class MonthSales:
    month: date
    invoice_ids: np.ndarray
    invoice_account: np.ndarray  # customer index
    invoice_day: np.ndarray  # proleptic ordinal
    invoice_due: np.ndarray
    invoice_numbers: list[str]
    invoice_net: np.ndarray  # cents
    invoice_cost: np.ndarray
    is_correction: np.ndarray
    line_ids: np.ndarray
    line_invoice: np.ndarray  # position in the invoice arrays
    line_no: np.ndarray
    line_product: np.ndarray  # catalogue index
    line_quantity: np.ndarray
    line_net: np.ndarray
    line_cost: np.ndarray
    line_reason: np.ndarray  # index into RETURN_REASONS, -1 for a sale


def business_days(start: date, end: date) -> np.ndarray:
    """Ordinals of Monday-to-Friday days in [start, end]."""
    days = np.arange(start.toordinal(), end.toordinal() + 1)
    return days[(days + 6) % 7 < 5]  # ordinal 1 (0001-01-01) is a Monday


def sales_model(spec: DemoSpec, customers: Customers) -> SalesModel:
    months = spec.month_starts
    n, m = customers.count, len(months)
    index = np.arange(m)[None, :]
    years = index / 12
    activity = (1 + customers.change_rate[:, None]) ** years
    strength = np.array([SEASON_STRENGTH.get(segment, 0.7) for segment in customers.segments])
    season = SEASON[[d.month - 1 for d in months]][None, :]
    activity = activity * (1 + strength[:, None] * (season - 1))
    activity[index > customers.end_month[:, None]] = 0
    start = customers.start_month[:, None]
    activity[index < start] = 0
    ramp = (customers.trajectory == NEW)[:, None]
    activity = np.where(ramp & (index == start), activity * 0.4, activity)
    activity = np.where(ramp & (index == start + 1), activity * 0.7, activity)
    drop = (customers.trajectory == RECENT_DROP)[:, None] & (index >= m - 4)
    activity = np.where(drop, activity * 0.6, activity)
    # The current month only runs to today.
    last = months[-1]
    next_month = (last + timedelta(days=32)).replace(day=1)
    done = len(business_days(last, spec.today))
    activity[:, -1] *= done / len(business_days(last, next_month - timedelta(days=1)))
    weight = customers.annual_revenue**FREQUENCY_POWER
    sale_lines = spec.lines * (1 - RETURN_SHARE)
    scale = sale_lines / (MEAN_LINES * float((weight[:, None] * activity).sum()))
    invoice_rate = scale * weight
    line_value = customers.annual_revenue / 12 / (invoice_rate * MEAN_LINES) * 100
    assert activity.shape == (n, m)
    size_rank = np.argsort(np.argsort(-customers.annual_revenue)) / max(n - 1, 1)  # 0 = largest
    month_sigma = MONTH_SIGMA_LARGEST + (MONTH_SIGMA_SMALLEST - MONTH_SIGMA_LARGEST) * size_rank
    return SalesModel(
        activity=activity,
        invoice_rate=invoice_rate,
        line_value_cents=line_value,
        month_sigma=month_sigma,
        regular=_regular(customers, size_rank),
        line_sigma=np.where(size_rank < REGULAR_SHARE, REGULAR_LINE_SIGMA, NOISE_SIGMA),
    )


def _regular(customers: Customers, size_rank: np.ndarray) -> np.ndarray:
    """The larger customers order on a rhythm, except about one in seven of them that buys
    project by project (the big but erratic corner of the ABC-XYZ matrix)."""
    return (size_rank < REGULAR_SHARE) & (customers.ids % 7 != 3)


def generate_month(
    *,
    spec: DemoSpec,
    rng: np.random.Generator,
    month_index: int,
    customers: Customers,
    catalogue: Catalogue,
    model: SalesModel,
    next_invoice_id: int,
    next_line_id: int,
) -> MonthSales:
    month = spec.month_starts[month_index]
    next_month = (month + timedelta(days=32)).replace(day=1)
    days = business_days(month, min(spec.today, next_month - timedelta(days=1)))
    noise = rng.lognormal(-(model.month_sigma**2) / 2, model.month_sigma)
    expected = model.invoice_rate * model.activity[:, month_index] * noise
    # Larger customers order on a rhythm (weekly deliveries): their invoice count barely
    # moves from month to month; smaller ones order when they need to (Poisson).
    steady = rng.random(customers.count)
    counts = np.where(model.regular, np.floor(expected + steady), rng.poisson(expected))
    counts = counts.astype(np.int64)
    account = np.repeat(np.arange(customers.count), counts)
    day = rng.choice(days, size=len(account))
    order = np.lexsort((account, day))
    account, day = account[order], day[order]
    price_index = (1 + YEARLY_PRICE_RISE) ** (month.year - spec.first_month.year)
    sale = _sale_lines(rng, account, customers, catalogue, model, month.month, price_index)
    _keep_regular_baskets(sale, account, customers, model, month_index, noise, price_index)
    returns = _returns(rng, account, day, days, sale, len(sale["line_no"]))
    return _assemble(
        rng, month, customers, account, day, sale, returns, next_invoice_id, next_line_id
    )


def _keep_regular_baskets(sale, account, customers, model, month_index, noise, price_index) -> None:
    """Regular customers (weekly deliveries) buy about the same value every month: scale
    their quantities so the month's total meets their expected revenue for the month,
    whatever the mix of products and the number of lines."""
    who = account[sale["invoice"]]
    regular = model.regular[who]
    if not regular.any():
        return
    n = customers.count
    expected = (
        customers.annual_revenue / 12 * model.activity[:, month_index] * noise * price_index * 100
    )
    actual = np.bincount(who, weights=sale["quantity"] * sale["unit_net"], minlength=n)
    factor = np.divide(expected, actual, out=np.ones(n), where=actual > 0)
    scaled = np.maximum(1, np.rint(sale["quantity"] * factor[who])).astype(np.int64)
    sale["quantity"] = np.where(regular, scaled, sale["quantity"])


def _sale_lines(rng, account, customers, catalogue: Catalogue, model, month, price_index) -> dict:
    low, high = LINES_PER_INVOICE
    per_invoice = rng.integers(low, high + 1, size=len(account))
    invoice = np.repeat(np.arange(len(account)), per_invoice)
    starts = np.concatenate([[0], np.cumsum(per_invoice)[:-1]])
    line_no = np.arange(len(invoice)) - starts[invoice] + 1
    who = account[invoice]
    product = _pick_products(rng, who, customers, catalogue, month)
    unit_net, unit_cost = _unit_prices(who, product, customers, catalogue, price_index)
    target = (
        model.line_value_cents[who]
        * price_index
        * rng.lognormal(-(model.line_sigma[who] ** 2) / 2, model.line_sigma[who])
    )
    quantity = np.maximum(1, np.rint(target / unit_net)).astype(np.int64)
    return {
        "invoice": invoice,
        "line_no": line_no,
        "starts": starts,
        "product": product,
        "quantity": quantity,
        "unit_net": unit_net,
        "unit_cost": unit_cost,
    }


def _pick_products(rng, who, customers: Customers, catalogue: Catalogue, month: int):
    # Each line has its own season: drinks in summer, sweets before Christmas.
    weights = customers.line_preference[who] * catalogue.line_season[:, month - 1]
    cumulative = np.cumsum(weights, axis=1)
    threshold = rng.random(len(who)) * cumulative[:, -1]
    line = (cumulative < threshold[:, None]).sum(axis=1)
    line = np.minimum(line, len(catalogue.line_names) - 1)
    first = catalogue.line_offsets[line]
    size = catalogue.line_offsets[line + 1] - first
    # A few best sellers per line: the first products of a line sell most.
    return first + np.floor(rng.random(len(who)) ** 1.6 * size).astype(np.int64)


def _unit_prices(who, product, customers: Customers, catalogue: Catalogue, price_index: float):
    list_price = np.rint(catalogue.list_cents[product] * price_index)
    cost = np.rint(catalogue.cost_cents[product] * price_index).astype(np.int64)
    margin = 1 - cost / list_price
    # A customer's discount never eats the whole margin of a low-margin line.
    discount = np.minimum(customers.discount[who], np.maximum(margin - 0.05, 0))
    unit_net = np.maximum(np.rint(list_price * (1 - discount)), cost + 1).astype(np.int64)
    return unit_net, cost


def _returns(rng, account, day, days, sale: dict, sale_line_count: int) -> dict:
    """Correction invoices: part of an earlier delivery this month comes back."""
    if len(account) == 0:
        return {"source": np.zeros(0, dtype=np.int64)}
    wanted = rng.poisson(sale_line_count * RETURN_SHARE / 1.5)
    # Some customers send back far more than others (a careless warehouse, a picky buyer),
    # so the worst accounts stand out against the company's rate.
    # A weighted draw without replacement in one pass (Efraimidis-Spirakis): the `wanted`
    # invoices with the largest log(u) / weight.
    keys = np.log(rng.random(len(account))) / _return_propensity(account)
    size = min(wanted, len(account))
    source = np.sort(np.argpartition(-keys, size - 1)[:size]) if size else keys[:0].astype(int)
    two = rng.random(len(source)) < 0.5
    later = rng.integers(0, 15, len(source))
    position = np.searchsorted(days, day[source]) + later
    corr_day = days[np.minimum(position, len(days) - 1)]
    return {"source": source, "two_lines": two, "day": corr_day}


def _return_propensity(account: np.ndarray) -> np.ndarray:
    """How likely a customer's delivery comes back, from its index alone (no draw): most
    near 1, one in ten between 2 and 5 times as likely."""
    spread = (account.astype(np.int64) * 2654435761 % 1000) / 1000.0
    square = spread * spread
    sixth = square * square * square
    return 1.0 + 4.0 * sixth * sixth


def _assemble(rng, month, customers, account, day, sale, returns, next_invoice_id, next_line_id):
    source = returns["source"]
    n_sales, n_corr = len(account), len(source)
    # Return lines: the first one or two lines of the source invoice, partly sent back.
    picked = [sale["starts"][source]]
    if n_corr:
        picked.append(sale["starts"][source[returns["two_lines"]]] + 1)
    ret_line = np.concatenate(picked) if n_corr else np.zeros(0, dtype=np.int64)
    ret_invoice = ret_line
    if n_corr:
        ret_invoice = np.concatenate([np.arange(n_corr), np.flatnonzero(returns["two_lines"])])
    order = np.argsort(ret_invoice, kind="stable")
    ret_line, ret_invoice = ret_line[order], ret_invoice[order]
    share = rng.uniform(0.1, 0.5, len(ret_line))  # of the delivered quantity
    ret_qty = -np.maximum(1, np.floor(sale["quantity"][ret_line] * share)).astype(np.int64)
    ret_no = np.ones(len(ret_line), dtype=np.int64)
    if len(ret_line) > 1:
        ret_no[1:] += ret_invoice[1:] == ret_invoice[:-1]

    line_invoice = np.concatenate([sale["invoice"], ret_invoice + n_sales])
    quantity = np.concatenate([sale["quantity"], ret_qty])
    product = np.concatenate([sale["product"], sale["product"][ret_line]])
    unit_net = np.concatenate([sale["unit_net"], sale["unit_net"][ret_line]])
    unit_cost = np.concatenate([sale["unit_cost"], sale["unit_cost"][ret_line]])
    reason = np.concatenate(
        [
            np.full(len(sale["invoice"]), -1),
            rng.choice(len(RETURN_REASONS), size=len(ret_line), p=RETURN_REASON_WEIGHTS),
        ]
    )
    net, cost = quantity * unit_net, quantity * unit_cost
    n_invoices = n_sales + n_corr
    inv_account = np.concatenate([account, account[source]])
    inv_day = np.concatenate([day, returns["day"]]) if n_corr else day
    terms = customers.terms_days[inv_account]
    due = np.where(np.arange(n_invoices) < n_sales, inv_day + terms, inv_day)
    prefix = f"{month.year}/{month.month:02d}/"
    numbers = [f"FV/{prefix}{k + 1:05d}" for k in range(n_sales)]
    numbers += [f"KOR/{prefix}{k + 1:05d}" for k in range(n_corr)]
    return MonthSales(
        month=month,
        invoice_ids=np.arange(next_invoice_id, next_invoice_id + n_invoices, dtype=np.int64),
        invoice_account=inv_account,
        invoice_day=inv_day,
        invoice_due=due,
        invoice_numbers=numbers,
        invoice_net=np.bincount(line_invoice, weights=net, minlength=n_invoices).astype(np.int64),
        invoice_cost=np.bincount(line_invoice, weights=cost, minlength=n_invoices).astype(np.int64),
        is_correction=np.arange(n_invoices) >= n_sales,
        line_ids=np.arange(next_line_id, next_line_id + len(line_invoice), dtype=np.int64),
        line_invoice=line_invoice,
        line_no=np.concatenate([sale["line_no"], ret_no]),
        line_product=product,
        line_quantity=quantity,
        line_net=net,
        line_cost=cost,
        line_reason=reason,
    )
