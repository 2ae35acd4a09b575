"""Time the full portfolio recompute against one SQL aggregation of the same invoice lines.

    .venv/bin/python bench/portfolio.py --build            # PostgreSQL and SQLite
    .venv/bin/python bench/portfolio.py --db sqlite        # reuse what is there

Data: the demo company (`kam demo --no-serve`), built when missing with `--build`:
PostgreSQL database `openkam_pbench` with 10,000,000 lines and 50,000 accounts, SQLite
in /tmp/var_pbench with 2,000,000 lines. The demo's today is fixed (2026-11-23) so every
run computes the same period. Set-up adds a scoring model with five data criteria and one
criterion entered by people (with some entries).

Per database, in a child process with Django set up on that database:
- reference: `SELECT account_id, month, SUM(net), SUM(net - cost) FROM
  ledger_invoiceline GROUP BY 1, 2`, fetched fully, best of two;
- the full recompute (`recompute_portfolio`: every figure, class and score, written),
  best of two, and the growth of the process's peak RSS over it;
- the portfolio page afterwards: GET /portfolio/ as the head user (median of five after
  a warm-up) if the route exists, otherwise the work behind it (visible group metrics
  loaded, Pareto curve, ABC classes, ABC/XYZ matrix).

Goals (issue #3): the recompute within 2x the reference; the page under 300 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KAM = ROOT / ".venv" / "bin" / "kam"
TODAY = date(2026, 11, 23)
PG_URL = "postgres://postgres@127.0.0.1:5432/openkam_pbench"
SQLITE_VAR = "/tmp/var_pbench"
TARGETS = {
    "postgresql": {"lines": 10_000_000, "accounts": 50_000},
    "sqlite": {"lines": 2_000_000, "accounts": None},
}
MODEL_NAME = "Benchmark model"
RATIO_GOAL = 2.0
PAGE_GOAL_MS = 300.0

REFERENCE_SQL = {
    "postgresql": """
        SELECT account_id, date_trunc('month', issued_on), SUM(net_amount),
               SUM(net_amount - cost_amount)
        FROM ledger_invoiceline GROUP BY 1, 2
    """,
    "sqlite": """
        SELECT account_id, strftime('%Y-%m', issued_on), SUM(net_amount),
               SUM(net_amount - cost_amount)
        FROM ledger_invoiceline GROUP BY 1, 2
    """,
}


# ---------------------------------------------------------------- parent process


def database_env(db: str) -> dict[str, str]:
    env = {**os.environ, "KAM_VAR_DIR": SQLITE_VAR}
    # The child sets Django up itself (not through `kam`) and serves pages to the test client.
    env.setdefault("KAM_SECRET_KEY", "bench-only-not-a-secret")
    env["KAM_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    if db == "postgresql":
        env["KAM_DATABASE_URL"] = PG_URL
    else:
        env.pop("KAM_DATABASE_URL", None)
    return env


def ensure_pg_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname = 'openkam_pbench'").fetchone()
        if not exists:
            c.execute("CREATE DATABASE openkam_pbench")


def build(db: str) -> None:
    if db == "postgresql":
        ensure_pg_database()
    else:
        Path(SQLITE_VAR).mkdir(parents=True, exist_ok=True)
    target = TARGETS[db]
    command = [str(KAM), "demo", "--no-serve", "--lines", str(target["lines"])]
    command += ["--today", TODAY.isoformat()]
    if target["accounts"]:
        command += ["--accounts", str(target["accounts"])]
    print(f"[{db}] building: {' '.join(command[1:])}", flush=True)
    done = subprocess.run(command, env=database_env(db))
    if done.returncode != 0:
        sys.exit(f"[{db}] kam demo failed")


def measure(db: str, runs: int) -> dict:
    command = [sys.executable, __file__, "--child", db, "--runs", str(runs)]
    done = subprocess.run(command, env=database_env(db), capture_output=True, text=True)
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        sys.exit(f"[{db}] measuring failed:\n{done.stdout}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_table(results: dict[str, dict]) -> None:
    print()
    print(
        "| database | lines | accounts | reference | recompute | ratio | peak RSS growth "
        "| page | page measured |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for db, r in results.items():
        ratio_mark = "ok" if r["ratio"] <= RATIO_GOAL else "over"
        page_mark = "ok" if r["page_ms"] < PAGE_GOAL_MS else "over"
        print(
            f"| {db} | {r['lines']:,} | {r['accounts']:,} | {r['reference_s']:.2f} s "
            f"| {r['recompute_s']:.2f} s | {r['ratio']:.2f} ({ratio_mark}) "
            f"| {r['rss_growth_mb']:.0f} MB | {r['page_ms']:.0f} ms ({page_mark}) "
            f"| {r['page_kind']} |"
        )
    for db, r in results.items():
        print(f"\n{db}: reference runs {r['reference_runs']}, recompute runs {r['recompute_runs']}")
        print(f"{db}: recompute steps (best run) {r['steps']}")
        print(f"{db}: page runs (ms) {r['page_runs_ms']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["postgresql", "sqlite", "both"], default="both")
    parser.add_argument("--build", action="store_true", help="build missing demo data first")
    parser.add_argument("--runs", type=int, default=2, help="timed runs of each side")
    parser.add_argument("--child", choices=list(TARGETS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.runs)
        return
    dbs = list(TARGETS) if args.db == "both" else [args.db]
    print(f"load before: {os.getloadavg()}", flush=True)
    results = {}
    for db in dbs:
        if args.build and not has_demo(db):
            build(db)
        results[db] = measure(db, args.runs)
        if "ratio" not in results[db]:
            sys.exit(f"[{db}] no demo data there: run with --build")
    print(f"load after: {os.getloadavg()}")
    print_table(results)


def has_demo(db: str) -> bool:
    probe = [sys.executable, __file__, "--child", db, "--runs", "0"]
    done = subprocess.run(probe, env=database_env(db), capture_output=True, text=True)
    return done.returncode == 0 and json.loads(done.stdout.strip().splitlines()[-1])["lines"] > 0


# ---------------------------------------------------------------- child process


def child(db: str, runs: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openkam.settings")
    import django

    django.setup()
    from django.db import connection

    assert connection.vendor == db, (connection.vendor, db)
    lines, accounts = table_sizes()
    result = {"db": db, "lines": lines, "accounts": accounts}
    if runs == 0 or lines == 0:
        print(json.dumps(result))
        return
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # data built by an older checkout
    ensure_scoring_model()
    rss_before = peak_rss_mb()
    recompute_runs, steps = [], {}
    for _ in range(runs):
        seconds, run_steps = timed_recompute()
        if not recompute_runs or seconds < min(recompute_runs):
            steps = run_steps
        recompute_runs.append(seconds)
    rss_growth = peak_rss_mb() - rss_before
    reference_runs = [timed_reference(db) for _ in range(runs)]
    page_kind, page_runs = time_page()
    result.update(
        reference_runs=[round(s, 3) for s in reference_runs],
        recompute_runs=[round(s, 3) for s in recompute_runs],
        reference_s=min(reference_runs),
        recompute_s=min(recompute_runs),
        ratio=min(recompute_runs) / min(reference_runs),
        rss_growth_mb=rss_growth,
        steps={k: round(v, 2) for k, v in steps.items()},
        page_kind=page_kind,
        page_runs_ms=[round(ms, 1) for ms in page_runs],
        page_ms=statistics.median(page_runs),
    )
    print(json.dumps(result))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def table_sizes() -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if "ledger_invoiceline" not in tables:
            return 0, 0
        cursor.execute("SELECT COUNT(*) FROM ledger_invoiceline")
        lines = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM accounts_account WHERE NOT is_archived")
        return lines, cursor.fetchone()[0]


def ensure_scoring_model() -> None:
    """Five data criteria and one entered by people, with entries for a tenth of accounts."""
    import numpy as np

    from openkam.accounts.models import Account
    from openkam.portfolio.models import ManualScore, ScoringCriterion, ScoringModel
    from openkam.users.models import User

    model, created = ScoringModel.objects.get_or_create(name=MODEL_NAME)
    if not created:
        return
    data = [
        ("revenue_potential", 3, "potential", True),
        ("transaction_size", 2, "avg_invoice", True),
        ("product_fit", 2, "product_lines", True),
        ("relationship_length", 1, "relationship_years", True),
        ("payment_discipline", 2, "days_late", False),
    ]
    for criterion, weight, metric, higher in data:
        ScoringCriterion.objects.create(
            scoring_model=model,
            criterion=criterion,
            weight=weight,
            metric=metric,
            higher_is_better=higher,
        )
    ScoringCriterion.objects.create(
        scoring_model=model, criterion="cultural_fit", weight=1, source="people"
    )
    head = User.objects.get(username="head")
    ids = list(Account.objects.order_by("pk").values_list("pk", flat=True)[::10])
    points = np.random.default_rng(3).integers(1, 11, len(ids))
    ManualScore.objects.bulk_create(
        ManualScore(account_id=pk, criterion="cultural_fit", points=int(p), entered_by=head)
        for pk, p in zip(ids, points)
    )


def timed_recompute() -> tuple[float, dict[str, float]]:
    from openkam.portfolio.recompute import recompute_portfolio

    marks: list[tuple[str, float]] = []
    began = time.perf_counter()
    recompute_portfolio(
        today=TODAY, progress=lambda step: marks.append((step, time.perf_counter()))
    )
    ended = time.perf_counter()
    steps = {
        name: (marks[i + 1][1] if i + 1 < len(marks) else ended) - at
        for i, (name, at) in enumerate(marks)
    }
    return ended - began, steps


def timed_reference(db: str) -> float:
    from django.db import connection

    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(REFERENCE_SQL[db])
        rows = cursor.fetchall()
    elapsed = time.perf_counter() - began
    print(f"reference rows: {len(rows):,}", file=sys.stderr)
    return elapsed


def time_page() -> tuple[str, list[float]]:
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("portfolio:analysis")
    except NoReverseMatch:
        return "work behind the page (no route yet)", time_page_work()
    from django.test import Client

    from openkam.users.models import User

    client = Client()
    client.force_login(User.objects.get(username="head"))
    response = client.get(url)  # warm-up
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    times = []
    for _ in range(5):
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    return f"GET {url} as head", times


def time_page_work() -> list[float]:
    from openkam.insights.classes import abc_classes, abc_xyz_matrix
    from openkam.insights.concentration import pareto_curve
    from openkam.portfolio.models import AccountMetrics
    from openkam.users.models import User

    head = User.objects.get(username="head")

    def work() -> None:
        rows = list(
            AccountMetrics.objects.visible_to(head)
            .filter(scope="group")
            .values_list("account_id", "revenue", "abc", "xyz")
        )
        revenue = [float(r[1]) for r in rows]
        pareto_curve(revenue)
        abc_classes(revenue)
        abc_xyz_matrix([r[2] for r in rows], [r[3] for r in rows], revenue)

    work()
    times = []
    for _ in range(5):
        began = time.perf_counter()
        work()
        times.append((time.perf_counter() - began) * 1000)
    return times


if __name__ == "__main__":
    main()
