"""Returns and refusals pages at /returns/ (namespace "returns")."""

from django.urls import path

from openkam.returns import views

app_name = "returns"

urlpatterns = [
    path("", views.returns_page, name="analysis"),
    path("refusals/", views.refusals_page, name="refusals"),
]
