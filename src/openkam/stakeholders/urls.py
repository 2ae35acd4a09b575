"""Stakeholder pages: people at /stakeholders/, an account's map at /accounts/<id>/stakeholders/."""

from django.urls import path

from openkam.stakeholders.views import contacts
from openkam.stakeholders.views import stakeholder_map as people

app_name = "stakeholders"

urlpatterns = [
    path("<id:pk>/", people.person, name="person"),
    path("<id:pk>/edit/", contacts.contact_edit, name="contact_edit"),
    path("<id:pk>/contact.vcf", people.contact_vcard, name="vcard"),
    path("<id:pk>/attitude/", people.attitude_set, name="attitude_set"),
    path("<id:pk>/roles/", people.roles_edit, name="roles_edit"),
    path("<id:pk>/links/", people.link_create, name="link_create"),
    path("links/<id:pk>/delete/", people.link_delete, name="link_delete"),
]

# Mounted at /accounts/<pk>/stakeholders/ in the namespace "account_stakeholders".
account_urlpatterns = [
    path("", people.account_map, name="map"),
    path("new/", contacts.contact_create, name="contact_create"),
    path("contacts.vcf", people.account_vcards, name="vcards"),
    path("import/", people.vcard_import, name="vcard_import"),
]
