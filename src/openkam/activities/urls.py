from django.urls import path

from openkam.activities.views import account, activity, calendar, planner

app_name = "activities"

urlpatterns = [
    path("planner/", planner.planner, name="planner"),
    path("planner/new/", planner.activity_create, name="create"),
    path("planner/account-fields/", planner.contact_options, name="account_fields"),
    path("activities/<int:pk>/", activity.activity_detail, name="detail"),
    path("activities/<int:pk>/edit/", activity.activity_edit, name="edit"),
    path("activities/<int:pk>/complete/", activity.activity_complete, name="complete"),
    path("activities/<int:pk>/cancel/", activity.activity_cancel, name="cancel"),
    path("activities/<int:pk>/meeting.ics", activity.activity_ics, name="ics"),
    path("accounts/<int:pk>/activities/", account.account_activities, name="account_activities"),
    path("me/calendar/", calendar.calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="feed"),
]
