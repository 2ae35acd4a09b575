"""Time the receivables aging and its stored refresh against one SQL sum of open amounts.

    .venv/bin/python bench/receivables.py --build             # PostgreSQL and SQLite
    .venv/bin/python bench/receivables.py --db sqlite         # reuse what is there
    .venv/bin/python bench/receivables.py --db sqlite --lines 200000 --build   # quick

Data: the demo company (`kam demo --no-serve`), built when missing with `--build`:
PostgreSQL database `openkam_rbench` with 10,000,000 lines and 50,000 accounts, SQLite
in /tmp/var_rbench with 2,000,000 lines (the demo's own account count, lines / 150).
`--lines N` measures a smaller demo in its own database (`openkam_rbench_l<N>`,
/tmp/var_rbench_l<N>). The demo's today is fixed (2026-11-23) and every figure is as of
that day (every document of the demo counts). Nothing is ever dropped: a database is
built only when it has no finished demo build of the same size.

Per database, in a child process with Django set up on that database:
- reference: one plain SQL statement, per account and currency the invoices' amounts due
  (`COALESCE(gross_total, net_total)`, as the engine) less the payments, `UNION ALL` +
  `GROUP BY`, fetched fully, best of `--runs` (2);
- floor: the reference plus what any engine keeping the rule "a payment settles the
  invoice it names" must add: every named payment paired with its invoice (a join of the
  payments and the invoices by id), summed per account and currency; best of two;
- aging: `engine.aging(AccountScope.everyone(), today)`, the open items with FIFO
  allocation and their buckets in one statement, fetched and turned into rows; best of
  two, and the growth of the process's peak RSS over those runs;
- refresh: `refresh.refresh(today)`, the open items and summaries stored (deleted and
  written again, DSO filled in, committed); best of two, peak RSS growth; then one more
  run with its statements timed, and `dso.store` (DSO by countback) alone;
- the page: GET /receivables/ (the finance view, first page of 50 rows) through Django's
  test client as the head user, median of five after a warm-up; the same for the KAM
  who sees the most accounts (the visibility predicate in the query).

`--only page` times the page alone (no aging, refresh, reference or floor, no check):
the stored summaries are the ones the demo build (or the last full run) left. It also
counts the page's queries (head and KAM) and, with `--explain`, writes the plan of each
of the KAM page's statements (EXPLAIN ANALYZE on PostgreSQL) to bench/out/.

`--commit REV` runs the children (the build too) with that commit's `src/` first on
PYTHONPATH (exported once under /tmp/var_rbench), for figures of committed code while
the working tree is being edited.

Check: every account and currency's aging balance equals the reference's sum (to the
cent). `--explain` writes the plan of the aging statement (PostgreSQL: EXPLAIN ANALYZE
with buffers; SQLite: EXPLAIN QUERY PLAN) to bench/out/.

Goals (issue): the aging within 2x the reference; a page of the finance view under 300 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from receivables_page import time_pages  # bench/, the script's own folder

ROOT = Path(__file__).resolve().parent.parent
KAM = ROOT / ".venv" / "bin" / "kam"
OUT = ROOT / "bench" / "out"
TODAY = date(2026, 11, 23)
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = "openkam_rbench"
SQLITE_VAR = "/tmp/var_rbench"
TARGETS = {
    "postgresql": {"lines": 10_000_000, "accounts": 50_000},
    "sqlite": {"lines": 2_000_000, "accounts": None},
}
RATIO_GOAL = 2.0
PAGE_GOAL_MS = 300.0

# Parameters: the as-of date twice (invoices, payments). The same text runs on both
# databases (Django's cursor turns %s into SQLite's ?).
REFERENCE_SQL = """
SELECT d.account_id, d.currency, SUM(d.amount) AS total FROM (
    SELECT account_id, currency, COALESCE(gross_total, net_total) AS amount
    FROM ledger_invoice WHERE issued_on <= %s
    UNION ALL
    SELECT account_id, currency, -amount FROM ledger_payment WHERE paid_on <= %s
) d
GROUP BY d.account_id, d.currency
"""

# The floor: the reference plus what any engine keeping rule 3 (a payment settles the
# invoice it names) must add, pairing every named payment with its invoice (same account
# and currency, issued by then), here summed per account. An engine also caps each
# invoice at what it owes (a sum per invoice) and settles the rest oldest first.
# Parameters: the as-of date four times. (`+ 0`: SQLite, without statistics, would
# otherwise walk the payments by their (account, date) index for every invoice.)
FLOOR_SQL = f"""
SELECT b.account_id, b.currency, b.total, m.named FROM ({REFERENCE_SQL}) b
LEFT JOIN (
    SELECT i.account_id, i.currency, SUM(p.amount) AS named
    FROM ledger_payment p
    JOIN ledger_invoice i ON i.id = p.invoice_id AND i.account_id = p.account_id + 0
        AND i.currency = p.currency
    WHERE p.paid_on <= %s AND i.issued_on <= %s
    GROUP BY i.account_id, i.currency
) m ON m.account_id = b.account_id AND m.currency = b.currency
"""


# ---------------------------------------------------------------- parent process


def size(db: str, lines: int | None) -> tuple[int, int | None, str]:
    """Lines, accounts and where the data lives (the full size or a smaller one)."""
    target = TARGETS[db]
    if lines is None or lines == target["lines"]:
        where = PG_NAME if db == "postgresql" else SQLITE_VAR
        return target["lines"], target["accounts"], where
    where = f"{PG_NAME}_l{lines}" if db == "postgresql" else f"{SQLITE_VAR}_l{lines}"
    return lines, None, where


def database_env(db: str, where: str, commit: str | None = None) -> dict[str, str]:
    env = {**os.environ}
    if commit:
        env["PYTHONPATH"] = str(commit_src(commit))
    # The child sets Django up itself (not through `kam`) and serves pages to the test client.
    env.setdefault("KAM_SECRET_KEY", "bench-only-not-a-secret")
    env["KAM_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    env["KAM_COLLECT_STATIC"] = "0"  # the test client renders templates without a collection
    if db == "postgresql":
        env["KAM_VAR_DIR"] = SQLITE_VAR
        env["KAM_DATABASE_URL"] = f"{PG_SERVER}/{where}"
    else:
        env["KAM_VAR_DIR"] = where
        env.pop("KAM_DATABASE_URL", None)
    return env


def commit_src(commit: str) -> Path:
    """That commit's src/, exported once (the checkout's own src/ is not touched)."""
    sha = subprocess.run(
        ["git", "rev-parse", "--short", commit], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    if not sha:
        sys.exit(f"unknown commit {commit!r}")
    target = Path(SQLITE_VAR) / f"src-{sha}"
    if not (target / "src").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", sha, "src"], cwd=ROOT, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target / "src"


def ensure_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')


def build(db: str, lines: int, accounts: int | None, where: str, commit: str | None) -> None:
    if db == "postgresql":
        ensure_pg_database(where)
    else:
        Path(where).mkdir(parents=True, exist_ok=True)
    command = [str(KAM), "demo", "--no-serve", "--lines", str(lines)]
    if accounts:
        command += ["--accounts", str(accounts)]
    command += ["--today", TODAY.isoformat()]
    print(f"[{db}] building in {where}: kam {' '.join(command[1:])}", flush=True)
    began = time.perf_counter()
    done = subprocess.run(command, env=database_env(db, where, commit))
    if done.returncode != 0:
        sys.exit(f"[{db}] kam demo failed (an interrupted build: `kam demo --force` there)")
    print(f"[{db}] built in {(time.perf_counter() - began) / 60:.1f} min", flush=True)


def child_run(db: str, where: str, commit: str | None, *args: str) -> dict:
    command = [sys.executable, __file__, "--child", db, *args]
    env = database_env(db, where, commit)
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        sys.exit(f"[{db}] child failed:\n{done.stdout}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def has_demo(db: str, lines: int, where: str, commit: str | None) -> bool:
    if db == "postgresql":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [where])
            if not found.fetchone():
                return False
    elif not (Path(where) / "openkam.sqlite3").exists():
        return False
    return child_run(db, where, commit, "--probe")["built_lines"] == lines


def checkout() -> str:
    """HEAD, and whether src/ differs from it (the children run the working tree)."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    changed = subprocess.run(
        ["git", "diff", "--quiet", "HEAD", "--", "src"], cwd=ROOT, capture_output=True
    ).returncode
    return f"{head} + uncommitted src/ changes" if changed else head


