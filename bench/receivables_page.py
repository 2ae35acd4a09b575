"""The finance view's page as `bench/receivables.py` times it (run in its child, with
Django set up on the benchmark database): the head's and the biggest KAM's first page,
their statements, and the plans of those statements."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
PAGE_URL = "/receivables/"
PAGE_RUNS = 5


def time_pages(explain_kam: bool = False) -> dict:
    from openkam.accounts.models import Account
    from openkam.users.models import KAM_ROLES, User

    head = User.objects.get(username="head")
    kams = list(User.objects.filter(role__in=KAM_ROLES, is_active=True))
    seen = {user.username: Account.objects.visible_to(user).count() for user in kams}
    kam = max(kams, key=lambda user: (seen[user.username], user.username))
    head_runs = time_page(head)
    kam_runs = time_page(kam)
    head_statements = page_statements(head)
    kam_statements = page_statements(kam)
    return {
        "page_head_queries": len(head_statements),
        "page_kam_queries": len(kam_statements),
        "explain_file": explain_page(kam_statements) if explain_kam else None,
        "page_head_kind": f"GET {PAGE_URL} as head",
        "page_head_runs": [round(ms, 1) for ms in head_runs],
        "page_head_ms": statistics.median(head_runs),
        "kam": kam.username,
        "kam_accounts": seen[kam.username],
        "page_kam_runs": [round(ms, 1) for ms in kam_runs],
        "page_kam_ms": statistics.median(kam_runs),
    }


def time_page(user) -> list[float]:
    """GET the finance view's first page: a warm-up, then PAGE_RUNS timed (ms)."""
    from django.test import Client

    client = Client()
    client.force_login(user)

    def get() -> None:
        response = client.get(PAGE_URL)
        if response.status_code != 200:
            raise SystemExit(f"GET {PAGE_URL} as {user.username} answered {response.status_code}")
        assert b"<table" in response.content, "no table of accounts on the page"

    get()
    times = []
    for _ in range(PAGE_RUNS):
        began = time.perf_counter()
        get()
        times.append((time.perf_counter() - began) * 1000)
    return times


def page_statements(user) -> list[tuple[str, tuple]]:
    """The statements one GET of the page runs (the session's and the user's included)."""
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(user)
    caught: list[tuple[str, tuple]] = []

    def wrapper(execute, sql, params, many, context):
        caught.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        client.get(PAGE_URL)
    return caught


def explain_page(statements: list[tuple[str, tuple]]) -> str:
    """The plan of each of the page's statements, with its time (PostgreSQL: EXPLAIN
    ANALYZE with buffers; SQLite: EXPLAIN QUERY PLAN)."""
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    prefix = "EXPLAIN (ANALYZE, BUFFERS)" if postgres else "EXPLAIN QUERY PLAN"
    parts = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"{prefix} {sql}", params)
            plan = "\n".join(" | ".join(str(cell) for cell in row) for row in cursor.fetchall())
            parts.append(f"{sql}\n-- params: {params!r}\n\n{plan}\n")
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"receivables-page-explain-{connection.vendor}.txt"
    path.write_text("\n\n".join(parts))
    return str(path)
