from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from openkam.api import api

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("import/", include("openkam.ingest.urls")),
    path("me/", include("openkam.users.urls")),
    path("portfolio/", include("openkam.portfolio.urls")),
    path("", include("openkam.portfolio.review_urls")),
    path("", include("openkam.plans.urls")),
    path("", include("openkam.stakeholders.urls")),
    path("", include("openkam.activities.urls")),
    path("", include("openkam.workspace.urls")),
    path("", include("openkam.web.urls")),
]
