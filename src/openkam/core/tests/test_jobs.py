"""Jobs: queued on commit, claimed by `kam worker`, progress and failure on the row."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from openkam.core import jobs
from openkam.core.models import Job


def counting_runner(job, reporter):
    reporter.total(job.params["n"])
    for done in range(1, job.params["n"] + 1):
        reporter.advance(done)
    reporter.log("counted")
    return {"counted": job.params["n"]}


def failing_runner(job, reporter):
    raise ValueError("line 3: bad date '31.02.2026'")


@pytest.fixture(autouse=True)
def _test_runners():
    jobs.register_job_runner("test-count", f"{__name__}.counting_runner")
    jobs.register_job_runner("test-fail", f"{__name__}.failing_runner")
    yield
    jobs.JOB_RUNNERS.pop("test-count")
    jobs.JOB_RUNNERS.pop("test-fail")


def test_worker_runs_a_queued_job_to_success(transactional_db):
    # Committed for real, as in production: the worker closes its connection when done,
    # which a test wrapped in one transaction could not survive.
    job = jobs.job_create(kind="test-count", created_by=None, params={"n": 12000})
    assert Job.objects.get(pk=job.pk).task_result_id
    call_command("worker", batch=True, interval=0.1)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total, job.percent) == (12000, 12000, 100)
    assert job.result == {"counted": 12000}
    assert "counted" in job.log


def test_failed_job_keeps_the_reason_and_traceback(db):
    job = Job.objects.create(kind="test-fail", params={})
    jobs.execute_job(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "line 3: bad date '31.02.2026'"
    assert "ValueError" in job.log


def test_unknown_job_kind_is_refused(db):
    with pytest.raises(ValueError):
        jobs.job_create(kind="nope", created_by=None, params={})
