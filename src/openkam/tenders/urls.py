"""Tender pages: /tenders/ (namespace "tenders") and one account's at
/accounts/<id>/tenders/ (namespace "account_tenders")."""

from django.urls import path

from openkam.tenders import views

app_name = "tenders"

urlpatterns = [
    path("", views.list_view, name="list"),
    path("<id:tender_id>/", views.detail, name="detail"),
    path("<id:tender_id>/edit/", views.edit, name="edit"),
    path("<id:tender_id>/move/", views.move, name="move"),
    path("<id:tender_id>/documents/new/", views.document_add, name="document_add"),
    path(
        "<id:tender_id>/documents/<id:document_id>/toggle/",
        views.document_toggle,
        name="document_toggle",
    ),
]

account_urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.create, name="create"),
]