def uptime() -> str:
    done = subprocess.run(["uptime"], capture_output=True, text=True)
    return done.stdout.strip()


def secs(value: float) -> str:
    return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"


def print_table(results: dict[str, dict]) -> None:
    print()
    print(
        "| database | lines | accounts | invoices | payments | reference | aging | ratio "
        "| refresh | ratio | floor | peak RSS growth (aging / refresh) | page, head "
        "| page, KAM |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
          "| ---: | ---: |")  # fmt: skip
    for r in results.values():
        ref = r["reference_s"]
        aging_mark = "ok" if r["aging_s"] <= RATIO_GOAL * ref else "over"
        page_mark = "ok" if r["page_head_ms"] < PAGE_GOAL_MS else "over"
        print(
            f"| {r['label']} | {r['lines']:,} | {r['accounts']:,} | {r['invoices']:,} "
            f"| {r['payments']:,} | {secs(ref)} | {secs(r['aging_s'])} "
            f"| {r['aging_s'] / ref:.2f} ({aging_mark}) | {secs(r['refresh_s'])} "
            f"| {r['refresh_s'] / ref:.2f} | {secs(r['floor_s'])} ({r['floor_s'] / ref:.2f}x) "
            f"| {r['rss_aging_mb']:.0f} / {r['rss_refresh_mb']:.0f} MB "
            f"| {r['page_head_ms']:.0f} ms ({page_mark}) | {r['page_kam_ms']:.0f} ms |"
        )
    for db, r in results.items():
        print(f"\n{db}: {r['label']}, as of {r['as_of']}, {r['where']}, code: {r['code']}")
        for key in ("reference", "floor", "aging", "refresh"):
            print(f"{db}: {key} runs (s) {r[key + '_runs']}")
        print(
            f"{db}: rows: reference {r['reference_rows']:,}, aging {r['aging_rows']:,}, "
            f"summaries stored {r['summaries']:,}, open items stored {r['open_items']:,}"
        )
        print(
            f"{db}: check, aging balance = reference sum per account and currency: "
            f"{r['mismatches']} mismatches (largest difference {r['largest_difference']})"
        )
        print(f"{db}: refresh statements (one more run) {r['refresh_steps']}")
        print(f"{db}: page {r['page_head_kind']}: runs (ms) {r['page_head_runs']}")
        print(
            f"{db}: page as {r['kam']} ({r['kam_accounts']:,} accounts): runs (ms) "
            f"{r['page_kam_runs']}"
        )
        print(f"{db}: load: before {r['load_before']!r}; after {r['load_after']!r}")
        if r.get("explain_file"):
            print(f"{db}: plan of the aging statement in {r['explain_file']}")


