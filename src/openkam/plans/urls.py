"""Account plans at /plans/; an account's plans at /accounts/<id>/plans/."""

from django.urls import path

from openkam.plans.views import detail, export, items, lists, plan_templates

app_name = "plans"

urlpatterns = [
    path("", lists.plan_list, name="list"),
    path("templates/", plan_templates.template_list, name="templates"),
    path("templates/new/", plan_templates.template_create, name="template_create"),
    path("templates/<int:pk>/", plan_templates.template_edit, name="template_edit"),
    path("<int:pk>/", detail.plan_detail, name="detail"),
    path("<int:pk>/edit/", detail.plan_edit, name="edit"),
    path("<int:pk>/sections/<slug:section>/", detail.section_edit, name="section_edit"),
    path("<int:pk>/reviews/", detail.review_create, name="review_create"),
    path("<int:pk>/print/", export.plan_print, name="print"),
    path("<int:pk>/plan.pdf", export.plan_pdf_file, name="pdf"),
    path("<int:pk>/objectives/new/", items.objective_create, name="objective_create"),
    path("objectives/<int:pk>/", items.objective_edit, name="objective_edit"),
    path("objectives/<int:pk>/delete/", items.objective_delete, name="objective_delete"),
    path("<int:pk>/actions/new/", items.action_create, name="action_create"),
    path("actions/<int:pk>/", items.action_edit, name="action_edit"),
    path("actions/<int:pk>/status/", items.action_status, name="action_status"),
    path("actions/<int:pk>/delete/", items.action_delete, name="action_delete"),
    path("<int:pk>/risks/new/", items.risk_create, name="risk_create"),
    path("risks/<int:pk>/", items.risk_edit, name="risk_edit"),
    path("risks/<int:pk>/delete/", items.risk_delete, name="risk_delete"),
]

# Mounted at /accounts/<pk>/plans/ in the namespace "account_plans".
account_urlpatterns = [
    path("", lists.account_plans, name="list"),
]
