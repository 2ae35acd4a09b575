"""Account pages, mounted at /accounts/."""

from django.urls import path

from openkam.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("<id:pk>/", views.account_detail, name="detail"),
    path("<id:pk>/edit/", views.account_edit, name="edit"),
]
