"""Time the first visit of three chart pages in headless Chromium, before and after.

    .venv/bin/python bench/first_visit.py [--repeat 5] [--var-dir DIR] [--commit REV]

With --commit the servers run that commit's src/ (extracted with `git archive`, first on
PYTHONPATH, same virtualenv), so edits under way in the checkout do not change the run.

Data: the demo company (`kam demo --no-serve`, 300,000 lines, seed 2026) in a fresh
temporary KAM_VAR_DIR (or in --var-dir, built there when missing and kept). Pages, as the
head of key accounts (`head`, the demo password): the portfolio analysis `/portfolio/`,
the account page `/accounts/<id>/` of the key account with the most invoices (that has
contacts) and its stakeholder map `/accounts/<id>/stakeholders/`.

Two servers, `kam serve --no-worker` on the same database, one port each:
- before (the reference, how pages were served until 2026-12-07): KAM_COLLECT_STATIC=0
  KAM_PLOTLY_BUNDLE=full: static files straight from the packages, uncompressed, the
  full 4.8 MB plotly.js;
- after (the default since): KAM_COLLECT_STATIC=1 KAM_PLOTLY_BUNDLE=basic, KAM_STATIC_ROOT
  in the var dir: hashed, gzip/brotli-compressed files (collected by `kam serve` before it
  answers), the 1.2 MB basic plotly.js.

Each visit is a first visit: a new browser context (empty cache), log in through the form
(the login and home pages load the shared CSS and scripts), then open the chart page. From
the chart page's Navigation Timing: page load `loadEventEnd - startTime`, the server's
own time `responseStart - requestStart` of the HTML, bytes transferred (`transferSize` of
the navigation and every resource entry); and `performance.now()` when the first chart
(`.js-plotly-plot .main-svg`) and when every chart of the page is drawn (a
MutationObserver). One warm-up visit per server and page first (not counted), then
`--repeat` rounds; in each round every page is visited on both servers, in alternating
order, so both sides see the same machine load. Medians; ratio after / before.

Before measuring, the bench checks that each server answers 200 for the static files the
login page names. `kam serve` lists STATIC_ROOT (WhiteNoise) before it collects, so the
files a collection adds answer 404 until the next start: the bench says so (PRODUCT
PROBLEM) and starts that server once more (see start_checked).

Nothing is throttled (loopback, no CPU or network emulation). Goals (issue): a first
visit under 1 s on this machine, the server's own time under 150 ms.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KAM = ROOT / ".venv" / "bin" / "kam"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu"]
SECRET_KEY = "bench-only-not-a-secret"
USERNAME = "head"
READY_TIMEOUT_S = 120.0
VISIT_TIMEOUT_MS = 60_000
ALL_CHARTS_WAIT_MS = 10_000
LOAD_GOAL_MS = 1000.0
SERVER_GOAL_MS = 150.0

CONFIGS = {
    "before": {"KAM_COLLECT_STATIC": "0", "KAM_PLOTLY_BUNDLE": "full"},
    "after": {"KAM_COLLECT_STATIC": "1", "KAM_PLOTLY_BUNDLE": "basic"},
}

# Runs in every document of a context before the page's scripts: notes when the first
# chart and when every `.chart` element of the page has plotly's SVG in it.
CHART_OBSERVER = """
(() => {
  const check = () => {
    if (window.__kamFirstChart === undefined &&
        document.querySelector('.js-plotly-plot .main-svg')) {
      window.__kamFirstChart = performance.now();
    }
    if (window.__kamFirstChart !== undefined && document.readyState !== 'loading') {
      const charts = document.querySelectorAll('.chart');
      const drawn = [...charts].filter((c) => c.querySelector('.main-svg')).length;
      if (drawn === charts.length) {
        window.__kamAllCharts = performance.now();
        observer.disconnect();
      }
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
  document.addEventListener('DOMContentLoaded', check);
})();
"""

TIMINGS = """
() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  const plotly = resources.filter((r) => /plotly[^/]*\\.js/.test(r.name));
  return {
    load: nav.loadEventEnd - nav.startTime,
    server: nav.responseStart - nav.requestStart,
    bytes: nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
    requests: resources.length,
    first_chart: window.__kamFirstChart ?? null,
    all_charts: window.__kamAllCharts ?? null,
    charts: document.querySelectorAll('.chart').length,
    plotly_url: plotly.length ? plotly[0].name : null,
    plotly_bytes: plotly.length ? plotly[0].transferSize : null,
    plotly_decoded: plotly.length ? plotly[0].decodedBodySize : null,
    plotly_fetched: plotly.length ? plotly[0].responseEnd : null,
  };
}
"""


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path
    ready_s: float = 0.0
    note: str = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Problems:
    js_errors: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- data and servers


# The code the servers run: the checkout's src/ (the virtualenv's editable install), or a
# commit's src/ extracted by --commit and put first on PYTHONPATH.
CODE = ROOT / "src"


def extract_commit(commit: str, folder: Path) -> str:
    """`git archive` the commit's src/ into folder; its short hash."""
    rev = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", f"{commit}^{{commit}}"],
        capture_output=True,
        text=True,
    )
    if rev.returncode != 0:
        sys.exit(f"--commit {commit}: {rev.stderr.strip()}")
    folder.mkdir(parents=True)
    archive = subprocess.Popen(
        ["git", "-C", str(ROOT), "archive", rev.stdout.strip(), "src"], stdout=subprocess.PIPE
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], stdin=archive.stdout, check=True)
    if archive.wait() != 0:
        sys.exit(f"git archive {commit} failed")
    return rev.stdout.strip()


