"""The recompute as a worker job with progress steps."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from openkam.portfolio.recompute import recompute_portfolio

RECOMPUTE_KIND = "portfolio-recompute"

STEP_LABELS = {
    "ledger": _("Reading the ledger"),
    "metrics": _("Computing figures and classes"),
    "write": _("Saving figures"),
    "scores": _("Scoring the customers"),
}
STEPS = list(STEP_LABELS)


def run_recompute_job(job, reporter) -> dict:
    reporter.total(len(STEPS))

    def progress(label: str) -> None:
        reporter.advance(STEPS.index(label), message=str(STEP_LABELS[label]))

    run = recompute_portfolio(triggered_by=job.created_by, progress=progress)
    return {"run": run.pk, "accounts": run.accounts}


def schedule_recompute(*, created_by=None):
    """Queue a recompute unless one is already waiting (a burst of imports needs one run)."""
    from openkam.core.jobs import job_create
    from openkam.core.models import Job

    waiting = Job.objects.filter(kind=RECOMPUTE_KIND, status=Job.Status.QUEUED).first()
    if waiting is not None:
        return waiting
    return job_create(
        kind=RECOMPUTE_KIND,
        created_by=created_by,
        params={"after": "import"},
        title=str(_("Recompute portfolio figures and scores after an import")),
    )


def recompute_after_import(sender, instance, created, **kwargs) -> None:
    """An import that changed the ledger or the accounts makes the figures stale."""
    changed = instance.counts.get("created", 0) + instance.counts.get("updated", 0)
    if not created or instance.dry_run or instance.status != "succeeded" or not changed:
        return
    transaction.on_commit(lambda: schedule_recompute(created_by=instance.created_by))
