"""Contract pages at /contracts/; an account's contracts at /accounts/<id>/contracts/."""

from django.urls import path

from openkam.contracts.views import contract, files, lists

app_name = "contracts"

urlpatterns = [
    path("", lists.contract_list, name="list"),
    path("<id:pk>/", contract.contract_detail, name="detail"),
    path("<id:pk>/edit/", contract.contract_edit, name="edit"),
    path("<id:pk>/files/", files.file_upload, name="file_upload"),
    path("files/<id:pk>/", files.file_download, name="file_download"),
    path("files/<id:pk>/delete/", files.file_delete, name="file_delete"),
]

# Mounted at /accounts/<pk>/contracts/ in the namespace "account_contracts".
account_urlpatterns = [
    path("", lists.account_contracts, name="list"),
    path("new/", contract.contract_create, name="create"),
]
