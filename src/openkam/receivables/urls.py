"""Receivables pages: across accounts at /receivables/, one account's at
/accounts/<id>/receivables/ (namespace "account_receivables")."""

from django.urls import path

from openkam.receivables.views import account, lists

app_name = "receivables"

urlpatterns = [
    path("", lists.finance_view, name="list"),
    path("worklist/", lists.worklist_view, name="worklist"),
    path("refresh/", lists.refresh_view, name="refresh"),
]

account_urlpatterns = [
    path("", account.account_view, name="account"),
    path("promises/", account.promise_create, name="promise_create"),
    path("promises/<id:promise_id>/withdraw/", account.promise_withdraw, name="promise_withdraw"),
    path("steps/", account.step_create, name="step_create"),
    path("invoices/<id:invoice_id>/dispute/", account.dispute_open, name="dispute_open"),
    path("disputes/<id:dispute_id>/resolve/", account.dispute_resolve, name="dispute_resolve"),
    path("payments/<id:payment_id>/split/", account.payment_split, name="payment_split"),
]
