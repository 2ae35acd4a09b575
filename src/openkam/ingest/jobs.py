"""Imports started from the page run in the worker as jobs (see core/jobs.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import translation

from openkam.ingest.services import import_file
from openkam.ingest.summary import summary_lines

IMPORT_KIND = "import"


def import_title(params: dict) -> str:
    """ "Import invoices: faktury.csv", in the reader's language."""
    from django.utils.translation import gettext as _

    from openkam.ingest.forms import KIND_CHOICES

    kind = dict(KIND_CHOICES).get(params.get("kind") or "", params.get("kind")) or "—"
    return _("Import %(kind)s: %(file)s") % {"kind": kind, "file": params.get("file_name") or "—"}


def run_import_job(job, reporter) -> dict:
    """Import the uploaded file named in `job.params`; the outcome becomes the job result."""
    params = job.params
    path = Path(settings.MEDIA_ROOT) / params["path"]

    def progress(done: int, total: int, unit: str) -> None:
        if reporter.job.total != total:
            reporter.total(total)
        reporter.advance(done)

    with translation.override(params.get("language") or settings.LANGUAGE_CODE):
        outcome = _run(job, params, path, progress)
        for line in summary_lines(outcome):
            reporter.log(line)
    return outcome.as_dict()


def _run(job, params: dict, path: Path, progress):
    try:
        return import_file(
            kind=params["kind"],
            path=path,
            actor=job.created_by,
            source=params.get("source") or "erp",
            dry_run=bool(params.get("dry_run")),
            encoding=params.get("encoding") or None,
            delimiter=params.get("delimiter") or None,
            mapping=params.get("mapping") or {},
            file_name=params.get("file_name"),
            progress=progress,
            job=job,
        )
    finally:
        # The rows are in the database (or rejected, with the errors on the batch):
        # the upload is not kept.
        path.unlink(missing_ok=True)
