"""Account plans at /plans/; an account's plans at /accounts/<id>/plans/."""

from django.urls import path

from openkam.plans.views import detail, export, items, lists, plan_templates

app_name = "plans"

urlpatterns = [
    path("", lists.plan_list, name="list"),
    path("templates/", plan_templates.template_list, name="templates"),
    path("templates/new/", plan_templates.template_create, name="template_create"),
    path("templates/<id:pk>/", plan_templates.template_edit, name="template_edit"),
    path("<id:pk>/", detail.plan_detail, name="detail"),
    path("<id:pk>/edit/", detail.plan_edit, name="edit"),
    path("<id:pk>/sections/<slug:section>/", detail.section_edit, name="section_edit"),
    path("<id:pk>/reviews/", detail.review_create, name="review_create"),
    path("<id:pk>/print/", export.plan_print, name="print"),
    path("<id:pk>/plan.pdf", export.plan_pdf_file, name="pdf"),
    path("<id:pk>/objectives/new/", items.objective_create, name="objective_create"),
    path("objectives/<id:pk>/", items.objective_edit, name="objective_edit"),
    path("objectives/<id:pk>/delete/", items.objective_delete, name="objective_delete"),
    path("<id:pk>/actions/new/", items.action_create, name="action_create"),
    path("actions/<id:pk>/", items.action_edit, name="action_edit"),
    path("actions/<id:pk>/status/", items.action_status, name="action_status"),
    path("actions/<id:pk>/delete/", items.action_delete, name="action_delete"),
    path("<id:pk>/risks/new/", items.risk_create, name="risk_create"),
    path("risks/<id:pk>/", items.risk_edit, name="risk_edit"),
    path("risks/<id:pk>/delete/", items.risk_delete, name="risk_delete"),
]

# Mounted at /accounts/<pk>/plans/ in the namespace "account_plans".
account_urlpatterns = [
    path("", lists.account_plans, name="list"),
]
