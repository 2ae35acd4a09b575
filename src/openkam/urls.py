"""Every app under its own prefix; an app's pages about one account under /accounts/<id>/.

The table of prefixes, apps and files is in docs/architecture.md.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from openkam.activities import urls as activities_urls
from openkam.activities.views.calendar import calendar_feed
from openkam.api import api
from openkam.contracts import urls as contracts_urls
from openkam.credit import urls as credit_urls
from openkam.opportunities import urls as opportunities_urls
from openkam.plans import urls as plans_urls
from openkam.pricing import urls as pricing_urls
from openkam.promotions import urls as promotions_urls
from openkam.proposals import urls as proposals_urls
from openkam.receivables import urls as receivables_urls
from openkam.returns import urls as returns_urls
from openkam.sales import urls as sales_urls
from openkam.stakeholders import urls as stakeholders_urls
from openkam.tenders import urls as tenders_urls
from openkam.workspace import urls as workspace_urls
from openkam.workspace.views.home import home


def _account_routes(module, namespace: str):
    """An app's pages about one account, in a namespace of their own (not the app's: a page
    served from one would otherwise reverse the app's other names into it)."""
    return include((module.account_urlpatterns, namespace))


def _moved(old: str, new: str):
    """A bookmark of a page that moved answers with a permanent redirect to its new place."""
    view = RedirectView.as_view(url=new + "%(rest)s", permanent=True, query_string=True)
    return re_path(rf"^{old}(?P<rest>.*)$", view, name=f"moved-{old.rstrip('/').replace('/', '-')}")


urlpatterns = [
    path("", home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("accounts/", include("openkam.accounts.urls")),
    path("accounts/<id:pk>/plans/", _account_routes(plans_urls, "account_plans")),
    path(
        "accounts/<id:pk>/stakeholders/",
        _account_routes(stakeholders_urls, "account_stakeholders"),
    ),
    path("accounts/<id:pk>/activities/", _account_routes(activities_urls, "account_activities")),
    path(
        "accounts/<id:pk>/receivables/",
        _account_routes(receivables_urls, "account_receivables"),
    ),
    path("accounts/<id:pk>/contracts/", _account_routes(contracts_urls, "account_contracts")),
    path("accounts/<id:pk>/credit/", _account_routes(credit_urls, "account_credit")),
    path("accounts/<id:pk>/pricing/", _account_routes(pricing_urls, "account_pricing")),
    path(
        "accounts/<id:pk>/promotions/",
        _account_routes(promotions_urls, "account_promotions"),
    ),
    path("accounts/<id:pk>/orders/", _account_routes(sales_urls, "account_orders")),
    path("accounts/<id:pk>/proposals/", _account_routes(proposals_urls, "account_proposals")),
    path("accounts/<id:pk>/returns/", _account_routes(returns_urls, "account_returns")),
    path(
        "accounts/<id:pk>/opportunities/",
        _account_routes(opportunities_urls, "account_opportunities"),
    ),
    path("accounts/<id:pk>/tenders/", _account_routes(tenders_urls, "account_tenders")),
    path("accounts/<id:pk>/", _account_routes(workspace_urls, "account_workspace")),
    path("activities/", include("openkam.activities.urls")),
    path("contracts/", include("openkam.contracts.urls")),
    path("credit/", include("openkam.credit.urls")),
    path("import/", include("openkam.ingest.urls")),
    path("ledger/", include("openkam.ledger.urls")),
    path("orders/", include("openkam.sales.urls")),
    path("opportunities/", include("openkam.opportunities.urls")),
    path("proposals/", include("openkam.proposals.urls")),
    path("pipeline/", include((opportunities_urls.pipeline_urlpatterns, "pipeline"))),
    path("me/", include("openkam.users.urls")),
    path("plans/", include("openkam.plans.urls")),
    path("pricing/", include("openkam.pricing.urls")),
    path("promotions/", include("openkam.promotions.urls")),
    path("portfolio/", include("openkam.portfolio.urls")),
    path("receivables/", include("openkam.receivables.urls")),
    path("returns/", include("openkam.returns.urls")),
    path("portfolio/", include("openkam.portfolio.reviews.urls")),
    path("stakeholders/", include("openkam.stakeholders.urls")),
    path("tenders/", include("openkam.tenders.urls")),
    path("workspace/", include("openkam.workspace.urls")),
    # Addresses given out before the apps had prefixes. Calendar clients poll the feed
    # and do not all follow redirects, so it is served as it was; pages redirect.
    path("calendar/<str:token>.ics", calendar_feed, name="legacy_calendar_feed"),
    _moved("planner/", "/activities/planner/"),
    _moved("reviews/", "/portfolio/reviews/"),
    _moved("board/", "/portfolio/board/"),
    _moved("invoices/", "/ledger/invoices/"),
    _moved("me/calendar/", "/activities/calendar/"),
]
