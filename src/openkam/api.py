"""The JSON API: one NinjaAPI, one router per app, token auth, OpenAPI at /api/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from openkam.users.api_auth import ApiTokenAuth, SessionAuthWithCsrf

api = NinjaAPI(
    title="OpenKAM API",
    version="1",
    urls_namespace="api",
    auth=[ApiTokenAuth(), SessionAuthWithCsrf()],
    docs_url="/docs",
)


def _register_routers() -> None:
    from openkam.accounts.api import router as accounts_router
    from openkam.activities.api import router as activities_router
    from openkam.ledger.api import router as ledger_router
    from openkam.plans.api import router as plans_router
    from openkam.portfolio.api import router as portfolio_router
    from openkam.portfolio.reviews.api import router as reviews_router
    from openkam.stakeholders.api import router as contacts_router
    from openkam.stakeholders.map_api import router as stakeholders_router
    from openkam.workspace.api import router as workspace_router

    api.add_router("/accounts", accounts_router)
    api.add_router("/contacts", contacts_router)
    api.add_router("/ledger", ledger_router)
    api.add_router("/portfolio", portfolio_router)
    api.add_router("/reviews", reviews_router)
    api.add_router("/plans", plans_router)
    api.add_router("/activities", activities_router)
    api.add_router("/stakeholders", stakeholders_router)
    api.add_router("/workspace", workspace_router)


_register_routers()
