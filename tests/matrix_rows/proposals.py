"""Permission-matrix rows for proposals (see tests/matrix_rows/__init__.py).

Who does what (src/openkam/proposals/services.py, `may_propose`): everyone signed in reads
the proposals of the accounts they see; whoever may change the account's work makes,
prices, submits, sends and records answers; finance and viewers read only (404 on pages,
403 on the API). An approval request answers only the one who may decide it (the head,
for the default rule): anyone else gets 404, as if it did not exist.
"""

from __future__ import annotations

from matrix_rows import EDITS_A, READ_ONLY, SEES, SEES_A, SIGNED_IN, R, Route

EDITS_A1 = SEES["a1"] - READ_ONLY
EDITS_B = SEES["b"] - READ_ONLY
HEAD = frozenset({"head"})

HEADER_FORM = {"title": "prop matrix header", "valid_until": "", "language": "pl"}
LINE_FORM: dict = {"quantity": "3", "discount_pct": "2"}
LINE_CHANGE = {"quantity": "4", "discount_pct": "1"}
API_NEW: dict = {}
API_LINE: dict = {"quantity": "2", "discount_pct": "0"}

ROUTES: list[Route] = [
    # --- pages -------------------------------------------------------------------------
    R("proposals:list", "GET", "/proposals/", SIGNED_IN, lists_all_visible=True),
    R("proposals:list", "GET", "/proposals/?status=awaiting", SIGNED_IN),
    R("proposals:approvals", "GET", "/proposals/approvals/", SIGNED_IN),
    R("proposals:create", "POST", "/proposals/new/{popp_a}/", EDITS_A, 302),
    R("proposals:detail", "GET", "/proposals/{prop_a}/", SEES_A),
    R("proposals:detail", "GET", "/proposals/{prop_b}/", SEES["b"]),
    R("proposals:detail", "GET", "/proposals/{prop_c}/", SEES["c"]),
    R("proposals:pdf", "GET", "/proposals/{prop_a}/pdf/", SEES_A),
    R("proposals:pdf", "GET", "/proposals/{prop_c}/pdf/", SEES["c"]),
    R("proposals:header", "POST", "/proposals/{prop_a}/header/", EDITS_A, 302,
      data=HEADER_FORM),
    R("proposals:line_add", "POST", "/proposals/{prop_a}/lines/", EDITS_A, 302, data=LINE_FORM),
    R("proposals:line_change", "POST", "/proposals/{prop_a}/lines/{line_a}/", EDITS_A, 302,
      data=LINE_CHANGE),
    R("proposals:line_remove", "POST", "/proposals/{prop_a}/lines/{line_a}/remove/", EDITS_A,
      302),
    R("proposals:submit", "POST", "/proposals/{prop_a1}/submit/", EDITS_A1, 302),
    R("proposals:send", "POST", "/proposals/{prop_b}/send/", EDITS_B, 302),
    R("proposals:accept", "POST", "/proposals/{prop_b2}/accept/", EDITS_B, 302),
    R("proposals:customer_reject", "POST", "/proposals/{prop_b2}/customer-reject/", EDITS_B, 302,
      data={"reason": "price", "note": "x"}),
    R("proposals:revise", "POST", "/proposals/{prop_a}/revise/", EDITS_A, 302),
    R("proposals:decide", "POST", "/proposals/{prop_a}/approvals/{req_a}/", HEAD, 302,
      data={"decision": "approve", "note": "ok"}),
    R("account_proposals:list", "GET", "/accounts/{a}/proposals/", SEES_A),
    R("account_proposals:list", "GET", "/accounts/{c}/proposals/", SEES["c"]),
    # --- JSON API ----------------------------------------------------------------------
    R("api:proposals_list", "GET", "/api/proposals/", SIGNED_IN),
    R("api:proposals_list", "GET", "/api/proposals/?account_id={b}", SIGNED_IN),
    R("api:proposal_approvals", "GET", "/api/proposals/approvals", SIGNED_IN),
    R("api:proposal_create", "POST", "/api/proposals/", EDITS_A, 201, read_only=403,
      data=API_NEW),
    R("api:proposal_detail", "GET", "/api/proposals/{prop_a}", SEES_A),
    R("api:proposal_detail", "GET", "/api/proposals/{prop_c}", SEES["c"]),
    R("api:proposal_update", "PATCH", "/api/proposals/{prop_a}", EDITS_A, read_only=403,
      data={"customer_note": "prop matrix api"}),
    R("api:proposal_line_add", "POST", "/api/proposals/{prop_a}/lines", EDITS_A, 201,
      read_only=403, data=API_LINE),
    R("api:proposal_line_update", "PATCH", "/api/proposals/{prop_a}/lines/{line_a}", EDITS_A,
      read_only=403, data={"discount_pct": "3"}),
    R("api:proposal_line_remove", "DELETE", "/api/proposals/{prop_a}/lines/{line_a}", EDITS_A,
      read_only=403),
    R("api:proposal_submit", "POST", "/api/proposals/{prop_a1}/submit", EDITS_A1,
      read_only=403),
    R("api:proposal_send", "POST", "/api/proposals/{prop_b}/send", EDITS_B, 422, read_only=403),
    R("api:proposal_accept", "POST", "/api/proposals/{prop_b2}/accept", EDITS_B, read_only=403),
    R("api:proposal_customer_reject", "POST", "/api/proposals/{prop_b2}/customer-reject",
      EDITS_B, read_only=403, data={"reason": "terms"}),
    R("api:proposal_revise", "POST", "/api/proposals/{prop_a}/revise", EDITS_A, 201,
      read_only=403),
    R("api:proposal_decide", "POST", "/api/proposals/{prop_a}/approvals/{req_a}", HEAD,
      data={"decision": "approve"}),
]  # fmt: skip


