"""Permission-matrix rows for the stakeholder map (see tests/matrix_rows/__init__.py)."""

from __future__ import annotations

from matrix_rows import EDITS_A, SEES, SEES_A, SIGNED_IN, R, Route

# Form posts whose body cannot name a record id (rows are static) answer 422 to those
# allowed: they still prove who reaches the form and that denied personas write nothing.
ROUTES: list[Route] = [
    # --- pages -------------------------------------------------------------------------
    R("account_stakeholders:map", "GET", "/accounts/{a}/stakeholders/", SEES_A),
    R("account_stakeholders:map", "GET", "/accounts/{a1}/stakeholders/", SEES["a1"]),
    R("account_stakeholders:vcards", "GET", "/accounts/{a}/stakeholders/contacts.vcf", SEES_A),
    R("account_stakeholders:vcard_import", "GET", "/accounts/{a}/stakeholders/import/", EDITS_A),
    R("account_stakeholders:vcard_import", "POST", "/accounts/{a}/stakeholders/import/", EDITS_A, 422),
    R("stakeholders:person", "GET", "/stakeholders/{stake_boss_a}/", SEES_A),
    R("stakeholders:person", "GET", "/stakeholders/{stake_driver_a1}/", SEES["a1"]),
    R("stakeholders:vcard", "GET", "/stakeholders/{stake_boss_a}/contact.vcf", SEES_A),
    R("stakeholders:attitude_set", "POST", "/stakeholders/{stake_boss_a}/attitude/", EDITS_A,
      302, data={"attitude": "supporter", "note": "matrix"}),
    R("stakeholders:roles_edit", "POST", "/stakeholders/{stake_boss_a}/roles/", EDITS_A, 302,
      data={"buying_role": "decision_maker", "influence": "4"}),
    R("stakeholders:link_create", "POST", "/stakeholders/{stake_boss_a}/links/", EDITS_A, 422,
      data={"direction": "out", "kind": "allied_with"}),
    R("stakeholders:link_delete", "POST", "/stakeholders/links/{stake_link_a}/delete/", EDITS_A,
      302),
    # --- JSON API ----------------------------------------------------------------------
    R("api:stakeholder_map", "GET", "/api/stakeholders/accounts/{a}/map", SEES_A),
    R("api:stakeholder_map", "GET", "/api/stakeholders/accounts/{a1}/map", SEES["a1"]),
    R("api:stakeholder_coverage", "GET", "/api/stakeholders/coverage", SIGNED_IN),
    R("api:stakeholder_attitudes", "GET", "/api/stakeholders/contacts/{stake_boss_a}/attitudes",
      SEES_A),
    R("api:stakeholder_attitudes", "POST", "/api/stakeholders/contacts/{stake_boss_a}/attitudes",
      EDITS_A, 201, read_only=403, data={"attitude": "champion", "note": "matrix"}),
    R("api:stakeholder_links", "POST", "/api/stakeholders/contacts/{stake_boss_a}/links",
      EDITS_A, 422, read_only=403, data={"kind": "allied_with"}),
    R("api:stakeholder_link", "DELETE", "/api/stakeholders/links/{stake_link_a}", EDITS_A, 204,
      read_only=403),
]  # fmt: skip


def world(company) -> tuple[dict, dict]:
    """People on every account, a link on A, and words that must not leak per account."""
    from openkam.stakeholders.models import Attitude, BuyingRole
    from openkam.stakeholders.services import attitude_set, contact_create, contact_link_create

    head = company["head"]
    people = {}
    for key in ("a", "a1", "b", "c"):
        people[key] = contact_create(
            actor=head,
            account=company[key],
            last_name=f"Stakeboss{key.upper()}",
            buying_role=BuyingRole.ECONOMIC_BUYER,
        )
        attitude_set(
            actor=head, contact=people[key], attitude=Attitude.SCEPTIC, note=f"Stakenote{key}"
        )
    clerk = contact_create(actor=head, account=company["a"], last_name="Stakeclerk")
    link = contact_link_create(
        actor=head, source=clerk, target=people["a"], kind="reports_to", note="Stakelinknote"
    )
    contact_link_create(actor=head, source=people["a1"], target=people["a"], kind="influences")
    secrets = {key: {f"Stakeboss{key.upper()}", f"Stakenote{key}"} for key in people}
    secrets["a"] |= {"Stakeclerk", "Stakelinknote"}
    ids = {
        "stake_boss_a": people["a"].pk,
        "stake_driver_a1": people["a1"].pk,
        "stake_link_a": link.pk,
    }
    return ids, secrets
