"""Ledger pages, mounted at /ledger/."""

from django.urls import path

from openkam.ledger import views

app_name = "ledger"
urlpatterns = [
    path("invoices/<id:pk>/", views.invoice_detail, name="invoice_detail"),
]
