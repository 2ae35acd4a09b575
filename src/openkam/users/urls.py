from django.urls import path

from openkam.users import views

app_name = "users"
urlpatterns = [
    path("deputies/", views.deputies, name="deputies"),
    path("deputies/<id:pk>/end/", views.deputy_end, name="deputy_end"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<id:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
