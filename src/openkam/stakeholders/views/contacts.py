"""Adding and editing an account's contacts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core.navigation import return_url
from openkam.stakeholders import services
from openkam.stakeholders.forms import ContactForm
from openkam.stakeholders.models import Contact


@login_required
def contact_create(request, pk: int):
    account = access.editable_or_404(Account, request.user, pk=pk)
    back = return_url(request, reverse("accounts:detail", args=[account.pk]))
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_create(actor=request.user, account=account, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Contact added."))
            return redirect(back)
    context = {"nav": "accounts", "account": account, "form": form, "contact": None, "back": back}
    return render(request, "stakeholders/contact_form.html", context)


@login_required
def contact_edit(request, pk: int):
    contact = access.editable_or_404(Contact.objects.select_related("account"), request.user, pk=pk)
    back = return_url(request, reverse("accounts:detail", args=[contact.account_id]))
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
            return redirect(back)
    context = {
        "nav": "accounts",
        "account": contact.account,
        "form": form,
        "contact": contact,
        "back": back,
    }
    return render(request, "stakeholders/contact_form.html", context)
