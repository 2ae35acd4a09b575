from django.urls import path

from openkam.workspace.views import brief, competitors, timeline

app_name = "workspace"

urlpatterns = [
    path("accounts/<int:pk>/timeline/", timeline.timeline, name="timeline"),
    path("accounts/<int:pk>/brief/", brief.brief, name="brief"),
    path("accounts/<int:pk>/competitors/", competitors.competitors, name="competitors"),
    path("competitors/at/<int:pk>/edit/", competitors.competitor_edit, name="competitor_edit"),
    path(
        "competitors/at/<int:pk>/remove/",
        competitors.competitor_remove,
        name="competitor_remove",
    ),
]
