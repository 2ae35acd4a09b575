"""Benchmark `kam import invoices` against the database's own bulk load of the same file.

    python bench/import.py                    # 1,000,000 lines, SQLite and PostgreSQL
    python bench/import.py --lines 100000 --db sqlite

Generates a realistic ERP export (Windows-1250, `;`, decimal commas, `dd.mm.yyyy`
dates, ~3 lines per invoice, 2,000 accounts and 300 products imported first), then
times, each in a fresh database:

- the import: `kam import invoices FILE` in a subprocess (wall time and the child's
  peak RSS from wait4);
- the reference: PostgreSQL `COPY` of the same CSV into a bare table of the same
  columns (text); SQLite: `csv.reader` + `executemany` of the parsed rows into a bare
  table in one transaction;
- on PostgreSQL also the floor: what the import wrote, already converted, loaded with
  binary `COPY` into empty copies of the ledger tables, their indexes and foreign keys
  built once: the least any import of the file must spend.

Goals: import within 3x the reference on PostgreSQL, 4x on SQLite, peak memory under
500 MB. A second import of the same file (nothing changes) is timed too.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KAM = ROOT / ".venv" / "bin" / "kam"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
COLUMNS = (
    "Numer faktury;Lp.;Data wystawienia;Termin płatności;Kontrahent;Indeks;Ilość;"
    "Wartość netto;Koszt;Waluta;Przyczyna zwrotu"
)
CITIES = ["Warszawa", "Kraków", "Łódź", "Wrocław", "Poznań", "Gdańsk", "Szczecin", "Białystok"]


def money(cents: int) -> str:
    """Polish ERP style: `1 234,56`, `-12,50`."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole:,}".replace(",", " ") + f",{frac:02d}"


def generate(folder: Path, lines: int, accounts: int, products: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    with open(folder / "accounts.csv", "w", encoding="cp1250", newline="") as handle:
        handle.write("Kod kontrahenta;Nazwa;Miasto\n")
        for n in range(accounts):
            handle.write(f"K{n:05d};Hurtownia Spożywcza {n} Sp. z o.o.;{rng.choice(CITIES)}\n")
    with open(folder / "products.csv", "w", encoding="cp1250", newline="") as handle:
        handle.write("Indeks;Nazwa towaru;Grupa towarowa\n")
        for n in range(products):
            handle.write(f"T-{n:04d};Towar żółty nr {n};Grupa {n % 12}\n")
    prices = [rng.randint(150, 250_000) for _ in range(products)]
    path = folder / "invoices.csv"
    start = date(2023, 1, 1)
    written, number = 0, 0
    with open(path, "w", encoding="cp1250", newline="") as handle:
        handle.write(COLUMNS + "\n")
        while written < lines:
            number += 1
            issued = start + timedelta(days=rng.randrange(730))
            head = (
                f"FV/{issued.year}/{number:07d}",
                issued.strftime("%d.%m.%Y"),
                (issued + timedelta(days=30)).strftime("%d.%m.%Y"),
                f"K{rng.randrange(accounts):05d}",
            )
            for line_no in range(1, min(rng.randint(1, 5), lines - written) + 1):
                product = rng.randrange(products)
                quantity = rng.randint(1, 40)
                reason = ""
                if rng.random() < 0.02:
                    quantity, reason = -quantity, "Reklamacja jakościowa"
                net = prices[product] * quantity
                cost = int(net * 0.78)
                handle.write(
                    f"{head[0]};{line_no};{head[1]};{head[2]};{head[3]};T-{product:04d};"
                    f"{quantity};{money(net)};{money(cost)};PLN;{reason}\n"
                )
                written += 1
    return path


def run_kam(env: dict, *args: str) -> tuple[float, int, str]:
    """Run `kam ...`; (seconds, peak RSS in MB, stdout)."""
    began = time.perf_counter()
    child = subprocess.Popen(
        [str(KAM), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # wait4 gives this child's own peak memory (RUSAGE_CHILDREN would mix in others).
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - began
    out, err = child.stdout.read(), child.stderr.read()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"kam {' '.join(args)} failed ({child.returncode}):\n{out}\n{err}")
    return elapsed, usage.ru_maxrss // 1024, out


def sqlite_reference(path: Path, folder: Path) -> float:
    db = folder / "reference.sqlite3"
    db.unlink(missing_ok=True)
    began = time.perf_counter()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "CREATE TABLE bare (invoice_number text, line_no integer, invoice_date text,"
        " due_date text, account_id text, sku text, quantity text, net_amount text,"
        " cost_amount text, currency text, return_reason text)"
    )
    with open(path, encoding="cp1250", newline="") as handle:
        rows = csv.reader(handle, delimiter=";")
        next(rows)
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO bare VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
        conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - began


def postgres_reference(path: Path, url: str) -> float:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_bare")
        conn.execute(
            "CREATE TABLE bench_bare (invoice_number text, line_no integer, invoice_date text,"
            " due_date text, account_id text, sku text, quantity text, net_amount text,"
            " cost_amount text, currency text, return_reason text)"
        )
        began = time.perf_counter()
        with conn.cursor() as cursor, open(path, "rb") as handle:
            sql = (
                "COPY bench_bare FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true,"
                " ENCODING 'WIN1250')"
            )
            with cursor.copy(sql) as copy:
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
        elapsed = time.perf_counter() - began
        conn.execute("DROP TABLE bench_bare")
    return elapsed


FLOOR_TABLES = ("ledger_invoice", "ledger_invoiceline")


def postgres_floor(url: str) -> float:
    """The least any import of this file must spend on PostgreSQL: the rows the import
    wrote, already converted, loaded with binary `COPY` into empty tables of the same
    columns, then the same indexes and foreign keys built once (no parsing, no checks,
    no Python start-up)."""
    import psycopg

    with psycopg.connect(url) as conn:
        dumps, indexes, keys = {}, [], []
        for table in FLOOR_TABLES:
            with conn.cursor().copy(f"COPY {table} TO STDOUT (FORMAT binary)") as copy:
                dumps[table] = b"".join(bytes(block) for block in copy)
            conn.execute(f"CREATE TABLE floor_{table} (LIKE {table} INCLUDING DEFAULTS)")
            for name, definition in conn.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
                " WHERE indrelid = %s::regclass", [table]
            ):  # fmt: skip
                indexes.append(
                    definition.replace(f"INDEX {name} ON", f"INDEX floor_{name} ON").replace(
                        f" ON public.{table} ", f" ON public.floor_{table} "
                    )
                )
            for (definition,) in conn.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = %s::regclass AND contype = 'f'", [table]
            ):  # fmt: skip
                for other in FLOOR_TABLES:
                    definition = definition.replace(
                        f"REFERENCES {other}(", f"REFERENCES floor_{other}("
                    )
                keys.append(f"ALTER TABLE floor_{table} ADD {definition}")
        conn.commit()
        began = time.perf_counter()
        for table in FLOOR_TABLES:
            with conn.cursor().copy(f"COPY floor_{table} FROM STDIN (FORMAT binary)") as copy:
                copy.write(dumps[table])
        for statement in indexes + keys:
            conn.execute(statement)
        conn.commit()
        elapsed = time.perf_counter() - began
        for table in reversed(FLOOR_TABLES):
            conn.execute(f"DROP TABLE floor_{table}")
        conn.commit()
    return elapsed


