from django.urls import path

from openkam.ingest import views

app_name = "ingest"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("map/<str:token>/", views.map_columns, name="map"),
    path("mappings/<id:pk>/forget/", views.forget_mapping, name="forget_mapping"),
    path("jobs/<id:pk>/", views.job, name="job"),
    path("jobs/<id:pk>/progress/", views.job_progress, name="job_progress"),
]
