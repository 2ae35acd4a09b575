"""Order pages: /orders/ and /orders/<id>/..., one account's at /accounts/<id>/orders/
(namespace "account_orders")."""

from django.urls import path

from openkam.sales import views

app_name = "sales"

urlpatterns = [
    path("", views.list_view, name="list"),
    path("<id:order_id>/", views.detail, name="detail"),
    path("<id:order_id>/change/", views.order_change, name="change"),
    path("<id:order_id>/copy/", views.order_copy, name="copy"),
    path("<id:order_id>/close/", views.order_close, name="close"),
    path("<id:order_id>/reopen/", views.order_reopen, name="reopen"),
    path("<id:order_id>/recheck/", views.order_recheck, name="recheck"),
    path("<id:order_id>/exception/", views.order_ask_exception, name="ask_exception"),
]

account_urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.order_create, name="create"),
]
