"""Build the demo company into the database: plan, then bulk-write table by table,
one transaction for the fixed tables and one per month of sales."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from openkam.accounts.models import Account
from openkam.core.models import Job
from openkam.demo import rows, staff, writer
from openkam.demo.spec import DEFAULT_LINES, DEFAULT_SEED, SOURCE, DemoSpec
from openkam.ingest.importers.set_aside import keys_and_indexes_set_aside
from openkam.ledger.models import Invoice, InvoiceLine, Payment, Product

DEMO_PASSWORD = "demo"
JOB_KIND = "demo"
# Without a progress bar (not a terminal), big builds report each month on a line.
LOUD_FROM_LINES = 1_000_000
SALES_MODELS = (Invoice, InvoiceLine, Payment)


class DemoError(Exception):
    """The demo cannot be built into this database as it is."""


@dataclass
class DemoResult:
    spec: DemoSpec
    counts: dict[str, int] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(seconds for _, seconds in self.timings)


def demo_exists() -> bool:
    return Account.objects.filter(source=SOURCE).exists()


def demo_interrupted() -> bool:
    """Demo data is there but the last build of it did not finish."""
    last = Job.objects.filter(kind=JOB_KIND).order_by("-created_at", "-pk").first()
    return demo_exists() and last is not None and last.status != Job.Status.SUCCEEDED


def build_demo(
    *,
    today: date | None = None,
    lines: int = DEFAULT_LINES,
    seed: int = DEFAULT_SEED,
    accounts: int | None = None,
    password: str = DEMO_PASSWORD,
    echo: Callable[[str], None] | None = None,
    progress_bar: bool = False,
    bulk_load: bool = True,
) -> DemoResult:
    """Generate and store the demo company. Refuses if demo data is already there.

    `bulk_load` writes all sales in one transaction with the sales tables' secondary
    indexes (and on PostgreSQL foreign keys) set aside and restored at the end, about a
    third faster on SQLite and twice as fast on PostgreSQL; without it each month is
    its own transaction, so other sessions see the build's progress.
    """
    echo = echo or (lambda message: None)
    if demo_exists():
        raise DemoError(_("The database already holds demo data."))
    taken = staff.existing_usernames()
    if taken:
        raise DemoError(
            _("Users %(names)s already exist; use a fresh database.")
            % {"names": ", ".join(sorted(taken))}
        )
    offsets = {
        "account": writer.max_id(Account),
        "product": writer.max_id(Product),
        "invoice": writer.max_id(Invoice),
        "line": writer.max_id(InvoiceLine),
        "payment": writer.max_id(Payment),
    }
    spec = DemoSpec(
        today=today or timezone.localdate(),
        lines=lines,
        seed=seed,
        accounts=accounts,
        id_offsets=offsets,
    )
    result = DemoResult(spec=spec)
    clock = _Clock(result, echo)
    job = Job.objects.create(
        kind=JOB_KIND,
        title="Demo company",
        status=Job.Status.RUNNING,
        total=len(spec.month_starts),
        params={"lines": lines, "seed": seed, "accounts": accounts, "today": str(spec.today)},
        started_at=timezone.now(),
    )
    try:
        _build(spec, password, result, clock, job, echo, progress_bar, bulk_load)
    except BaseException as exc:  # also Ctrl+C: the job row must say the build broke off
        with contextlib.suppress(DatabaseError):  # the connection itself may be what broke
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.FAILED, message=repr(exc)[:500], finished_at=timezone.now()
            )
        raise
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.SUCCEEDED, result=result.counts, finished_at=timezone.now()
    )
    return result


def _build(spec, password, result, clock, job, echo, progress_bar, bulk_load) -> None:
    with transaction.atomic():
        people = staff.create_staff(password)
        plan = rows.plan_demo(spec, people)
        clock.lap(
            f"planned {plan.customers.count:,} customers, {plan.catalogue.count} products, "
            f"{len(people.ids)} users"
        )
        for table in rows.static_tables(plan, db_value=writer.db_value):
            _write(table, result)
        clock.lap("wrote customers, products, portfolios and contacts")
    if bulk_load:
        with transaction.atomic(), keys_and_indexes_set_aside(SALES_MODELS):
            _write_sales(plan, result, progress_bar, echo, job)
    else:
        _write_sales(plan, result, progress_bar, echo, job)
    clock.lap(
        f"wrote {result.counts['invoice']:,} invoices, {result.counts['invoiceline']:,} lines, "
        f"{result.counts['payment']:,} payments"
    )
    writer.reset_sequences([Account, Product, Invoice, InvoiceLine, Payment])


def _write_sales(plan: rows.DemoPlan, result: DemoResult, progress_bar: bool, echo, job) -> None:
    sales_rng = plan.stream(rows.STREAM_SALES)
    payments_rng = plan.stream(rows.STREAM_PAYMENTS)
    months = plan.spec.month_starts
    bar = tqdm(months, desc="sales", unit="month", disable=not progress_bar, leave=False)
    for month_index, month in enumerate(bar):
        began = time.perf_counter()
        with transaction.atomic():
            writer.relax_durability()
            for table in rows.month_tables(
                plan, month_index, sales_rng, payments_rng, db_value=writer.db_value
            ):
                _write(table, result)
            Job.objects.filter(pk=job.pk).update(done=month_index + 1)
        lines = result.counts.get("invoiceline", 0)
        bar.set_postfix(lines=f"{lines:,}")
        if not progress_bar and plan.spec.lines >= LOUD_FROM_LINES:
            echo(f"  {time.perf_counter() - began:6.1f} s  {month:%Y-%m}: {lines:,} lines so far")


def _write(table: rows.Table, result: DemoResult) -> None:
    written = writer.write_rows(table.model, table.columns, table.rows)
    name = str(table.model._meta.model_name)
    result.counts[name] = result.counts.get(name, 0) + written


class _Clock:
    def __init__(self, result: DemoResult, echo: Callable[[str], None]):
        self.result, self.echo, self.last = result, echo, time.perf_counter()

    def lap(self, message: str) -> None:
        now = time.perf_counter()
        self.result.timings.append((message, now - self.last))
        self.echo(f"  {now - self.last:6.1f} s  {message}")
        self.last = now