def print_page_table(results: dict[str, dict]) -> None:
    print()
    print("| database | accounts | summaries | page, head | page, KAM | queries (head / KAM) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in results.values():
        page_mark = "ok" if r["page_head_ms"] < PAGE_GOAL_MS else "over"
        kam_mark = "ok" if r["page_kam_ms"] < PAGE_GOAL_MS else "over"
        print(
            f"| {r['label']} | {r['accounts']:,} | {r['summaries']:,} "
            f"| {r['page_head_ms']:.0f} ms ({page_mark}) | {r['page_kam_ms']:.0f} ms ({kam_mark}) "
            f"| {r['page_head_queries']} / {r['page_kam_queries']} |"
        )
    for db, r in results.items():
        print(f"\n{db}: {r['label']}, {r['where']}, code: {r['code']}")
        print(f"{db}: page {r['page_head_kind']}: runs (ms) {r['page_head_runs']}")
        print(
            f"{db}: page as {r['kam']} ({r['kam_accounts']:,} accounts): runs (ms) "
            f"{r['page_kam_runs']}"
        )
        print(f"{db}: load: before {r['load_before']!r}; after {r['load_after']!r}")
        if r.get("explain_file"):
            print(f"{db}: plans of the KAM page's statements in {r['explain_file']}")


def verdict(results: dict[str, dict]) -> str:
    parts, met = [], True
    for db, r in results.items():
        ratio = r["aging_s"] / r["reference_s"]
        page = r["page_head_ms"]
        met = met and ratio <= RATIO_GOAL and page < PAGE_GOAL_MS
        parts.append(
            f"{db} aging {ratio:.2f}x ({'met' if ratio <= RATIO_GOAL else 'NOT met'}, goal "
            f"{RATIO_GOAL:g}x), page {page:.0f} ms ({'met' if page < PAGE_GOAL_MS else 'NOT met'}"
            f", goal {PAGE_GOAL_MS:g} ms)"
        )
    return ("Goals met: " if met else "Goals not met: ") + "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["postgresql", "sqlite", "both"], default="both")
    parser.add_argument("--build", action="store_true", help="build missing demo data first")
    parser.add_argument("--lines", type=int, help="a smaller demo, in its own database")
    parser.add_argument("--runs", type=int, default=2, help="timed runs of each side (best of)")
    parser.add_argument(
        "--commit", metavar="REV", help="run that commit's src/, not the checkout's"
    )
    parser.add_argument("--explain", action="store_true", help="write the aging statement's plan")
    parser.add_argument(
        "--only", choices=["page"], help="time only the finance page (no aging, no refresh)"
    )
    parser.add_argument("--child", choices=list(TARGETS), help=argparse.SUPPRESS)
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    dbs = list(TARGETS) if args.db == "both" else [args.db]
    results = {}
    for db in dbs:
        lines, accounts, where = size(db, args.lines)
        if not has_demo(db, lines, where, args.commit):
            if not args.build:
                sys.exit(f"[{db}] no finished demo of {lines:,} lines in {where}: run with --build")
            build(db, lines, accounts, where, args.commit)
        load_before = uptime()
        print(f"[{db}] {load_before}", flush=True)
        extra = ["--runs", str(args.runs)] + (["--explain"] if args.explain else [])
        extra += ["--only", args.only] if args.only else []
        results[db] = child_run(db, where, args.commit, *extra)
        results[db].update(
            where=where,
            code=commit_src(args.commit).parent.name[4:] if args.commit else checkout(),
            load_before=load_before,
            load_after=uptime(),
        )
        print(f"[{db}] {results[db]['load_after']}", flush=True)
    if args.only == "page":
        print_page_table(results)
        return
    print_table(results)
    print()
    print(verdict(results))


# ---------------------------------------------------------------- child process


def child(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openkam.settings")
    import django

    django.setup()
    from django.db import connection

    assert connection.vendor == args.child, (connection.vendor, args.child)
    if args.probe:
        print(json.dumps({"built_lines": built_lines()}))
        return
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # data built by an older checkout
    if connection.vendor == "postgresql":
        # Planner statistics, as autovacuum gathers them a minute or so after a bulk load
        # (the child may start seconds after the build). SQLite: the product never runs
        # ANALYZE, so neither does the bench.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if args.only == "page":
        result = {"db": args.child, "label": database_label(args.child), **counts()}
        result.update(time_pages(explain_kam=args.explain))
        print(json.dumps(result, default=str))
        return
    result = measure(args.child, args.runs)
    result["explain_file"] = explain(args.child) if args.explain else None
    print(json.dumps(result, default=str))


def built_lines() -> int:
    """The lines of the finished demo build of today's date in the database, else 0."""
    from django.db import connection

    with connection.cursor() as cursor:
        if "core_job" not in connection.introspection.table_names(cursor):
            return 0
    from openkam.core.models import Job
    from openkam.demo.build import JOB_KIND

    job = Job.objects.filter(kind=JOB_KIND).order_by("-created_at", "-pk").first()
    if job is None or job.status != Job.Status.SUCCEEDED:
        return 0
    if (job.params or {}).get("today") != TODAY.isoformat():
        return 0
    return int(job.params.get("lines") or 0)


def counts() -> dict[str, int]:
    from django.db import connection

    result = {}
    with connection.cursor() as cursor:
        for key, table in (
            ("lines", "ledger_invoiceline"),
            ("accounts", "accounts_account"),
            ("invoices", "ledger_invoice"),
            ("payments", "ledger_payment"),
            ("summaries", "receivables_receivablessummary"),
            ("open_items", "receivables_openitem"),
        ):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            result[key] = cursor.fetchone()[0]
    return result


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_sql(sql: str) -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, [TODAY] * sql.count("%s"))
        return cursor.fetchall()


def timed_runs(name: str, work, runs: int) -> tuple[list[float], object]:
    """`runs` timed calls; the seconds and the last call's value."""
    times, value = [], None
    for _ in range(runs):
        began = time.perf_counter()
        value = work()
        times.append(time.perf_counter() - began)
        print(f"{name} {times[-1]:.3f} s", file=sys.stderr, flush=True)
    return times, value


def measure(db: str, runs: int) -> dict:
    from openkam.receivables.engine import AccountScope, aging
    from openkam.receivables.refresh import refresh

    runs = max(runs, 1)
    result: dict = {"db": db, "label": database_label(db), "as_of": TODAY.isoformat()}
    # The aging and the refresh first, as bench/portfolio.py does: their peak RSS growth
    # is theirs alone.
    rss = peak_rss_mb()
    times = {}
    times["aging"], aging_rows = timed_runs(
        "aging", lambda: aging(AccountScope.everyone(), TODAY), runs
    )
    result["rss_aging_mb"] = peak_rss_mb() - rss
    times["refresh"], _ = timed_runs("refresh", lambda: refresh(TODAY), runs)
    result["rss_refresh_mb"] = peak_rss_mb() - rss
    times["reference"], reference_rows = timed_runs(
        "reference", lambda: run_sql(REFERENCE_SQL), runs
    )
    times["floor"], _ = timed_runs("floor", lambda: run_sql(FLOOR_SQL), runs)
    for name, seconds in times.items():
        result[f"{name}_runs"] = [round(s, 3) for s in seconds]
        result[f"{name}_s"] = min(seconds)
    mismatches, largest = compare(reference_rows, aging_rows)
    result.update(
        reference_rows=len(reference_rows),
        aging_rows=len(aging_rows),
        mismatches=mismatches,
        largest_difference=str(largest),
        refresh_steps=refresh_steps(),
        **counts(),
    )
    result.update(time_pages())
    return result


def refresh_steps() -> dict[str, float]:
    """One more refresh, its statements timed (execute only) and named by verb and table;
    the rest is Python, fetching and the commit."""
    from django.db import connection

    from openkam.receivables import dso
    from openkam.receivables.refresh import refresh

    spent: dict[str, float] = {}

    def wrapper(execute, sql, params, many, context):
        found = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)', sql)
        key = f"{sql.split()[0].upper()} {found.group(1) if found else '?'}"
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[key] = spent.get(key, 0.0) + time.perf_counter() - began

    began = time.perf_counter()
    with connection.execute_wrapper(wrapper):
        refresh(TODAY)
    total = time.perf_counter() - began
    spent["rest (Python, fetching, commit)"] = total - sum(spent.values())
    spent["total"] = total
    began = time.perf_counter()
    dso.store(TODAY, None)  # its monthly sales are fetched by a server-side cursor on PG
    spent["dso.store alone, after"] = time.perf_counter() - began
    return {key: round(value, 3) for key, value in spent.items()}


