"""Activities and the planner at /activities/; an account's activities at
/accounts/<id>/activities/."""

from django.urls import path

from openkam.activities.views import account, activity, calendar, planner

app_name = "activities"

urlpatterns = [
    path("planner/", planner.planner, name="planner"),
    path("planner/new/", planner.activity_create, name="create"),
    path("planner/account-fields/", planner.contact_options, name="account_fields"),
    path("calendar/", calendar.calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="feed"),
    path("<id:pk>/", activity.activity_detail, name="detail"),
    path("<id:pk>/edit/", activity.activity_edit, name="edit"),
    path("<id:pk>/complete/", activity.activity_complete, name="complete"),
    path("<id:pk>/cancel/", activity.activity_cancel, name="cancel"),
    path("<id:pk>/meeting.ics", activity.activity_ics, name="ics"),
]

# Mounted at /accounts/<pk>/activities/ in the namespace "account_activities".
account_urlpatterns = [
    path("", account.account_activities, name="list"),
]
