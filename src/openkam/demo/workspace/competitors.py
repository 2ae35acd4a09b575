"""Competing distributors and where they sit at our key accounts: the lines they sell
there (mostly the ones the client buys little of from us) and their share of wallet."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from openkam.demo.workspace import texts
from openkam.demo.workspace.facts import Facts


def competitor_rows(next_id) -> list[tuple]:
    """(id, name, notes) per competitor, in a fixed order."""
    return [(next_id("competitor"), name, notes) for name, notes in texts.COMPETITORS]


def account_competitor_rows(
    facts: Facts, rng: np.random.Generator, competitors: list[tuple]
) -> dict[int, list[tuple]]:
    """Per account id: (competitor id, product lines, share of wallet %, notes)."""
    result: dict[int, list[tuple]] = {}
    for account in facts.accounts:
        bought = [line for line, _ in account.lines_last_year]
        weak = [line for line in facts.product_lines if line not in bought[:4]]
        count = int(rng.integers(1, 4))
        chosen = rng.choice(len(competitors), size=count, replace=False)
        rows = []
        for index in sorted(int(i) for i in chosen):
            picked = rng.choice(
                weak or list(facts.product_lines), size=min(2, len(weak) or 1), replace=False
            )
            share = Decimal(int(rng.integers(8, 40)))
            note = texts.COMPETITOR_NOTES[int(rng.integers(len(texts.COMPETITOR_NOTES)))]
            rows.append(
                (competitors[index][0], ", ".join(sorted(str(p) for p in picked)), share, note)
            )
        result[account.id] = rows
    return result