def database_label(db: str) -> str:
    from django.db import connection

    if db == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def compare(reference_rows: list, aging_rows: list) -> tuple[int, object]:
    """Accounts and currencies whose aging balance is not the reference's sum (cents)."""
    from decimal import Decimal

    cent = Decimal("0.01")
    expected = {
        (account, currency): Decimal(str(total or 0)).quantize(cent)
        for account, currency, total in reference_rows
    }
    got = {(row.account_id, row.currency): row.balance for row in aging_rows}
    mismatches, largest = 0, Decimal(0)
    for key in expected.keys() | got.keys():
        difference = abs(expected.get(key, Decimal(0)) - got.get(key, Decimal(0)))
        largest = max(largest, difference)
        if difference > cent:  # SQLite sums floats: a cent either way is rounding
            mismatches += 1
    return mismatches, largest


def aging_statement() -> tuple[str, tuple]:
    """The statement `engine.aging` runs for everyone, caught as it runs."""
    from django.db import connection

    from openkam.receivables.engine import AccountScope, aging

    caught: list[tuple[str, tuple]] = []

    def wrapper(execute, sql, params, many, context):
        caught.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        aging(AccountScope.everyone(), TODAY)
    return max(caught, key=lambda statement: len(statement[0]))


def explain(db: str) -> str:
    from django.db import connection

    statement, params = aging_statement()
    prefix = "EXPLAIN (ANALYZE, BUFFERS, VERBOSE)" if db == "postgresql" else "EXPLAIN QUERY PLAN"
    with connection.cursor() as cursor:
        cursor.execute(f"{prefix} {statement}", params)
        plan = "\n".join(" | ".join(str(cell) for cell in row) for row in cursor.fetchall())
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"receivables-explain-{db}.txt"
    path.write_text(f"{statement}\n-- params: {params!r}\n\n{plan}\n")
    return str(path)


if __name__ == "__main__":
    main()
