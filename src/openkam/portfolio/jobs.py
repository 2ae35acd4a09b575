"""The recompute as a worker job with progress steps."""

from __future__ import annotations

from openkam.portfolio.recompute import recompute_portfolio

STEPS = ["ledger", "metrics", "write", "scores"]


def run_recompute_job(job, reporter) -> dict:
    reporter.total(len(STEPS))

    def progress(label: str) -> None:
        reporter.advance(STEPS.index(label), message=label)

    run = recompute_portfolio(triggered_by=job.created_by, progress=progress)
    return {"run": run.pk, "accounts": run.accounts}
