"""pytest plugin for mutation runs: the app's own unit tests first, page-level tests last.

mutmut stops at a mutant's first failing test (-x), and a mutant is nearly always killed
by a unit test of its area: running those before the slow end-to-end tests (the
permission matrix renders every page for every persona) saves most of a run's time.
The order changes no verdict: a survivor still runs every test that covers it.
"""

from __future__ import annotations


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=lambda item: item.nodeid.startswith("tests/"))
