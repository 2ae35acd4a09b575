"""An import that changes data queues one recompute; dry runs and no-op imports do not."""

from __future__ import annotations

from pathlib import Path

from openkam.core.models import Job
from openkam.ingest.services import import_file
from openkam.portfolio.jobs import RECOMPUTE_KIND

SAMPLE = Path(__file__).resolve().parents[4] / "docs" / "samples" / "accounts.csv"


def _recompute_jobs():
    return Job.objects.filter(kind=RECOMPUTE_KIND)


def _import(actor, capture, **options):
    with capture(execute=True):
        outcome = import_file(kind="accounts", path=SAMPLE, actor=actor, **options)
    assert outcome.ok, outcome.errors
    return outcome


def test_a_changing_import_queues_a_recompute(company, django_capture_on_commit_callbacks):
    _import(company["head"], django_capture_on_commit_callbacks)
    job = _recompute_jobs().get()
    assert job.status == Job.Status.QUEUED and job.created_by == company["head"]


def test_a_dry_run_queues_nothing(company, django_capture_on_commit_callbacks):
    _import(company["head"], django_capture_on_commit_callbacks, dry_run=True)
    assert not _recompute_jobs().exists()


def test_an_import_that_changes_nothing_queues_nothing(company, django_capture_on_commit_callbacks):
    _import(company["head"], django_capture_on_commit_callbacks)
    _recompute_jobs().update(status=Job.Status.SUCCEEDED)
    _import(company["head"], django_capture_on_commit_callbacks)
    assert _recompute_jobs().count() == 1


def test_a_burst_of_imports_shares_one_waiting_recompute(
    company, django_capture_on_commit_callbacks
):
    _import(company["head"], django_capture_on_commit_callbacks)
    _import(company["head"], django_capture_on_commit_callbacks, source="other-erp")
    assert _recompute_jobs().count() == 1
