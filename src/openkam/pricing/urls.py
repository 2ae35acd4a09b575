"""Pricing pages at /pricing/; an account's price check at /accounts/<id>/pricing/."""

from django.urls import path

from openkam.pricing.views import catalogue, check

app_name = "pricing"

urlpatterns = [
    path("", catalogue.price_list_list, name="list"),
    path("<id:pk>/", catalogue.price_list_detail, name="detail"),
    path("rules/", catalogue.discount_rule_list, name="rules"),
]

# Mounted at /accounts/<pk>/pricing/ in the namespace "account_pricing".
account_urlpatterns = [
    path("", check.price_check, name="check"),
]