def base_env(var_dir: Path) -> dict[str, str]:
    env = {**os.environ, "KAM_VAR_DIR": str(var_dir), "KAM_SECRET_KEY": SECRET_KEY}
    if CODE != ROOT / "src":
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(CODE), env.get("PYTHONPATH")]))
    for name in ("KAM_DATABASE_URL", "KAM_DEBUG", "KAM_STATIC_ROOT", *CONFIGS["after"]):
        env.pop(name, None)
    return env


def ensure_demo(var_dir: Path) -> None:
    var_dir.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    done = subprocess.run(
        [str(KAM), "demo", "--no-serve"], env=base_env(var_dir), capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"kam demo --no-serve failed:\n{done.stdout}\n{done.stderr}")
    print(f"demo database ready in {time.perf_counter() - began:.1f} s ({var_dir})", flush=True)


def password() -> str:
    """The demo's password, DEMO_PASSWORD in src/openkam/demo/build.py (read, not imported:
    importing needs Django set up)."""
    tree = ast.parse((CODE / "openkam" / "demo" / "build.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "DEMO_PASSWORD" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    sys.exit(f"DEMO_PASSWORD not found in {CODE}/openkam/demo/build.py")


def key_account(var_dir: Path) -> tuple[int, str, int, int]:
    """The key account with the most invoices among those with contacts."""
    with sqlite3.connect(var_dir / "openkam.sqlite3") as db:
        row = db.execute(
            """
            SELECT a.id, a.name,
                   (SELECT COUNT(*) FROM ledger_invoice i WHERE i.account_id = a.id) AS n,
                   (SELECT COUNT(*) FROM stakeholders_contact c
                     WHERE c.account_id = a.id AND NOT c.is_archived) AS k
            FROM accounts_account a
            WHERE a.tier = 'key' AND NOT a.is_archived
            ORDER BY (k > 0) DESC, n DESC, a.id LIMIT 1
            """
        ).fetchone()
    if row is None or row[2] == 0 or row[3] == 0:
        sys.exit(f"no key account with invoices and contacts in the demo: {row}")
    return row


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(name: str, var_dir: Path) -> Server:
    env = {**base_env(var_dir), **CONFIGS[name]}
    if env["KAM_COLLECT_STATIC"] == "1":
        env["KAM_STATIC_ROOT"] = str(var_dir / "static")
    port = free_port()
    log = var_dir / f"serve-{name}.log"
    with open(log, "w") as handle:
        process = subprocess.Popen(
            [str(KAM), "serve", "--port", str(port), "--no-worker"],
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(name, port, process, log)
    began = time.perf_counter()
    while time.perf_counter() - began < READY_TIMEOUT_S:
        if process.poll() is not None:
            sys.exit(f"[{name}] kam serve exited ({process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(server.url + "/login/", timeout=5) as response:
                if response.status == 200:
                    server.ready_s = time.perf_counter() - began
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    stop_server(server)
    sys.exit(f"[{name}] /login/ did not answer 200 within {READY_TIMEOUT_S:.0f} s")


def unserved_static(server: Server) -> list[str]:
    """The static files the login page names that the server does not answer 200 for."""
    with urllib.request.urlopen(server.url + "/login/", timeout=10) as response:
        html = response.read().decode()
    failed = []
    for path in sorted(set(re.findall(r'(?:src|href)="(/static/[^"]+)"', html))):
        try:
            with urllib.request.urlopen(server.url + path, timeout=10) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            failed.append(f"{status} {path}")
    return failed


def start_checked(name: str, var_dir: Path) -> Server:
    """Start a server and check it serves the login page's static files.

    `kam serve` (src/openkam/core/management/commands/serve.py) imports the WSGI
    application, whose WhiteNoise middleware lists the files in STATIC_ROOT once, before
    it collects them: after a collection that wrote new files (a fresh STATIC_ROOT, or
    changed sources) those files answer 404 until the next start. The bench then says so
    and starts the server once more (the collection is then up to date and not redone).
    """
    server = start_server(name, var_dir)
    failed = unserved_static(server)
    if failed:
        print(
            f"[{name}] PRODUCT PROBLEM: after `kam serve` collected the static files, "
            f"{len(failed)} of the login page's static files do not answer 200 "
            f"({', '.join(failed)}); starting the server again",
            flush=True,
        )
        first_start = server.ready_s
        stop_server(server)
        server = start_server(name, var_dir)
        server.note = f"first start {first_start:.1f} s (static files 404), restarted"
        failed = unserved_static(server)
        if failed:
            stop_server(server)
            sys.exit(f"[{name}] static files still not served: {', '.join(failed)}")
    return server


def stop_server(server: Server) -> None:
    if server.process.poll() is not None:
        return
    server.process.send_signal(signal.SIGTERM)  # `kam serve` unwinds like Ctrl+C
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


# ---------------------------------------------------------------- the browser


def visit(browser, server: Server, path: str, secret: str, problems: Problems) -> dict:
    """Log in in a new context (empty cache), then the first visit of `path`."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(
        base_url=server.url, viewport={"width": 1366, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(VISIT_TIMEOUT_MS)
    context.add_init_script(CHART_OBSERVER)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.js_errors.append(f"{path}: {error}"))
    page.on(
        "response",
        lambda r: (
            problems.bad_responses.append(f"{server.name}: {r.status} {r.url}")
            if r.status >= 400
            else None
        ),
    )
    try:
        response = page.goto("/login/")
        assert response.ok, f"[{server.name}] /login/ answered {response.status}"
        page.fill("#id_username", USERNAME)
        page.fill("#id_password", secret)
        with page.expect_navigation():
            page.click("form button[type=submit]")
        if "/login/" in page.url:
            sys.exit(f"[{server.name}] login as {USERNAME} failed")
        response = page.goto(path, wait_until="load")
        if response.status != 200:
            sys.exit(
                f"[{server.name}] GET {path} answered {response.status} (server log: {server.log})"
            )
        try:
            page.wait_for_function(
                "performance.getEntriesByType('navigation')[0].loadEventEnd > 0"
                " && window.__kamFirstChart !== undefined"
            )
        except PlaywrightTimeout:
            sys.exit(
                f"[{server.name}] {path}: no chart drawn within {VISIT_TIMEOUT_MS} ms: "
                f"{page.evaluate(TIMINGS)}; {problems}"
            )
        try:
            page.wait_for_function(
                "window.__kamAllCharts !== undefined", timeout=ALL_CHARTS_WAIT_MS
            )
        except PlaywrightTimeout:  # a chart left empty is reported, not fatal
            pass
        return page.evaluate(TIMINGS)
    finally:
        context.close()


def measure(browser, servers: dict[str, Server], pages: dict[str, str], repeat: int, secret):
    problems = Problems()
    runs: dict[tuple[str, str], list[dict]] = {(p, s): [] for p in pages for s in servers}
    for path in pages.values():  # warm-up: the server's first request of a page
        for server in servers.values():
            visit(browser, server, path, secret, problems)
    order = list(servers)
    for round_no in range(repeat):
        for page_name, path in pages.items():
            for name in order if round_no % 2 == 0 else order[::-1]:
                result = visit(browser, servers[name], path, secret, problems)
                runs[(page_name, name)].append(result)
        print(f"round {round_no + 1}/{repeat} done, load {os.getloadavg()[0]:.1f}", flush=True)
    return runs, problems


# ---------------------------------------------------------------- report


def median(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if r[key] is not None]
    return statistics.median(values) if values else None


def fmt_ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} ms"


def fmt_kb(value: float | None) -> str:
    return "-" if value is None else f"{value / 1024:,.0f} KB"


def fmt_ratio(after: float | None, before: float | None) -> str:
    return "-" if not after or not before else f"{after / before:.2f}"


def print_table(runs, pages: dict[str, str]) -> None:
    print()
    print(
        "| page | server | page load | charts drawn | server's own time "
        "| transferred | plotly.js transferred |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    keys = ("load", "all_charts", "server", "bytes", "plotly_bytes")
    for page_name, path in pages.items():
        medians = {s: {k: median(runs[(page_name, s)], k) for k in keys} for s in CONFIGS}
        for s in CONFIGS:
            m = medians[s]
            print(
                f"| {page_name} `{path}` | {s} | {fmt_ms(m['load'])} "
                f"| {fmt_ms(m['all_charts'])} | {fmt_ms(m['server'])} | {fmt_kb(m['bytes'])} "
                f"| {fmt_kb(m['plotly_bytes'])} |"
            )
        a, b = medians["after"], medians["before"]
        print(
            f"| {page_name} | after / before | {fmt_ratio(a['load'], b['load'])} "
            f"| {fmt_ratio(a['all_charts'], b['all_charts'])} "
            f"| {fmt_ratio(a['server'], b['server'])} | {fmt_ratio(a['bytes'], b['bytes'])} "
            f"| {fmt_ratio(a['plotly_bytes'], b['plotly_bytes'])} |"
        )


def runs_of(rs: list[dict], key: str) -> str:
    return ", ".join("-" if r[key] is None else f"{r[key]:.0f}" for r in rs)


def print_details(runs, pages: dict[str, str], repeat: int) -> bool:
    print()
    met = True
    for page_name in pages:
        for s in CONFIGS:
            rs = runs[(page_name, s)]
            charts = {f"{r['charts']} charts, all drawn: {r['all_charts'] is not None}" for r in rs}
            print(
                f"{page_name} / {s} (ms): load {runs_of(rs, 'load')}; first chart "
                f"{runs_of(rs, 'first_chart')}; all charts {runs_of(rs, 'all_charts')}; server "
                f"{runs_of(rs, 'server')}; plotly.js received {runs_of(rs, 'plotly_fetched')}"
            )
            print(
                f"  {rs[0]['requests']} resources; {', '.join(sorted(charts))}; plotly "
                f"{rs[0]['plotly_url']} ({fmt_kb(rs[0]['plotly_decoded'])} decoded)"
            )
    print()
    for page_name in pages:
        rs = runs[(page_name, "after")]
        load, server = median(rs, "load"), median(rs, "server")
        ok_load, ok_server = load < LOAD_GOAL_MS, server < SERVER_GOAL_MS
        met = met and ok_load and ok_server
        print(
            f"goal, {page_name} (after, median of {repeat}): page load {load:.0f} ms "
            f"< {LOAD_GOAL_MS:.0f} ms {'ok' if ok_load else 'OVER'}; server's own time "
            f"{server:.0f} ms < {SERVER_GOAL_MS:.0f} ms {'ok' if ok_server else 'OVER'}"
        )
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="first visits per page and server")
    parser.add_argument("--var-dir", type=Path, help="keep the demo (and static files) here")
    parser.add_argument(
        "--commit", help="serve this commit's src/ (git archive), not the checkout's files"
    )
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")
    global CODE
    with tempfile.TemporaryDirectory(prefix="kam-first-visit-") as tmp:
        var_dir = (args.var_dir or Path(tmp, "var")).resolve()
        if args.commit:
            short = extract_commit(args.commit, Path(tmp, "code"))
            CODE = Path(tmp, "code", "src")
            where = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "import importlib.util as u; print(u.find_spec('openkam.cli').origin)",
                ],
                env=base_env(var_dir),
                capture_output=True,
                text=True,
            ).stdout.strip()
            if not where.startswith(str(CODE)):
                sys.exit(f"openkam is imported from {where!r}, not from {CODE}")
            print(f"code: {short} (src/ extracted to {CODE})", flush=True)
        else:
            print(f"code: the checkout's working tree ({CODE})", flush=True)
        ensure_demo(var_dir)
        account_id, account_name, invoices, contacts = key_account(var_dir)
        print(f"key account {account_id} {account_name}: {invoices} invoices, {contacts} contacts")
        pages = {
            "portfolio": "/portfolio/",
            "account": f"/accounts/{account_id}/",
            "stakeholders": f"/accounts/{account_id}/stakeholders/",
        }
        met = run(var_dir, pages, args.repeat, password())
    sys.exit(0 if met else 1)


def run(var_dir: Path, pages: dict[str, str], repeat: int, secret: str) -> bool:
    from playwright.sync_api import sync_playwright

    servers: dict[str, Server] = {}
    try:
        for name in CONFIGS:  # one after the other: the "after" one collects static files
            servers[name] = server = start_checked(name, var_dir)
            print(
                f"[{name}] {' '.join(f'{k}={v}' for k, v in CONFIGS[name].items())}: "
                f"{server.url} answered /login/ after {server.ready_s:.1f} s"
                + (f" ({server.note})" if server.note else ""),
                flush=True,
            )
        print(f"load before: {os.getloadavg()}", flush=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            print(f"Chromium {browser.version}", flush=True)
            runs, problems = measure(browser, servers, pages, repeat, secret)
            browser.close()
        print(f"load after: {os.getloadavg()}")
    finally:
        for server in servers.values():
            stop_server(server)
    print_table(runs, pages)
    met = print_details(runs, pages, repeat)
    for label, items in (("JS errors", problems.js_errors), ("4xx/5xx", problems.bad_responses)):
        if items:
            print(f"\n{label} ({len(items)}, warm-up visits included):")
            for item in sorted(set(items)):
                print(f"  {item}")
    for name, server in servers.items():  # a 500's traceback is in the server's log
        if any(item.startswith(f"{name}: 5") for item in problems.bad_responses):
            print(f"\n[{name}] end of {server.log}:")
            print("\n".join(server.log.read_text().splitlines()[-60:]))
    return met


if __name__ == "__main__":
    main()
