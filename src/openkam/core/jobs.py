"""Job rows for long work: created on request, run by the worker, polled by pages.

The queue itself is django-tasks with its database backend; a Job row is our record of
one piece of work, with progress and a log the pages and the terminal can show.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from openkam.core.models import Job

# kind -> dotted path of a function(job: Job, reporter: JobReporter) -> dict; each app
# registers its own kinds in its AppConfig.ready(), so core names no app.
JOB_RUNNERS: dict[str, str] = {}
# kind -> fn(params) -> the job's title in the active language. A job's stored title is
# in the language of whoever started it; lists show this one to each reader.
JOB_TITLES: dict[str, Callable[[dict], str]] = {}


def register_job_runner(
    kind: str, dotted_path: str, title: Callable[[dict], str] | None = None
) -> None:
    """Let an app add a kind of job: `dotted_path` names fn(job, reporter) -> dict, and
    `title` tells a job of this kind in the reader's language from its params."""
    JOB_RUNNERS[kind] = dotted_path
    if title is not None:
        JOB_TITLES[kind] = title


def job_title(job: Job) -> str:
    """The job's title in the reader's language, if its kind can tell it; else as stored."""
    describe = JOB_TITLES.get(job.kind)
    if describe is not None and job.params:
        return describe(job.params)
    return job.title or job.kind


class JobReporter:
    """Writes progress to the job row, at most every `every` items to spare the database."""

    def __init__(self, job: Job, every: int = 5000):
        self.job = job
        self.every = every
        self._last = 0

    def total(self, total: int) -> None:
        Job.objects.filter(pk=self.job.pk).update(total=total)
        self.job.total = total

    def advance(self, done: int, message: str = "") -> None:
        self.job.done = done
        if done - self._last >= self.every or done >= self.job.total:
            self._last = done
            fields: dict[str, Any] = {"done": done}
            if message:
                fields["message"] = message[:500]
            Job.objects.filter(pk=self.job.pk).update(**fields)

    def log(self, line: str) -> None:
        self.job.log = (self.job.log + line.rstrip() + "\n")[-200_000:]
        Job.objects.filter(pk=self.job.pk).update(log=self.job.log)


def job_create(*, kind: str, created_by, params: dict, title: str = "") -> Job:
    """Record a job and queue it once the surrounding transaction commits."""
    if kind not in JOB_RUNNERS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job.objects.create(kind=kind, title=title, created_by=created_by, params=params)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    result = run_job.enqueue(job_id)
    Job.objects.filter(pk=job_id).update(task_result_id=str(result.id))


def _runner(kind: str) -> Callable[[Job, JobReporter], dict]:
    from django.utils.module_loading import import_string

    return import_string(JOB_RUNNERS[kind])


def execute_job(job_id: int) -> Job:
    """Run a queued job in this process (the worker calls this through `run_job`)."""
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    reporter = JobReporter(job)
    try:
        result = _runner(job.kind)(job, reporter)
    except Exception as exc:  # the job row must say what went wrong, whatever it was
        reporter.log(traceback.format_exc())
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, message=str(exc)[:500], finished_at=timezone.now()
        )
    else:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.SUCCEEDED,
            result=result or {},
            done=max(job.done, job.total),
            finished_at=timezone.now(),
        )
    job.refresh_from_db()
    return job


@task()
def run_job(job_id: int) -> None:
    execute_job(job_id)
