"""pytest plugin for mutation runs: an area's unit tests first, page-level tests last.

mutmut stops at a mutant's first failing test (-x) and hands pytest the covering tests in
no particular order. A mutant is nearly always killed by a unit test of its area in a
second, while a page-level or big-file test may take minutes (and, slowed by the mutant,
even time out): running the unit tests first saves most of a run's time. The order changes
no verdict; a survivor still runs every test that covers it.

`MUTATION_FIRST` (set by tools/mutation.py) lists the node id prefixes to run first, in
order, separated by commas; then come the other tests under src/, then those under tests/.
"""

from __future__ import annotations

import os


def pytest_collection_modifyitems(session, config, items):
    first = [prefix for prefix in os.environ.get("MUTATION_FIRST", "").split(",") if prefix]

    def rank(item) -> tuple[int, int]:
        for position, prefix in enumerate(first):
            if item.nodeid.startswith(prefix):
                return (0, position)
        return (2, 0) if item.nodeid.startswith("tests/") else (1, 0)

    items.sort(key=rank)
