"""Time `kam demo --no-serve` on a fresh SQLite var dir against references run here.

    .venv/bin/python bench/demo_startup.py [--lines 300000] [--seed 2026]

References, measured in the same run on the same disk:
- `kam migrate` alone on a fresh var dir (the fixed start-up cost);
- a raw sqlite3 `executemany` of as many invoice, line and payment rows as the demo
  wrote, into tables of the same columns and indexes (the floor for writing them).

The goal (issue #1): the whole demo start-up under 120 s on this machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KAM = ROOT / ".venv" / "bin" / "kam"
GOAL_SECONDS = 120.0


def run_kam(var_dir: Path, *args: str) -> float:
    env = {**os.environ, "KAM_VAR_DIR": str(var_dir)}
    env.pop("KAM_DATABASE_URL", None)
    began = time.perf_counter()
    done = subprocess.run([str(KAM), *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"kam {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - began


def table_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as db:
        return {
            table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("ledger_invoice", "ledger_invoiceline", "ledger_payment")
        }


def raw_insert_seconds(var_dir: Path, counts: dict[str, int]) -> float:
    """Copy the demo's table definitions (with indexes) into an empty file and insert
    the same number of plain rows with executemany, in one transaction."""
    source = sqlite3.connect(var_dir / "openkam.sqlite3")
    schema = [
        sql
        for (sql,) in source.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name IN (?, ?, ?) AND sql IS NOT NULL",
            tuple(counts),
        )
    ]
    columns = {
        table: [row[1] for row in source.execute(f"PRAGMA table_info({table})")] for table in counts
    }
    source.close()
    target = sqlite3.connect(var_dir / "reference.sqlite3")
    target.execute("PRAGMA journal_mode=WAL")
    target.execute("PRAGMA synchronous=NORMAL")
    for sql in schema:
        target.execute(sql)
    began = time.perf_counter()
    with target:
        for table, count in counts.items():
            names = columns[table]
            makers = [_column_value(name) for name in names]
            placeholders = ", ".join("?" * len(names))
            rows = (tuple(make(i) for make in makers) for i in range(1, count + 1))
            target.executemany(
                f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders})", rows
            )
    elapsed = time.perf_counter() - began
    target.close()
    return elapsed


def _column_value(column: str):
    """A function of the row number giving a plausible value that satisfies the
    table's unique constraints (ids, numbers, line numbers vary per row)."""
    if column == "id" or column == "line_no":
        return lambda i: i
    if column in {"external_id", "number", "invoice_number"}:
        return lambda i: f"FV/2025/03/{i:07d}"
    if column.endswith("_id"):
        return lambda i: i % 2000 + 1
    if column in {"issued_on", "due_on", "paid_on"}:
        return lambda i: "2025-03-14"
    if column in {"created_at", "updated_at"}:
        return lambda i: "2026-11-23 06:00:00"
    if column in {"net_total", "cost_total", "net_amount", "cost_amount", "amount", "quantity"}:
        return lambda i: "1234.56"
    return lambda i: "demo" if column in {"source", "currency", "return_reason"} else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kam-bench-") as tmp:
        migrate_dir, demo_dir = Path(tmp, "migrate"), Path(tmp, "demo")
        migrate = run_kam(migrate_dir, "migrate", "-v0")
        demo = run_kam(
            demo_dir, "demo", "--no-serve", f"--lines={args.lines}", f"--seed={args.seed}"
        )
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        counts = table_counts(demo_dir / "openkam.sqlite3")
        raw = raw_insert_seconds(demo_dir, counts)
    reference = migrate + raw
    print(f"kam demo --no-serve --lines={args.lines}: {demo:.1f} s (peak RSS {peak_mib:.0f} MiB)")
    print(f"  rows: {', '.join(f'{t} {n:,}' for t, n in counts.items())}")
    print(
        f"reference: kam migrate {migrate:.1f} s + raw executemany {raw:.1f} s = {reference:.1f} s"
    )
    print(f"ratio demo / reference: {demo / reference:.2f}")
    verdict = "within" if demo < GOAL_SECONDS else "OVER"
    print(f"goal: < {GOAL_SECONDS:.0f} s -> {verdict} ({demo / GOAL_SECONDS:.0%} of the budget)")
    sys.exit(0 if demo < GOAL_SECONDS else 1)


if __name__ == "__main__":
    main()
