"""Adding and editing an account's contacts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.stakeholders import services
from openkam.stakeholders.forms import ContactForm
from openkam.stakeholders.models import Contact


@login_required
def contact_create(request, pk: int):
    account = access.editable_or_404(Account, request.user, pk=pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_create(actor=request.user, account=account, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Contact added."))
            return redirect("accounts:detail", pk=account.pk)
    context = {"nav": "accounts", "account": account, "form": form, "contact": None}
    return render(request, "stakeholders/contact_form.html", context)


@login_required
def contact_edit(request, pk: int):
    contact = access.editable_or_404(Contact.objects.select_related("account"), request.user, pk=pk)
    form = ContactForm(
        request.POST or None, initial=ContactForm.initial_for(contact), with_archive=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(actor=request.user, contact=contact, **form.cleaned_data)
        except ValidationError as error:
            contact.refresh_from_db()
            form.add_service_error(error)
        else:
            messages.success(request, _("Contact saved."))
            return redirect("accounts:detail", pk=contact.account_id)
    context = {"nav": "accounts", "account": contact.account, "form": form, "contact": contact}
    return render(request, "stakeholders/contact_form.html", context)
