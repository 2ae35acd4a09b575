"""Fixtures for the account pages: a small ledger on top of the `company` personas."""

from __future__ import annotations

import pytest

from openkam.accounts.tests.factories import build_ledger


@pytest.fixture
def ledger(company):
    return build_ledger(company)
