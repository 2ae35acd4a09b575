"""Pages of the stakeholder map: the map of an account, one person, and vCards."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from openkam.accounts import access
from openkam.accounts.models import Account
from openkam.core import bounds
from openkam.stakeholders import layout, selectors, services, vcard
from openkam.stakeholders.coverage import coverage_alerts
from openkam.stakeholders.forms import AttitudeForm, LinkForm, RolesForm, VCardImportForm
from openkam.stakeholders.models import Contact, ContactLink
from openkam.users import permissions


def _people():
    return Contact.objects.select_related("account", "relationship_owner")


@login_required
def account_map(request, pk: int):
    account = access.visible_or_404(Account, request.user, pk=pk)
    today = permissions.today()
    stake_map = selectors.stakeholder_map(user=request.user, account=account)
    context = {
        "nav": "accounts",
        "account": account,
        "map": stake_map,
        # The table leads with the people who weigh most.
        "people": sorted(stake_map.contacts, key=lambda c: -(c.influence or 0)),
        "graph": layout.graph_data(stake_map, today=today),
        "org": layout.org_chart(stake_map),
        "alerts": coverage_alerts(user=request.user, today=today, accounts=[account]),
        "today": today,
        "may_edit": permissions.can_edit_account_work(request.user),
        "import_form": VCardImportForm(),
    }
    return render(request, "stakeholders/map.html", context)


def _person_context(request, contact: Contact, **forms) -> dict:
    user = request.user
    may_edit = permissions.can_edit_account_work(user)
    stake_map = selectors.stakeholder_map(user=user, account=contact.account)
    mine = [link for link in stake_map.links if contact.pk in (link.source_id, link.target_id)]
    return {
        "nav": "accounts",
        "account": contact.account,
        "contact": contact,
        "last_contact_on": selectors.contact_last_contact_on(user=user, contact=contact),
        "history": selectors.attitude_history(user=user, contact=contact),
        "gaps": [
            alert
            for alert in coverage_alerts(
                user=user, today=permissions.today(), accounts=[contact.account]
            )
            if alert.contact is not None and alert.contact.pk == contact.pk
        ],
        "links": mine,
        "may_edit": may_edit,
        "attitude_form": forms.get("attitude_form")
        or AttitudeForm(initial={"attitude": contact.attitude}),
        "roles_form": forms.get("roles_form") or RolesForm(initial=RolesForm.initial_for(contact)),
        "link_form": forms.get("link_form")
        or LinkForm(candidates=selectors.link_candidates(user=user, contact=contact)),
    }


@login_required
def person(request, pk: int):
    contact = access.visible_or_404(_people(), request.user, pk=pk)
    return render(request, "stakeholders/person.html", _person_context(request, contact))


@login_required
@require_POST
def attitude_set(request, pk: int):
    contact = access.editable_or_404(_people(), request.user, pk=pk)
    form = AttitudeForm(request.POST)
    if form.is_valid():
        services.attitude_set(actor=request.user, contact=contact, **form.cleaned_data)
        messages.success(request, _("Attitude recorded."))
        return redirect("stakeholders:person", pk=contact.pk)
    context = _person_context(request, contact, attitude_form=form)
    return render(request, "stakeholders/person.html", context, status=422)


@login_required
@require_POST
def roles_edit(request, pk: int):
    contact = access.editable_or_404(_people(), request.user, pk=pk)
    form = RolesForm(request.POST)
    if form.is_valid():
        try:
            services.contact_update(actor=request.user, contact=contact, **form.cleaned_data)
        except ValidationError as error:
            contact.refresh_from_db()
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("Role saved."))
            return redirect("stakeholders:person", pk=contact.pk)
    context = _person_context(request, contact, roles_form=form)
    return render(request, "stakeholders/person.html", context, status=422)


@login_required
@require_POST
def link_create(request, pk: int):
    contact = access.editable_or_404(_people(), request.user, pk=pk)
    candidates = selectors.link_candidates(user=request.user, contact=contact)
    form = LinkForm(request.POST, candidates=candidates)
    if form.is_valid():
        source, target = form.ends(contact)
        try:
            services.contact_link_create(
                actor=request.user,
                source=source,
                target=target,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Link added."))
            return redirect("stakeholders:person", pk=contact.pk)
    context = _person_context(request, contact, link_form=form)
    return render(request, "stakeholders/person.html", context, status=422)


@login_required
@require_POST
def link_delete(request, pk: int):
    visible = Contact.objects.visible_to(request.user)
    links = ContactLink.objects.filter(target__in=visible).select_related("source__account")
    link = access.editable_or_404(links, request.user, pk=pk)
    back = bounds.id_or_none(request.POST.get("contact"))
    services.contact_link_delete(actor=request.user, link=link)
    messages.success(request, _("Link removed."))
    if back in (link.source_id, link.target_id):
        return redirect("stakeholders:person", pk=back)
    return redirect("account_stakeholders:map", pk=link.source.account_id)


# --- vCards --------------------------------------------------------------------------------


def _vcf_response(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(name) or "contacts"}.vcf"'
    return response


@login_required
def account_vcards(request, pk: int):
    account = access.visible_or_404(Account, request.user, pk=pk)
    contacts = selectors.contact_list(user=request.user, account_id=account.pk)
    return _vcf_response(vcard.export_vcards(contacts, account_name=account.name), account.name)


@login_required
def contact_vcard(request, pk: int):
    contact = access.visible_or_404(_people(), request.user, pk=pk)
    return _vcf_response(vcard.export_vcards([contact]), str(contact))


@login_required
def vcard_import(request, pk: int):
    account = access.editable_or_404(Account, request.user, pk=pk)
    form = (
        VCardImportForm(request.POST, request.FILES)
        if request.method == "POST"
        else VCardImportForm()
    )
    errors: list[vcard.CardError] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = vcard.import_vcards(
                actor=request.user,
                account=account,
                data=form.cleaned_data["file"].read(vcard.MAX_BYTES + 1),
            )
        except vcard.VCardImportError as error:
            errors = error.errors
        else:
            messages.success(request, _import_summary(result))
            return redirect("account_stakeholders:map", pk=account.pk)
    context = {"nav": "accounts", "account": account, "form": form, "errors": errors}
    status = 422 if errors or form.errors else 200
    return render(request, "stakeholders/import.html", context, status=status)


def _import_summary(result: vcard.ImportResult) -> str:
    created = ngettext("%(count)d person added", "%(count)d people added", len(result.created)) % {
        "count": len(result.created)
    }
    updated = ngettext(
        "%(count)d person updated", "%(count)d people updated", len(result.updated)
    ) % {"count": len(result.updated)}
    return f"{created}, {updated}."
