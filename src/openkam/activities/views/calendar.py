"""The calendar subscription: the settings page and the feed calendar programs fetch."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from openkam.activities import feeds


@login_required
def calendar_settings(request):
    """Make, reset or stop the feed. The address is shown once, right after it is made."""
    user = request.user
    feed_url = None
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            feeds.calendar_feed_delete(user=user)
            messages.success(request, _("Calendar address switched off."))
            return redirect("activities:calendar_settings")
        token = feeds.calendar_feed_reset(user=user)
        feed_url = request.build_absolute_uri(reverse("activities:feed", args=[token]))
    context = {
        "nav": "calendar",
        "feed": feeds.feed_of(user),
        "feed_url": feed_url,
        "days_back": feeds.FEED_DAYS_BACK,
    }
    return render(request, "activities/calendar_settings.html", context)


@never_cache
def calendar_feed(request, token: str):
    """No login: the secret address is the key. Any wrong token is a plain 404."""
    user = feeds.user_for_feed_token(token)
    if user is None:
        raise Http404
    from openkam.activities import ical  # icalendar is heavy to import: only for .ics answers
    from openkam.contracts.ical import contract_events

    body = ical.calendar_bytes(
        feeds.feed_activities(user=user),
        name=_("OpenKAM: %(name)s") % {"name": user.get_full_name() or user.username},
        url_for=lambda a: request.build_absolute_uri(reverse("activities:detail", args=[a.pk])),
        extra_events=contract_events(
            user=user,
            url_for=lambda c: request.build_absolute_uri(reverse("contracts:detail", args=[c.pk])),
        ),
    )
    response = HttpResponse(body, content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="openkam.ics"'
    return response
