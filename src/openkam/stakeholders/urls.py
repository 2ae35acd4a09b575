from django.urls import path

from openkam.stakeholders import views

app_name = "stakeholders"

urlpatterns = [
    path("accounts/<int:pk>/stakeholders/", views.account_map, name="map"),
    path("accounts/<int:pk>/stakeholders/contacts.vcf", views.account_vcards, name="vcards"),
    path("accounts/<int:pk>/stakeholders/import/", views.vcard_import, name="vcard_import"),
    path("stakeholders/<int:pk>/", views.person, name="person"),
    path("stakeholders/<int:pk>/contact.vcf", views.contact_vcard, name="vcard"),
    path("stakeholders/<int:pk>/attitude/", views.attitude_set, name="attitude_set"),
    path("stakeholders/<int:pk>/roles/", views.roles_edit, name="roles_edit"),
    path("stakeholders/<int:pk>/links/", views.link_create, name="link_create"),
    path("stakeholders/links/<int:pk>/delete/", views.link_delete, name="link_delete"),
]
