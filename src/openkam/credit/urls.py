"""Credit pages: the desk and exceptions at /credit/, one account's credit at
/accounts/<id>/credit/ (namespace "account_credit")."""

from django.urls import path

from openkam.credit import views

app_name = "credit"

urlpatterns = [
    path("", views.desk_view, name="desk"),
    path("exceptions/<id:exception_id>/", views.exception_view, name="exception"),
    path("exceptions/<id:exception_id>/decide/", views.exception_decide, name="exception_decide"),
    path(
        "exceptions/<id:exception_id>/withdraw/",
        views.exception_withdraw,
        name="exception_withdraw",
    ),
]

account_urlpatterns = [
    path("", views.account_view, name="account"),
    path("limits/", views.limit_create, name="limit_create"),
    path("checks/", views.check_create, name="check_create"),
]
