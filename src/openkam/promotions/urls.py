"""Promotion pages at /promotions/; one account's at /accounts/<id>/promotions/ (namespace
"account_promotions")."""

from django.urls import path

from openkam.promotions import views

app_name = "promotions"

urlpatterns = [
    path("", views.promotion_list, name="list"),
    path("new/", views.promotion_create, name="create"),
    path("<id:pk>/", views.promotion_detail, name="detail"),
    path("<id:pk>/edit/", views.promotion_edit, name="edit"),
    path("<id:pk>/export.xlsx", views.promotion_export, name="export"),
]

account_urlpatterns = [
    path("", views.account_promotions, name="list"),
]
