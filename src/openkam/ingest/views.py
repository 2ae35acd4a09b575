"""The upload page and the job page that polls the import's progress."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import FileSystemStorage
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openkam.accounts import access
from openkam.core import bounds
from openkam.core.jobs import job_create
from openkam.core.models import Job
from openkam.ingest import columns as cols
from openkam.ingest import defaults, file_preview, mappings
from openkam.ingest.errors import RowError
from openkam.ingest.forms import KIND_CHOICES, MappingForm, SourceDefaultsForm, UploadForm
from openkam.ingest.jobs import IMPORT_KIND, import_title
from openkam.ingest.models import ColumnMapping, ImportBatch, SourceDefaults
from openkam.users import permissions

UPLOAD_DIR = "imports"
PENDING = "pending_imports"  # session key: uploads waiting for their column mapping
SAVE_DEFAULTS = "save_defaults"  # the submit button of the source defaults form


def _require_import(user) -> None:
    if not permissions.can_import(user):
        raise Http404


@login_required
def upload(request):
    _require_import(request.user)
    if request.method == "POST" and SAVE_DEFAULTS in request.POST:
        return _save_source_defaults(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        params = _store_upload(form.cleaned_data)
        preview = file_preview.read(params)
        if preview is not None and preview.problem is not None:
            # Headers we do not know: ask which column each one is before importing.
            token = uuid.uuid4().hex
            request.session.setdefault(PENDING, {})[token] = params
            request.session.modified = True
            return redirect("ingest:map", token=token)
        job = _start_job(request.user, params, remember=form.cleaned_data["remember"])
        return redirect("ingest:job", pk=job.pk)
    return _upload_page(request, form, SourceDefaultsForm())


def _upload_page(request, form: UploadForm, defaults_form: SourceDefaultsForm):
    context = {
        "nav": "import",
        "form": form,
        "defaults_form": defaults_form,
        # Each column with how it is required ("required: this or account_tax_id").
        "columns": [
            (label, [(column, cols.required_note(kind, column)) for column in cols.COLUMNS[kind]])
            for kind, label in KIND_CHOICES
        ],
        "batches": ImportBatch.objects.select_related("created_by")[:10],
        "saved_mappings": ColumnMapping.objects.select_related("updated_by"),
        "source_defaults": SourceDefaults.objects.select_related("updated_by"),
    }
    return render(request, "ingest/upload.html", context)


def _save_source_defaults(request):
    """Set (or, with every field empty, clear) the defaults of a source system. Posted to
    the upload page itself: its own form there, behind the same permission."""
    form = SourceDefaultsForm(request.POST)
    if not form.is_valid():
        return _upload_page(request, UploadForm(), form)
    data = form.cleaned_data
    defaults.save_defaults(
        source=data["source"], country=data["country"], currency=data["currency"],
        date_order=data["date_order"], actor=request.user, via="web",
    )  # fmt: skip
    messages.success(
        request, _("Defaults of source “%(source)s” saved.") % {"source": data["source"]}
    )
    return redirect("ingest:upload")


@login_required
def map_columns(request, token: str):
    """Which of our columns each header of the uploaded file is (and remember it)."""
    _require_import(request.user)
    params = request.session.get(PENDING, {}).get(token)
    if params is None:
        raise Http404
    preview = file_preview.read(params)
    if preview is None:  # the file cannot be read: the import will say why
        return redirect("ingest:job", pk=_start_job(request.user, _pop(request, token)).pk)
    form = MappingForm(
        request.POST or None, kind=params["kind"], header=preview.header,
        mapping=mappings.effective_mapping(params["source"], params["kind"], params["mapping"]),
    )  # fmt: skip
    if request.method == "POST" and "cancel" in request.POST:
        _discard_upload(_pop(request, token))
        return redirect("ingest:upload")
    if request.method == "POST" and form.is_valid():
        params = {**_pop(request, token), "mapping": form.cleaned_data["mapping"]}
        job = _start_job(request.user, params, remember=form.cleaned_data["remember"])
        return redirect("ingest:job", pk=job.pk)
    rows = [
        (field, preview.samples(int(field.name[4:]))) for field in form if field.name != "remember"
    ]
    context = {
        "nav": "import",
        "form": form,
        "rows": rows,
        "params": params,
        "preview": preview,
        # A header the page lists needs no words; a missing column does.
        "problems": [
            problem.detail for problem in preview.problems if problem.column not in preview.header
        ],
        "kind_label": dict(KIND_CHOICES).get(params["kind"]),
    }
    return render(request, "ingest/map.html", context)


def _store_upload(data: dict) -> dict:
    """Keep the uploaded file for the worker; the import's parameters."""
    upload = data["file"]
    name = bounds.stored_file_name(upload.name, prefix=f"{uuid.uuid4().hex}-")
    storage = FileSystemStorage(location=Path(settings.MEDIA_ROOT) / UPLOAD_DIR)
    stored = storage.save(get_valid_filename(name), upload)
    return {
        "kind": data["kind"],
        "path": f"{UPLOAD_DIR}/{stored}",
        "file_name": upload.name,
        "dry_run": data["dry_run"],
        "source": data["source"],
        "encoding": data["encoding"],
        "delimiter": data["delimiter"],
        "mapping": data["mapping"],
        # The worker reports the errors in the language of the page they were sent from.
        "language": translation.get_language(),
    }


def _start_job(user, params: dict, remember: bool = False) -> Job:
    if remember and params["mapping"]:
        mappings.save_mapping(
            source=params["source"], kind=params["kind"], mapping=params["mapping"], actor=user
        )
    return job_create(
        kind=IMPORT_KIND, created_by=user, params=params, title=import_title(params)[:200]
    )


def _pop(request, token: str) -> dict:
    pending = request.session.get(PENDING, {})
    params = pending.pop(token)
    request.session.modified = True
    return params


def _discard_upload(params: dict) -> None:
    (Path(settings.MEDIA_ROOT) / params["path"]).unlink(missing_ok=True)


@login_required
@require_POST
def forget_mapping(request, pk: int):
    _require_import(request.user)
    mappings.forget_mapping(pk=pk, actor=request.user)
    return redirect("ingest:upload")


def _import_job(request, pk: int) -> Job:
    _require_import(request.user)
    return access.one_or_404(Job.objects.filter(kind="import"), pk=pk)


def _job_context(job: Job) -> dict:
    result = job.result or {}
    errors = [RowError(**error) for error in result.get("errors", [])]
    return {
        "nav": "import",
        "job": job,
        "title": import_title(job.params or {}),
        "errors": errors,
        "outcome": _outcome_status(job),
    }


def _outcome_status(job: Job) -> tuple[str, str | Promise] | None:
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
