"""The recompute as a worker job with progress steps."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.core.jobs import job_create
from openkam.core.models import Job

RECOMPUTE_KIND = "portfolio-recompute"

STEP_LABELS = {
    "ledger": _("Reading the ledger"),
    "metrics": _("Computing figures and classes"),
    "write": _("Saving figures"),
    "scores": _("Scoring the customers"),
}
STEPS = list(STEP_LABELS)


def run_recompute_job(job, reporter) -> dict:
    # Imported here: numpy would slow every `kam` start-up (apps.ready loads this).
    from openkam.portfolio.recompute import recompute_portfolio

    reporter.total(len(STEPS))

    def progress(label: str) -> None:
        reporter.advance(STEPS.index(label), message=str(STEP_LABELS[label]))

    run = recompute_portfolio(triggered_by=job.created_by, progress=progress)
    return {"run": run.pk, "accounts": run.accounts}


def schedule_recompute(
    *, created_by=None, reuse_running: bool = False, reason: str = "", title: str = ""
) -> Job:
    """Queue a recompute unless one is already waiting (a burst of imports needs one run).

    With `reuse_running`, a recompute already under way is returned too (a person pressing
    the button wants to watch it); after an import it is not, since that run may have read
    the ledger before the import committed. A job stuck for an hour (no worker ran it)
    blocks nothing.
    """
    statuses = [Job.Status.QUEUED] + ([Job.Status.RUNNING] if reuse_running else [])
    active = Job.objects.filter(
        kind=RECOMPUTE_KIND,
        status__in=statuses,
        created_at__gte=timezone.now() - timedelta(hours=1),
    ).first()
    if active is not None:
        return active
    return job_create(
        kind=RECOMPUTE_KIND,
        created_by=created_by,
        params={"after": reason} if reason else {},
        title=title or str(_("Recompute portfolio figures and scores")),
    )


def recompute_title(params: dict) -> str:
    if params.get("after") == "import":
        return str(_("Recompute portfolio figures and scores after an import"))
    return str(_("Recompute portfolio figures and scores"))


def latest_recompute_job() -> Job | None:
    return (
        Job.objects.filter(kind=RECOMPUTE_KIND)
        .select_related("created_by")
        .order_by("-created_at", "-pk")
        .first()
    )


def recompute_after_import(sender, instance, created, **kwargs) -> None:
    """An import that changed the ledger or the accounts makes the figures stale."""
    changed = instance.counts.get("created", 0) + instance.counts.get("updated", 0)
    if not created or instance.dry_run or instance.status != "succeeded" or not changed:
        return
    transaction.on_commit(
        lambda: schedule_recompute(
            created_by=instance.created_by,
            reason="import",
            title=str(_("Recompute portfolio figures and scores after an import")),
        )
    )
