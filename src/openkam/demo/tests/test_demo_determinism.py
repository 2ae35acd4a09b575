"""Same seed, same company: the generator is pure and seeded (no database needed)."""

from __future__ import annotations

import hashlib
from datetime import date

import numpy as np

from openkam.accounts.validators import normalize_tax_id
from openkam.demo import rows
from openkam.demo.catalogue import SEGMENT_AFFINITY
from openkam.demo.customers import generate_customers
from openkam.demo.spec import DemoSpec
from openkam.demo.staff import fake_staff
from openkam.demo.tax_ids import polish_nips, russian_inns

TODAY = date(2026, 11, 23)


def checksum(seed: int, lines: int = 5_000, accounts: int = 120) -> str:
    spec = DemoSpec(today=TODAY, lines=lines, seed=seed, accounts=accounts)
    plan = rows.plan_demo(spec, fake_staff())
    digest = hashlib.sha256()
    tables = rows.static_tables(plan)
    sales_rng, payments_rng = plan.stream(rows.STREAM_SALES), plan.stream(rows.STREAM_PAYMENTS)
    for month in range(len(spec.month_starts)):
        tables += rows.month_tables(plan, month, sales_rng, payments_rng)
    for table in tables:
        digest.update(table.model._meta.label.encode())
        for row in table.rows:
            digest.update(repr(row).encode())
    return digest.hexdigest()


def test_the_same_seed_gives_identical_rows():
    assert checksum(5) == checksum(5)


def test_another_seed_gives_another_company():
    assert checksum(5) != checksum(6)


def test_sales_span_three_years_up_to_today():
    spec = DemoSpec(today=TODAY)
    assert spec.first_month == date(2023, 11, 1)
    assert spec.month_starts[-1] == date(2026, 11, 1)


def test_account_count_scales_with_lines_but_never_below_two_thousand():
    assert DemoSpec(today=TODAY, lines=20_000).account_count == 2_000
    assert DemoSpec(today=TODAY, lines=10_000_000).account_count == 66_666


def test_generated_nips_pass_the_check_digit_validation():
    for nip in polish_nips(np.random.default_rng(1), 500):
        assert normalize_tax_id(nip, "PL") == nip


def test_generated_inns_pass_the_check_digit_validation():
    for inn in russian_inns(np.random.default_rng(1), 200):
        assert normalize_tax_id(inn, "RU") == inn


def test_group_roots_are_bigger_customers_than_average():
    spec = DemoSpec(today=TODAY, accounts=2_000)
    customers = generate_customers(spec, np.random.default_rng(3), SEGMENT_AFFINITY)
    roots = np.flatnonzero(np.bincount(customers.parent[customers.parent >= 0], minlength=2_000))
    assert customers.annual_revenue[roots].mean() > 3 * customers.annual_revenue.mean()
