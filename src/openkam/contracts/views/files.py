"""A contract's files: upload, download (through the contract's visibility), removal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openkam.accounts import access
from openkam.contracts import services
from openkam.contracts.forms import ContractFileForm
from openkam.contracts.models import ContractFile
from openkam.contracts.views.contract import contracts, detail_context


@login_required
@require_POST
def file_upload(request, pk: int):
    user = request.user
    contract = access.editable_or_404(contracts(), user, pk=pk)
    form = ContractFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.contract_file_add(
                actor=user, contract=contract, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            messages.success(request, _("File attached."))
            return redirect("contracts:detail", pk=contract.pk)
    context = detail_context(request, contract, file_form=form)
    return render(request, "contracts/detail.html", context, status=422)


def _files():
    return ContractFile.objects.select_related("contract__account")


@login_required
def file_download(request, pk: int):
    """The file as an attachment (never shown inline: it may be anything), to those who
    see the contract; a file missing from the disk answers as a missing record."""
    record = access.visible_or_404(_files(), request.user, pk=pk)
    try:
        handle = record.file.open("rb")
    except (OSError, ValueError):
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=record.name,
        content_type="application/octet-stream",
    )


@login_required
@require_POST
def file_delete(request, pk: int):
    record = access.editable_or_404(_files(), request.user, pk=pk)
    contract_pk = record.contract_id
    services.contract_file_delete(actor=request.user, record=record)
    messages.success(request, _("File removed."))
    return redirect("contracts:detail", pk=contract_pk)
