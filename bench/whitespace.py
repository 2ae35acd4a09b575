"""Time the whitespace of every customer group against one SQL aggregation of revenue per
account and product line; time the pipeline pages.

    .venv/bin/python bench/whitespace.py --build           # build the demo when missing
    .venv/bin/python bench/whitespace.py                   # reuse it
    .venv/bin/python bench/whitespace.py --baseline 56e9377   # + the code of that commit

Data: the demo company (`kam demo --no-serve`, today fixed at 2026-11-23) on PostgreSQL,
database `openkam_wsbench`, 10,000,000 lines and 50,000 accounts, built when missing with
`--build` (`--lines N` measures a smaller demo in `openkam_wsbench_l<N>`). Nothing is ever
dropped: a database is built only when it has no finished demo build of the same size.

In a child process with Django set up on that database, as the head user (who sees every
account):
- reference: one SQL statement, the net revenue of the last 12 months (the period the
  whitespace uses) per account and product line, every account, fetched fully; best of
  `--runs` (2);
- whitespace: the matrix and suggestions of every group (every account with subsidiaries
  and its members) as the head sees them, `whitespace.every_group_whitespace` (the
  page's matrix code, each read done once for all groups), fetched fully; best of
  `--runs`, its statements timed (the peers' statement apart), and the median and p95
  of a group's matrix once the reads are done;
- alone: `--sample` (20) groups, each computed as the page does
  (`whitespace.group_whitespace`, its own reads): median and p95 per group; check: each
  is the same as the batch's;
- baseline (`--baseline REV`): that commit's `whitespace.py` on the same sample (its
  median per group), and the check that its cells and evidence are the same;
- pages: GET /pipeline/ and /pipeline/list/ as the head through Django's test client,
  median of `--page-runs` (5) after a warm-up, their query counts, and a trivial page
  (/me/tokens/) in the same process as the reference.

Goals (issue #13): the whitespace of every group within 2x the reference; the pipeline page
under 300 ms for a head.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
import types
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KAM = ROOT / ".venv" / "bin" / "kam"
TODAY = date(2026, 11, 23)
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = "openkam_wsbench"
VAR_DIR = "/tmp/var_wsbench"
LINES, ACCOUNTS = 10_000_000, 50_000
RATIO_GOAL = 2.0
PAGE_GOAL_MS = 300.0
PAGES = ("/pipeline/", "/pipeline/list/")
TRIVIAL_PAGE = "/me/tokens/"

# Parameters: the period's first day and the day after its last.
REFERENCE_SQL = """
SELECT l.account_id, p.product_line, SUM(l.net_amount)
FROM ledger_invoiceline l JOIN ledger_product p ON p.id = l.product_id
WHERE l.issued_on >= %s AND l.issued_on < %s
GROUP BY l.account_id, p.product_line
"""


# ---------------------------------------------------------------- parent process


def database_env(where: str) -> dict[str, str]:
    env = {**os.environ}
    env.setdefault("KAM_SECRET_KEY", "bench-only-not-a-secret")
    env["KAM_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    env["KAM_COLLECT_STATIC"] = "0"  # the test client renders templates without a collection
    env["KAM_VAR_DIR"] = VAR_DIR
    env["KAM_DATABASE_URL"] = f"{PG_SERVER}/{where}"
    return env


def pg_database_exists(name: str, create: bool = False) -> bool:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found and create:
            conn.execute(f'CREATE DATABASE "{name}"')
        return bool(found)


def build(lines: int, accounts: int | None, where: str) -> None:
    pg_database_exists(where, create=True)
    Path(VAR_DIR).mkdir(parents=True, exist_ok=True)
    command = [str(KAM), "demo", "--no-serve", "--lines", str(lines)]
    command += ["--accounts", str(accounts)] if accounts else []
    command += ["--today", TODAY.isoformat()]
    print(f"building in {where}: kam {' '.join(command[1:])}", flush=True)
    began = time.perf_counter()
    if subprocess.run(command, env=database_env(where)).returncode != 0:
        sys.exit("kam demo failed (an interrupted build: `kam demo --force` there)")
    print(f"built in {(time.perf_counter() - began) / 60:.1f} min", flush=True)


def child_run(where: str, *args: str) -> dict:
    command = [sys.executable, __file__, "--child", *args]
    done = subprocess.run(command, env=database_env(where), capture_output=True, text=True)
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        sys.exit(f"child failed:\n{done.stdout}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def checkout() -> str:
    """HEAD, and whether src/ differs from it (the child runs the working tree)."""
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run(
        [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    changed = subprocess.run([*git, "diff", "--quiet", "HEAD", "--", "src"]).returncode
    return f"{head} + uncommitted src/ changes" if changed else head


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def secs(value: float) -> str:
    return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"


def print_report(r: dict) -> None:
    ratio = r["whitespace_s"] / r["reference_s"]
    print()
    print(
        "| lines | accounts | groups | reference | whitespace, every group | ratio (goal 2x) "
        "| of which peers | per group in it, median / p95 | alone (the page), median / p95 "
        "| baseline alone, median |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    baseline = f"{r['baseline_ms']:.0f} ms" if r.get("baseline_ms") is not None else "-"
    print(
        f"| {r['lines']:,} | {r['accounts']:,} | {r['groups']:,} | {secs(r['reference_s'])} "
        f"| {secs(r['whitespace_s'])} | {ratio:.2f}x ({'ok' if ratio <= RATIO_GOAL else 'over'}) "
        f"| {secs(r['peers_s'])} | {r['group_median_ms']:.1f} / {r['group_p95_ms']:.1f} ms "
        f"| {r['alone_median_ms']:.0f} / {r['alone_p95_ms']:.0f} ms | {baseline} |"
    )
    print()
    print("| page | median | runs (ms) | CPU, median | queries |")
    print("| --- | ---: | --- | ---: | ---: |")
    for url, page in r["pages"].items():
        mark = "" if url == TRIVIAL_PAGE else (" (ok)" if page["ms"] < PAGE_GOAL_MS else " (over)")
        print(
            f"| GET {url} | {page['ms']:.0f} ms{mark} | {page['runs']} "
            f"| {page['cpu_ms']:.0f} ms | {page['queries']} |"
        )
    print()
    print(
        f"{r['label']}, {r['where']}, as of {r['as_of']} (period {r['period']}), code: {r['code']}"
    )
    print(f"reference runs (s) {r['reference_runs']}, rows {r['reference_rows']:,}")
    print(f"whitespace runs (s) {r['whitespace_runs']}, peers statement (s) {r['peers_runs']}")
    print(f"whitespace statements, last run (s): {r['statements'][-1]}")
    print(f"groups of the batch {r['batch_groups']:,} (groups in the demo {r['groups']:,})")
    print(
        f"groups {r['groups']:,}, members {r['members']:,}, cells {r['cells']:,}, "
        f"suggestions {r['suggestions']:,}, open cells {r['open_cells']:,}, "
        f"opportunities {r['opportunities']:,} (open {r['open_opportunities']:,})"
    )
    print(f"check, {r['sample']} groups alone = shared: {r['alone_mismatches']} differ")
    if r.get("baseline"):
        print(
            f"baseline {r['baseline']}: {r['baseline_groups']} groups, runs (ms) "
            f"{r['baseline_runs']}; same cells and evidence: {r['baseline_mismatches']} differ"
        )
    print(f"load: before {r['load_before']!r}; after {r['load_after']!r}")
    page = r["pages"][PAGES[0]]["ms"]
    met = ratio <= RATIO_GOAL and page < PAGE_GOAL_MS
    print(
        f"\n{'Goals met' if met else 'Goals not met'}: whitespace {ratio:.2f}x (goal "
        f"{RATIO_GOAL:g}x), pipeline page {page:.0f} ms (goal {PAGE_GOAL_MS:g} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="build the demo first if missing")
    parser.add_argument("--lines", type=int, help="a smaller demo, in its own database")
    parser.add_argument("--runs", type=int, default=2, help="timed runs of each side (best of)")
    parser.add_argument("--sample", type=int, default=20, help="groups timed alone")
    parser.add_argument("--page-runs", type=int, default=5, help="timed GETs of each page")
    parser.add_argument("--baseline", metavar="REV", help="also time that commit's whitespace.py")
    parser.add_argument("--only", choices=["pages"], help="time only the pages")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    lines = args.lines or LINES
    where = PG_NAME if lines == LINES else f"{PG_NAME}_l{lines}"
    built = pg_database_exists(where) and child_run(where, "--probe")["built_lines"] == lines
    if not built:
        if not args.build:
            sys.exit(f"no finished demo of {lines:,} lines in {where}: run with --build")
        build(lines, ACCOUNTS if lines == LINES else None, where)
    load_before = uptime()
    print(load_before, flush=True)
    extra = ["--runs", str(args.runs), "--sample", str(args.sample)]
    extra += ["--page-runs", str(args.page_runs)]
    if args.baseline:
        extra += ["--baseline", args.baseline]
    if args.only:
        extra += ["--only", args.only]
    result = child_run(where, *extra)
    result.update(where=where, code=checkout(), load_before=load_before, load_after=uptime())
    if args.only == "pages":
        for url, page in result["pages"].items():
            print(
                f"GET {url}: {page['ms']:.0f} ms, runs {page['runs']}, "
                f"CPU {page['cpu_ms']:.0f} ms, {page['queries']} queries"
            )
        print(f"load: before {load_before!r}; after {result['load_after']!r}")
        return
    print_report(result)


# ---------------------------------------------------------------- child process


def child(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openkam.settings")
    import django

    django.setup()
    if args.probe:
        print(json.dumps({"built_lines": built_lines()}))
        return
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)  # data built by an older checkout
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would a minute after the build
    result: dict = {"label": database_label(), "as_of": TODAY.isoformat(), **counts()}
    if args.only != "pages":
        result.update(measure_whitespace(args))
        gc.collect()  # the maps are gone: the pages are timed without them on the heap
    result["pages"] = time_pages(args.page_runs)
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


def database_label() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"


def counts() -> dict[str, int]:
    from django.db import connection

    from openkam.opportunities.models import Opportunity, Outcome

    result = {}
    with connection.cursor() as cursor:
        for key, table in (("lines", "ledger_invoiceline"), ("accounts", "accounts_account")):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            result[key] = cursor.fetchone()[0]
    result["opportunities"] = Opportunity.objects.count()
    result["open_opportunities"] = Opportunity.objects.filter(stage__outcome=Outcome.OPEN).count()
    return result


def timed(work) -> tuple[float, object]:
    began = time.perf_counter()
    value = work()
    return time.perf_counter() - began, value


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure_whitespace(args: argparse.Namespace) -> dict:
    from django.db import connection

    from openkam.accounts.models import Account
    from openkam.ledger.periods import Period
    from openkam.opportunities import whitespace
    from openkam.users.models import User

    head = User.objects.get(username="head")
    period = Period.trailing(TODAY)
    roots = list(
        Account.objects.filter(
            pk__in=Account.objects.filter(parent__isnull=False).values("group_root_id")
        ).order_by("pk")
    )
    if not roots:
        sys.exit("the demo has no groups")

    def reference() -> list:
        with connection.cursor() as cursor:
            cursor.execute(REFERENCE_SQL, [period.start, period.end])
            return cursor.fetchall()

    def every_group() -> tuple[dict, list[float], dict]:
        """The batch, its statements timed (execute only, by their first words), and the
        time to each group after the first (the reads all come before the first)."""
        spent: dict[str, float] = {}

        def wrapper(execute, sql, params, many, context):
            key = " ".join(sql.split()[:4])[:60]
            began = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent[key] = spent.get(key, 0.0) + time.perf_counter() - began

        maps, per_group = {}, []
        with connection.execute_wrapper(wrapper):
            groups = whitespace.every_group_whitespace(user=head, today=TODAY)
            began = time.perf_counter()
            for root_id, ws in groups:
                maps[root_id] = ws
                per_group.append(time.perf_counter() - began)
                began = time.perf_counter()
        return spent, per_group[1:], maps

    runs = max(args.runs, 1)
    result: dict = {"period": f"{period.start} to {period.end} (exclusive)", "groups": len(roots)}
    ref_runs, ws_runs, peers_runs, statements = [], [], [], []
    for _ in range(runs):  # interleaved, so both sides see the same load
        seconds, rows = timed(reference)
        ref_runs.append(seconds)
        print(f"reference {seconds:.3f} s", file=sys.stderr, flush=True)
        seconds, (spent, per_group, maps) = timed(every_group)
        ws_runs.append(seconds)
        peers_s = max(spent.values())  # the peers' statement, by far the longest
        peers_runs.append(peers_s)
        statements.append({key: round(value, 3) for key, value in spent.items()})
        print(f"whitespace {seconds:.3f} s {spent}", file=sys.stderr, flush=True)
    cells = [cell for ws in maps.values() for row in ws.rows for cell in row.cells]
    result.update(
        reference_runs=[round(s, 3) for s in ref_runs],
        reference_s=min(ref_runs),
        reference_rows=len(rows),
        whitespace_runs=[round(s, 3) for s in ws_runs],
        whitespace_s=min(ws_runs),
        peers_runs=[round(s, 3) for s in peers_runs],
        peers_s=min(peers_runs),
        statements=statements,
        batch_groups=len(maps),
        group_median_ms=statistics.median(per_group) * 1000,
        group_p95_ms=p95(per_group) * 1000,
        members=sum(len(ws.rows) for ws in maps.values()),
        cells=len(cells),
        suggestions=sum(ws.suggestions for ws in maps.values()),
        open_cells=sum(cell.state == whitespace.OPEN for cell in cells),
    )
    sample = roots[:: max(1, len(roots) // max(args.sample, 1))][: args.sample]
    alone, mismatches = [], 0
    for root in sample:
        seconds, ws = timed(  # as the page: that group alone
            lambda root=root: whitespace.group_whitespace(user=head, account=root, today=TODAY)
        )
        alone.append(seconds)
        mismatches += fingerprint(ws) != fingerprint(maps[root.pk])
    result.update(
        sample=len(sample),
        alone_median_ms=statistics.median(alone) * 1000,
        alone_p95_ms=p95(alone) * 1000,
        alone_mismatches=mismatches,
    )
    if args.baseline:
        result.update(measure_baseline(args.baseline, head, sample[:5], maps))
    return result


def fingerprint(ws) -> list:
    """What the page shows: members, and per cell its state, revenue and evidence."""
    return [
        (row.account.pk, [(c.line, c.state, c.revenue, c.evidence) for c in row.cells])
        for row in ws.rows
    ]


def measure_baseline(rev: str, head, sample: list, maps: dict) -> dict:
    """That commit's whitespace.py, loaded as a module of its own, on a few groups."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:src/openkam/opportunities/whitespace.py"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    module = types.ModuleType("whitespace_baseline")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, f"{rev}:whitespace.py", "exec"), module.__dict__)
    runs, mismatches = [], 0
    for root in sample:
        seconds, ws = timed(  # as the page: that group alone
            lambda root=root: module.group_whitespace(user=head, account=root, today=TODAY)
        )
        runs.append(seconds * 1000)
        print(f"baseline group {root.pk} {seconds:.3f} s", file=sys.stderr, flush=True)
        old = [
            (row.account.pk, [(c.line, c.state, c.revenue, c.evidence and tuple(
                vars(c.evidence).values())) for c in row.cells])
            for row in ws.rows
        ]  # fmt: skip
        new = [
            (pk, [(line, state, revenue, evidence and tuple(vars(evidence).values()))
                  for line, state, revenue, evidence in cells])
            for pk, cells in fingerprint(maps[root.pk])
        ]  # fmt: skip
        mismatches += old != new
    return {
        "baseline": rev,
        "baseline_groups": len(sample),
        "baseline_runs": [round(ms) for ms in runs],
        "baseline_ms": statistics.median(runs),
        "baseline_mismatches": mismatches,
    }


def time_pages(page_runs: int) -> dict:
    """Each page as the head: a warm-up, then `page_runs` timed GETs (ms), and the
    statements of one more GET."""
    from django.db import connection
    from django.test import Client

    from openkam.users.models import User

    client = Client()
    client.force_login(User.objects.get(username="head"))
    found = {}
    for url in (TRIVIAL_PAGE, *PAGES):

        def get(url=url) -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"GET {url} as head answered {response.status_code}")

        get()
        runs, cpu = [], []
        for _ in range(max(page_runs, 1)):
            began = time.process_time()
            seconds, _none = timed(get)
            cpu.append((time.process_time() - began) * 1000)
            runs.append(seconds * 1000)
        statements: list[str] = []

        def count(execute, sql, params, many, context, statements=statements):
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            get()
        found[url] = {
            "ms": statistics.median(runs),
            "runs": [round(ms, 1) for ms in runs],
            # CPU time of this process: what the page costs, less swayed by a busy machine.
            "cpu_ms": statistics.median(cpu),
            "queries": len(statements),
        }
    return found


if __name__ == "__main__":
    main()
