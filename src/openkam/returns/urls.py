"""Returns and refusals pages at /returns/ (namespace "returns"); the account page's
section rows at /accounts/<id>/returns/ (namespace "account_returns")."""

from django.urls import path

from openkam.returns import views

app_name = "returns"

urlpatterns = [
    path("", views.returns_page, name="analysis"),
    path("refusals/", views.refusals_page, name="refusals"),
]

account_urlpatterns = [
    path("", views.account_panel, name="panel"),
]
