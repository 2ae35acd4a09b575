"""One activity: its page, edit, log outcome, cancel, and its .ics file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openkam.accounts import access
from openkam.activities import selectors, services
from openkam.activities.forms import ActivityForm, CancelForm, CompleteForm
from openkam.activities.models import Activity, ActivityKind, ActivityStatus
from openkam.users import permissions


def _details(user):
    """Activities with their account, owner, the people `user` may see and plan action,
    for the gate."""
    return selectors.with_details(Activity.objects.select_related("plan_action"), user=user)


def _detail(request, activity, *, complete_form=None, cancel_form=None, status=200):
    may_edit = permissions.can_edit_account_work(request.user)
    context = {
        "nav": "planner",
        "activity": activity,
        "account": activity.account,
        "may_edit": may_edit,
        "is_planned": activity.status == ActivityStatus.PLANNED,
        # Logging its outcome moves it to now (see services.activity_complete): say so.
        "is_later": activity.status == ActivityStatus.PLANNED
        and activity.kind != ActivityKind.TASK
        and activity.starts_at > timezone.now(),
        "complete_form": complete_form
        or CompleteForm(initial={"outcome": activity.outcome, "next_steps": activity.next_steps}),
        "cancel_form": cancel_form or CancelForm(),
    }
    return render(request, "activities/detail.html", context, status=status)


@login_required
def activity_detail(request, pk: int):
    return _detail(request, access.visible_or_404(_details(request.user), request.user, pk=pk))


@login_required
def activity_edit(request, pk: int):
    user = request.user
    activity = access.editable_or_404(_details(user), user, pk=pk)
    form = ActivityForm(
        request.POST or None,
        user=user,
        account=activity.account,
        fixed_account=True,
        initial=ActivityForm.initial_for(activity),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        contacts = data.pop("contacts")
        try:
            services.activity_update(actor=user, activity=activity, contacts=contacts, **data)
        except ValidationError as error:
            form.add_service_error(error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Activity saved."))
            return redirect("activities:detail", pk=activity.pk)
    context = {"nav": "planner", "form": form, "activity": activity, "account": activity.account}
    return render(request, "activities/form.html", context)


@login_required
@require_POST
def activity_complete(request, pk: int):
    """Log the outcome; with a follow-up subject and time, plan the next activity too."""
    user = request.user
    activity = access.editable_or_404(_details(user), user, pk=pk)
    form = CompleteForm(request.POST)
    planned_for = activity.starts_at
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.activity_complete(
                    actor=user,
                    activity=activity,
                    outcome=data["outcome"],
                    next_steps=data["next_steps"],
                )
                follow_up = None
                if data["follow_up_subject"]:
                    follow_up = services.activity_follow_up_create(
                        actor=user,
                        activity=activity,
                        subject=data["follow_up_subject"],
                        kind=data["follow_up_kind"],
                        starts_at=data["follow_up_starts_at"],
                    )
        except ValidationError as error:
            form.add_service_error(error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Outcome logged."))
            if activity.starts_at != planned_for:
                when = date_format(timezone.localtime(planned_for), "Y-m-d H:i")
                messages.info(
                    request,
                    _("It was planned for %(when)s: it is now dated when its outcome was logged.")
                    % {"when": when},
                )
            if follow_up is not None:
                messages.success(request, _("Follow-up planned."))
            return redirect("activities:detail", pk=activity.pk)
    activity = access.visible_or_404(_details(user), user, pk=pk)
    return _detail(request, activity, complete_form=form, status=422)


@login_required
@require_POST
def activity_cancel(request, pk: int):
    user = request.user
    activity = access.editable_or_404(_details(user), user, pk=pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.activity_cancel(
                actor=user, activity=activity, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Activity cancelled."))
    return redirect("activities:detail", pk=activity.pk)


@login_required
def activity_ics(request, pk: int):
    """The one meeting as an .ics file to add to any calendar."""
    activity = access.visible_or_404(_details(request.user), request.user, pk=pk)
    from openkam.activities import ical  # icalendar is heavy to import: only for .ics answers

    body = ical.calendar_bytes(
        [activity],
        method="PUBLISH",
        url_for=lambda a: request.build_absolute_uri(reverse("activities:detail", args=[a.pk])),
    )
    response = HttpResponse(body, content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="activity-{activity.pk}.ics"'
    return response