def fresh_postgres(database: str) -> str:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    return f"{PG_SERVER}/{database}"


def bench_database(name: str, env: dict, folder: Path, invoices: Path, lines: int) -> dict:
    run_kam(env, "migrate", "-v0")
    run_kam(env, "import", "accounts", str(folder / "accounts.csv"), "--no-progress")
    run_kam(env, "import", "products", str(folder / "products.csv"), "--no-progress")
    seconds, peak, out = run_kam(env, "import", "invoices", str(invoices), "--no-progress")
    print(out, end="")
    again, again_peak, out = run_kam(env, "import", "invoices", str(invoices), "--no-progress")
    print(out, end="")
    floor = None
    if name == "sqlite":
        reference = sqlite_reference(invoices, folder)
    else:
        reference = postgres_reference(invoices, env["KAM_DATABASE_URL"])
        floor = postgres_floor(env["KAM_DATABASE_URL"])
    return {
        "database": name,
        "lines": lines,
        "import_s": seconds,
        "peak_mb": peak,
        "reimport_s": again,
        "reimport_peak_mb": again_peak,
        "reference_s": reference,
        "ratio": seconds / reference,
        "floor_s": floor,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--products", type=int, default=300)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg-database", default="openkam_ingest", help="dropped and recreated")
    parser.add_argument("--workdir", type=Path, help="keep files here (default: a temp dir)")
    args = parser.parse_args()
    folder = args.workdir or Path(tempfile.mkdtemp(prefix="openkam-bench-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    invoices = generate(folder, args.lines, args.accounts, args.products)
    size = invoices.stat().st_size / 1e6
    print(f"generated {args.lines:,} lines ({size:.0f} MB) in {time.perf_counter() - began:.0f} s")
    results = []
    for name in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        var = folder / f"var-{name}"
        shutil.rmtree(var, ignore_errors=True)
        var.mkdir(parents=True)
        env = dict(os.environ, KAM_VAR_DIR=str(var))
        # As installed: Python keeps compiled bytecode (`migrate` below writes it), so
        # `kam` does not recompile every module at each start.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.setdefault("KAM_SECRET_KEY", "bench-only-secret-key")
        if name == "postgres":
            env["KAM_DATABASE_URL"] = fresh_postgres(args.pg_database)
        else:
            env.pop("KAM_DATABASE_URL", None)
        results.append(bench_database(name, env, folder, invoices, args.lines))
    goals = {"sqlite": 4, "postgres": 3}
    print("\n| database | lines | import | reference | ratio (goal) | peak memory | re-import |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r['database']} | {r['lines']:,} | {r['import_s']:.1f} s | {r['reference_s']:.1f} s"
            f" | {r['ratio']:.1f}x (<= {goals[r['database']]}x) | {r['peak_mb']} MB"
            f" | {r['reimport_s']:.1f} s, {r['reimport_peak_mb']} MB |"
        )
    for r in results:
        if r["floor_s"] is not None:
            print(
                f"\n{r['database']} floor (converted rows, binary COPY, same indexes and keys"
                f" built once): {r['floor_s']:.1f} s = {r['floor_s'] / r['reference_s']:.1f}x"
                f" the reference; the import is {r['import_s'] / r['floor_s']:.1f}x the floor"
            )


if __name__ == "__main__":
    main()
