"""The upload page and the job page that polls the import's progress."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.storage import FileSystemStorage
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from openkam.core.jobs import job_create
from openkam.core.models import Job
from openkam.ingest import columns as cols
from openkam.ingest.errors import RowError
from openkam.ingest.forms import KIND_CHOICES, UploadForm
from openkam.ingest.models import ImportBatch
from openkam.users import permissions

UPLOAD_DIR = "imports"


def _require_import(user) -> None:
    if not permissions.can_import(user):
        raise Http404


@login_required
def upload(request):
    _require_import(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = _start_job(request.user, form.cleaned_data)
        return redirect("ingest:job", pk=job.pk)
    context = {
        "nav": "import",
        "form": form,
        "columns": [(label, cols.COLUMNS[kind]) for kind, label in KIND_CHOICES],
        "batches": ImportBatch.objects.select_related("created_by")[:10],
    }
    return render(request, "ingest/upload.html", context)


def _start_job(user, data: dict) -> Job:
    upload = data["file"]
    name = get_valid_filename(Path(upload.name).name) or "upload"
    storage = FileSystemStorage(location=Path(settings.MEDIA_ROOT) / UPLOAD_DIR)
    stored = storage.save(f"{uuid.uuid4().hex}-{name}", upload)
    params = {
        "kind": data["kind"],
        "path": f"{UPLOAD_DIR}/{stored}",
        "file_name": upload.name,
        "dry_run": data["dry_run"],
        "source": data["source"],
        "encoding": data["encoding"],
        "delimiter": data["delimiter"],
        "mapping": data["mapping"],
    }
    return job_create(
        kind="import", created_by=user, params=params, title=_job_title(params)[:200]
    )


def _job_title(params: dict) -> str:
    """In the reader's language (the stored title is in the uploader's)."""
    kind = dict(KIND_CHOICES).get(params.get("kind"), params.get("kind"))
    return _("Import %(kind)s: %(file)s") % {"kind": kind, "file": params.get("file_name")}


def _import_job(request, pk: int) -> Job:
    _require_import(request.user)
    return get_object_or_404(Job, pk=pk, kind="import")


def _job_context(job: Job) -> dict:
    result = job.result or {}
    errors = [RowError(**error) for error in result.get("errors", [])]
    return {
        "nav": "import",
        "job": job,
        "title": _job_title(job.params or {}),
        "errors": errors,
        "outcome": _outcome_status(job),
    }


def _outcome_status(job: Job) -> tuple[str, str] | None:
    """(css status, label) of a finished import: the job ran, but was the file taken?"""
    result = job.result
    if job.status != Job.Status.SUCCEEDED or not result:
        return None
    if not result.get("ok"):
        return "failed", ImportBatch.Status.FAILED.label
    if result.get("dry_run"):
        return "succeeded", ImportBatch.Status.DRY_RUN.label
    return "succeeded", ImportBatch.Status.SUCCEEDED.label


@login_required
def job(request, pk: int):
    return render(request, "ingest/job.html", _job_context(_import_job(request, pk)))


@login_required
def job_progress(request, pk: int):
    return render(request, "ingest/_job_progress.html", _job_context(_import_job(request, pk)))
