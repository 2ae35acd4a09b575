from django.urls import path

from openkam.portfolio import views

app_name = "portfolio"
urlpatterns = [
    path("", views.analysis, name="analysis"),
    path("accounts/", views.accounts, name="accounts"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("recompute/", views.recompute, name="recompute"),
    path("recompute/progress/", views.recompute_progress, name="recompute_progress"),
    path("settings/", views.analysis_settings, name="settings"),
    path("models/", views.model_list, name="model_list"),
    path("models/new/", views.model_create, name="model_create"),
    path("models/<id:pk>/", views.model_edit, name="model_edit"),
    path("scores/<id:pk>/", views.manual_score, name="manual_score"),
]