def world(company) -> tuple[dict, dict]:
    """Priced by the pricing area's world: on a (awaiting the head), a1 (a draft), b (approved, and a second one sent) and c (a draft): a proposal whose
    title is secret to those who may not see the account."""
    from datetime import timedelta
    from decimal import Decimal
    from importlib import import_module

    from django.apps import apps as django_apps

    from openkam.ledger.models import Product
    from openkam.opportunities import services as opportunity_services
    from openkam.proposals import approval_flow, services
    from openkam.proposals.models import Proposal, Status

    import_module("openkam.proposals.migrations.0002_default_rule").create(django_apps, None)
    today = company["today"]
    # The pricing area's world (built before this one) prices PRC-1 for these accounts.
    item = Product.objects.get(sku="PRC-1")
    proposals, opportunities = {}, {}
    for key, discount in (("a", "14"), ("a1", "0"), ("b", "0"), ("b2", "0"), ("c", "0")):
        opportunities[key] = opportunity_services.opportunity_create(
            actor=None, account=company[key[:2].rstrip("2")], title=f"propopp{key}", value=Decimal("100"),
            currency="PLN", expected_close=today + timedelta(days=30),
        )  # fmt: skip
        proposal = services.proposal_create(
            actor=None, opportunity=opportunities[key], title=f"proptitle{key.upper()}z",
            internal_note=f"propnote{key.upper()}z",
        )  # fmt: skip
        services.line_add(
            actor=None, proposal=proposal, product=item, quantity=Decimal(5),
            discount_pct=Decimal(discount),
        )  # fmt: skip
        proposals[key] = proposal
    approval_flow.submit(actor=None, proposal=proposals["a"])
    for key in ("b", "b2"):
        approval_flow.submit(actor=None, proposal=proposals[key])
    # The receivables area's world leaves every account with debt overdue past the hold:
    # the credit check refuses to send (the send rows expect that), so b2 is marked sent.
    Proposal.objects.filter(pk=proposals["b2"].pk).update(status=Status.SENT)
    HEADER_FORM["valid_until"] = (today + timedelta(days=20)).isoformat()
    LINE_FORM["product"] = API_LINE["product_id"] = item.pk
    API_NEW["opportunity_id"] = opportunities["a"].pk
    ids = {key: company[key].pk for key in ("a", "a1", "b", "c")}
    ids |= {f"prop_{key}": proposal.pk for key, proposal in proposals.items()}
    ids |= {"popp_a": opportunities["a"].pk, "line_a": proposals["a"].lines.get().pk}
    ids["req_a"] = proposals["a"].approvals.get().pk
    secrets = {
        key[:2].rstrip("2"): {f"prop{part}{key.upper()}z" for part in ("title", "note")}
        for key in proposals
    }
    return ids, secrets
