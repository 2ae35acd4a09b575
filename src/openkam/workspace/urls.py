"""Workspace pages: an account's timeline, brief and competitors under /accounts/<id>/;
editing one competitor row at /workspace/."""

from django.urls import path

from openkam.workspace.views import brief, competitors, timeline

app_name = "workspace"

urlpatterns = [
    path("competitors/<id:pk>/edit/", competitors.competitor_edit, name="competitor_edit"),
    path("competitors/<id:pk>/remove/", competitors.competitor_remove, name="competitor_remove"),
]

# Mounted at /accounts/<pk>/ in the namespace "account_workspace".
account_urlpatterns = [
    path("timeline/", timeline.timeline, name="timeline"),
    path("brief/", brief.brief, name="brief"),
    path("competitors/", competitors.competitors, name="competitors"),
]
