from django.urls import path

from openkam.ingest import views

app_name = "ingest"
urlpatterns = [
    path("", views.upload, name="upload"),
]
