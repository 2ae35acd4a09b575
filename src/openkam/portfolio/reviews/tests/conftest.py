"""Fixtures of the portfolio tests, shared with the review and board tests."""

from openkam.portfolio.tests.conftest import ledger  # noqa: F401 (the hand-checked ledger)
