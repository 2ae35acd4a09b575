from django.urls import path

from openkam.ingest import views

app_name = "ingest"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("map/<str:token>/", views.map_columns, name="map"),
    path("mappings/<int:pk>/forget/", views.forget_mapping, name="forget_mapping"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
]
