"""The JSON API: one NinjaAPI, one router per app, token auth, OpenAPI at /api/docs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from openkam.core.schemas import field_errors
from openkam.users.api_auth import ApiTokenAuth, SessionAuthWithCsrf

api = NinjaAPI(
    title="OpenKAM API",
    version="1",
    urls_namespace="api",
    auth=[ApiTokenAuth(), SessionAuthWithCsrf()],
    docs_url="/docs",
)


# What a service refuses, every route answers the same way (the routes declare 403 and 422
# with ErrorOut): 403 with the service's reason, 422 with the fields of the body at fault.
@api.exception_handler(PermissionDenied)
def _refused(request, error: PermissionDenied):
    detail = str(error) or _("You may not change the work on this account.")
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request, error: ValidationError):
    return api.create_response(request, {"detail": field_errors(error)}, status=422)


def _register_routers() -> None:
    from openkam.accounts.api import router as accounts_router
    from openkam.activities.api import router as activities_router
    from openkam.contracts.api import router as contracts_router
    from openkam.credit.api import router as credit_router
    from openkam.ledger.api import router as ledger_router
    from openkam.opportunities.api import router as opportunities_router
    from openkam.plans.api import router as plans_router
    from openkam.portfolio.api import router as portfolio_router
    from openkam.portfolio.reviews.api import router as reviews_router
    from openkam.pricing.api import router as pricing_router
    from openkam.promotions.api import router as promotions_router
    from openkam.proposals.api import router as proposals_router
    from openkam.receivables.api import router as receivables_router
    from openkam.returns.api import router as returns_router
    from openkam.sales.api import router as orders_router
    from openkam.stakeholders.api import router as contacts_router
    from openkam.stakeholders.map_api import router as stakeholders_router
    from openkam.tenders.api import router as tenders_router
    from openkam.workspace.api import router as workspace_router

    api.add_router("/accounts", accounts_router)
    api.add_router("/contacts", contacts_router)
    api.add_router("/ledger", ledger_router)
    api.add_router("/portfolio", portfolio_router)
    api.add_router("/reviews", reviews_router)
    api.add_router("/plans", plans_router)
    api.add_router("/receivables", receivables_router)
    api.add_router("/credit", credit_router)
    api.add_router("/orders", orders_router)
    api.add_router("/opportunities", opportunities_router)
    api.add_router("/proposals", proposals_router)
    api.add_router("/tenders", tenders_router)
    api.add_router("/activities", activities_router)
    api.add_router("/contracts", contracts_router)
    api.add_router("/pricing", pricing_router)
    api.add_router("/returns", returns_router)
    api.add_router("/promotions", promotions_router)
    api.add_router("/stakeholders", stakeholders_router)
    api.add_router("/workspace", workspace_router)


_register_routers()
