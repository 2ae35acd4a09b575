"""Opportunity pages: /pipeline/ (namespace "pipeline"), /opportunities/<id>/ (namespace
"opportunities"), one account's at /accounts/<id>/opportunities/ (namespace
"account_opportunities")."""

from django.urls import path

from openkam.opportunities import views

app_name = "opportunities"

urlpatterns = [
    path("<id:opportunity_id>/", views.detail, name="detail"),
    path("<id:opportunity_id>/edit/", views.edit, name="edit"),
    path("<id:opportunity_id>/move/", views.move, name="move"),
]

pipeline_urlpatterns = [
    path("", views.board, name="board"),
    path("list/", views.list_view, name="list"),
]

account_urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.create, name="create"),
    path("whitespace/", views.whitespace, name="whitespace"),
    path("whitespace/new/", views.create_from_cell, name="create_from_cell"),
]
