"""Proposal pages: /proposals/ (namespace "proposals"), one account's at
/accounts/<id>/proposals/ (namespace "account_proposals")."""

from django.urls import path

from openkam.proposals import views

app_name = "proposals"

urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("approvals/", views.approvals, name="approvals"),
    path("new/<id:opportunity_id>/", views.create, name="create"),
    path("<id:proposal_id>/", views.detail, name="detail"),
    path("<id:proposal_id>/header/", views.header, name="header"),
    path("<id:proposal_id>/lines/", views.line_add, name="line_add"),
    path("<id:proposal_id>/lines/<id:line_id>/", views.line_change, name="line_change"),
    path("<id:proposal_id>/lines/<id:line_id>/remove/", views.line_remove, name="line_remove"),
    path("<id:proposal_id>/submit/", views.submit, name="submit"),
    path("<id:proposal_id>/send/", views.send, name="send"),
    path("<id:proposal_id>/accept/", views.accept, name="accept"),
    path("<id:proposal_id>/customer-reject/", views.customer_reject, name="customer_reject"),
    path("<id:proposal_id>/revise/", views.revise, name="revise"),
    path("<id:proposal_id>/approvals/<id:request_id>/", views.decide, name="decide"),
    path("<id:proposal_id>/pdf/", views.pdf, name="pdf"),
]

account_urlpatterns = [
    path("", views.account_list, name="list"),
]
