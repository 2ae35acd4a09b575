from django.urls import path

from openkam.plans.views import detail, export, items, lists, plan_templates

app_name = "plans"

urlpatterns = [
    path("plans/", lists.plan_list, name="list"),
    path("accounts/<int:pk>/plans/", lists.account_plans, name="account_plans"),
    path("plans/templates/", plan_templates.template_list, name="templates"),
    path("plans/templates/new/", plan_templates.template_create, name="template_create"),
    path("plans/templates/<int:pk>/", plan_templates.template_edit, name="template_edit"),
    path("plans/<int:pk>/", detail.plan_detail, name="detail"),
    path("plans/<int:pk>/edit/", detail.plan_edit, name="edit"),
    path("plans/<int:pk>/sections/<slug:section>/", detail.section_edit, name="section_edit"),
    path("plans/<int:pk>/reviews/", detail.review_create, name="review_create"),
    path("plans/<int:pk>/print/", export.plan_print, name="print"),
    path("plans/<int:pk>/plan.pdf", export.plan_pdf_file, name="pdf"),
    path("plans/<int:pk>/objectives/new/", items.objective_create, name="objective_create"),
    path("plans/objectives/<int:pk>/", items.objective_edit, name="objective_edit"),
    path("plans/objectives/<int:pk>/delete/", items.objective_delete, name="objective_delete"),
    path("plans/<int:pk>/actions/new/", items.action_create, name="action_create"),
    path("plans/actions/<int:pk>/", items.action_edit, name="action_edit"),
    path("plans/actions/<int:pk>/status/", items.action_status, name="action_status"),
    path("plans/actions/<int:pk>/delete/", items.action_delete, name="action_delete"),
    path("plans/<int:pk>/risks/new/", items.risk_create, name="risk_create"),
    path("plans/risks/<int:pk>/", items.risk_edit, name="risk_edit"),
    path("plans/risks/<int:pk>/delete/", items.risk_delete, name="risk_delete"),
]
